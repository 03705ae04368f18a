"""The home screen: people and their declaration states; add, edit, remove; damaged files."""

from __future__ import annotations

from textual.widgets import Static

from itdeclare.models import Relationship
from itdeclare.storage.state import LocalState
from itdeclare.widgets.people.table import ColumnHeadings, PeopleTable
from tests.tui import flows
from tests.tui.conftest import AppFactory
from tests.tui.driver import choose_at, focused_loc, problem_at, settle, type_at, until
from tests.tui.seeds import complete_form, seed


def rows(app: object) -> list[tuple[str, str, str, str]]:
    table = app.screen.query_one(PeopleTable)  # type: ignore[attr-defined]
    return [
        (row.name, row.relationship_text, row.state_text, row.redeclarations_text)
        for row in table.rows_shown
    ]


async def test_people_are_added_edited_and_removed(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "No one yet" in str(pilot.app.screen.query_one("#home-status", Static).content)
        await flows.add_person(pilot, "self", "zhang", "san", "张三")
        await flows.add_person(pilot, "parent", "zhang", "wei")
        assert rows(pilot.app) == [
            ("ZHANG SAN (张三)", "self", "not started", "-"),
            ("ZHANG WEI", "parent", "not started", "-"),
        ]
        # Edit the parent (the cursor is on the person just added).
        await flows.open_person_dialog(pilot, "e")
        await pilot.press("tab", "tab")
        await until(pilot, lambda: focused_loc(pilot) == "subject.given_name")
        await pilot.press("end", "ctrl+u", *"WEIMIN")
        await pilot.press("ctrl+s")
        # The person is saved to the encrypted store in a worker; under load the table follows
        # a few frames later.
        await until(pilot, lambda: rows(pilot.app)[1][0] == "ZHANG WEIMIN")
        # Removing asks first; n keeps, y removes.
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("n")
        await settle(pilot)
        assert len(rows(pilot.app)) == 2
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert [row[0] for row in rows(pilot.app)] == ["ZHANG SAN (张三)"]
    assert [p.subject["given_name"] for p in LocalState().people.list()] == ["SAN"]


async def test_only_one_person_is_oneself(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await flows.add_person(pilot, "self", "zhang", "san")
        await flows.open_person_dialog(pilot, "a")
        await choose_at(pilot, "relationship", "self")
        await until(pilot, lambda: "already in the list" in problem_at(pilot, "relationship"))
        await type_at(pilot, "subject.family_name", "li")
        await type_at(pilot, "subject.given_name", "si")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen.id != "home"  # the dialog stays open
        await pilot.press("escape")
        await settle(pilot)
        assert len(rows(pilot.app)) == 1


async def test_the_dialog_checks_names_as_the_domain_does(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await flows.open_person_dialog(pilot, "a")
        await choose_at(pilot, "relationship", "child")
        await type_at(pilot, "subject.family_name", "wang2")
        assert "Latin letters" in problem_at(pilot, "subject.family_name")
        await type_at(pilot, "subject.given_name", "")
        await type_at(pilot, "subject.chinese_name", "Wang")
        assert problem_at(pilot, "subject.chinese_name") == "Use Chinese characters only"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert problem_at(pilot, "subject.given_name") == "This field is required"
        assert focused_loc(pilot) == "subject.family_name"


async def test_rows_show_how_complete_each_draft_is(make_app: AppFactory) -> None:
    seed(complete_form(), relationship=Relationship.SELF)
    half = complete_form(contact={"phone": "", "email": ""}, itinerary=[], tests=[])
    half["relationship"] = "parent"
    seed(half, relationship=Relationship.PARENT)
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = rows(pilot.app)
        assert shown[0][2] == "draft, 97% complete"  # all but the attestation
        assert shown[1][1:] == ("parent", "draft, 71% complete", "-")


async def test_a_damaged_draft_is_reported_and_kept_aside(make_app: AppFactory) -> None:
    seed()
    state = LocalState()
    [path] = (state.root / "drafts").glob("*")
    path.write_bytes(path.read_bytes()[:-7] + b"garbage")
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        notice = str(pilot.app.screen.query_one("#home-notice", Static).content)
        assert "could not be read" in notice
        assert rows(pilot.app)[0][2] == "not started"  # the person is still there
    assert not path.exists()
    assert list((state.root / "quarantine").iterdir())  # kept, not deleted


async def test_the_list_is_as_tall_as_its_rows(make_app: AppFactory) -> None:
    seed()
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = pilot.app.screen.query_one(PeopleTable)
        headings = pilot.app.screen.query_one(ColumnHeadings)
        assert table.size.height == 1
        assert table.region.y == headings.region.y + 1  # the rows right under their headings
        notice = pilot.app.screen.query_one("#home-notice", Static)
        assert notice.region.bottom == 23  # at the foot of the screen, above the footer


async def test_many_people_scroll_within_the_list_and_the_cursor_stops_at_the_ends(
    make_app: AppFactory,
) -> None:
    for _ in range(20):
        seed(relationship=Relationship.PARENT)
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = pilot.app.screen.query_one(PeopleTable)
        notice = pilot.app.screen.query_one("#home-notice", Static)
        assert table.region.bottom <= notice.region.y  # the notice is not pushed off
        assert table.size.height < 20
        await pilot.press("up")
        assert table.highlighted == 0  # not round to the last row
        await pilot.press("end")
        await settle(pilot)
        assert table.highlighted == 19
        assert table.scroll_offset.y > 0  # the last row scrolled into sight
        await pilot.press("down")
        assert table.highlighted == 19
        await pilot.press("home", "down")
        assert table.selected_person_id == table.rows_shown[1].person_id
