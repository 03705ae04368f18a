"""The wizard's form and state without Textual: fields, steps, lists, hints, the filer."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from itdeclare import wording
from itdeclare.journey.form import (
    STEPS,
    Kind,
    blank_form,
    completeness,
    field_id,
    loc_of,
    step_by_id,
    step_of,
)
from itdeclare.journey.form_state import WizardState
from itdeclare.journey.people import DeclarationView, PersonRow, display_name, person_rows
from itdeclare.models import DeclarationStatus, Relationship, limits
from tests.tui.conftest import NOW
from tests.tui.seeds import complete_form

ITINERARY = step_by_id("itinerary").items
assert ITINERARY is not None

locs = st.lists(
    st.one_of(st.from_regex(r"[a-z][a-z_]{0,12}", fullmatch=True), st.integers(0, 20).map(str)),
    min_size=1,
    max_size=4,
).map(".".join)


@given(locs)
def test_widget_ids_and_locations_correspond(loc: str) -> None:
    assert loc_of(field_id(loc)) == loc


def test_every_location_belongs_to_one_step() -> None:
    assert step_of("subject.document.number").id == "identity"
    assert step_of("tests.1.sampled_at").id == "tests"
    assert step_of("tests").id == "tests"
    assert step_of("port_of_entry").id == "port"
    assert step_of("").id == "review"
    assert [step.id for step in STEPS] == [
        "identity",
        "contact",
        "status",
        "itinerary",
        "port",
        "tests",
        "reports",
        "vaccination",
        "history",
        "review",
    ]


def test_a_blank_form_has_what_is_known_and_what_the_rules_require() -> None:
    form = blank_form(Relationship.PARENT, {"family_name": "ZHANG"}, ("nucleic_acid", "igm"))
    assert form["relationship"] == "parent"
    assert form["subject"]["family_name"] == "ZHANG"
    assert form["subject"]["document"] == {"type": "", "number": "", "expires_on": ""}
    assert [test["kind"] for test in form["tests"]] == ["nucleic_acid", "igm"]
    assert len(form["itinerary"]) == 1
    assert form["attested"] is False
    assert 0 < completeness(form) < 20
    assert completeness(complete_form(attested=True)) == 100


def test_a_blank_test_row_leaves_the_result_to_the_traveller() -> None:
    from itdeclare.models.form_reading import check_form

    form = blank_form(Relationship.SELF, {}, ("nucleic_acid", "igm"))
    assert [test["result"] for test in form["tests"]] == ["", ""]
    found = {problem.loc for problem in check_form(form, NOW.date(), now=NOW)}
    assert {"tests.0.result", "tests.1.result"} <= found


def state(form: dict[str, object] | None = None, **filer: str) -> WizardState:
    return WizardState(form or complete_form(), clock=lambda: NOW, filer_values=filer or None)


def test_items_are_added_moved_and_removed_within_their_limits() -> None:
    wizard = state()
    assert wizard.add_item(ITINERARY) == 1
    assert wizard.items(ITINERARY)[1]["from"] == "PVG"  # the next flight starts where one lands
    wizard.items(ITINERARY)[1]["flight"] = "MU1"
    assert wizard.move_item(ITINERARY, 1, -1) == 0
    assert [leg["flight"] for leg in wizard.items(ITINERARY)] == ["MU1", "UA857"]
    assert wizard.move_item(ITINERARY, 0, -1) is None
    assert wizard.remove_item(ITINERARY, 0)
    assert not wizard.remove_item(ITINERARY, 0)  # one flight at least
    for _ in range(limits.ITINERARY_LEGS - 1):
        assert wizard.add_item(ITINERARY) is not None
    assert wizard.add_item(ITINERARY) is None  # the models' limit at most


def test_hints_say_how_a_value_was_read_and_in_which_zone() -> None:
    wizard = state()
    wording.use_language("en")
    assert wizard.hint("subject.date_of_birth", Kind.DATE) == "Read as 1 Mar 1956"
    assert wizard.hint("itinerary.0.departs_at", Kind.DATETIME) == (
        "SFO local time (America/Los_Angeles): 1 Dec 2026 11:00 (UTC-08:00)"
    )
    assert wizard.hint("itinerary.0.to", Kind.AIRPORT).startswith("Shanghai Pudong")
    wizard.set("itinerary.0.from", "")
    assert "choose the airport first" in wizard.hint("itinerary.0.departs_at", Kind.DATETIME)
    wording.use_language("zh")
    assert wizard.hint("subject.date_of_birth", Kind.DATE) == "识别为1956年3月1日"


def test_loose_dates_are_tidied_on_leaving() -> None:
    wizard = state()
    assert wizard.tidy("subject.date_of_birth", Kind.DATE, "1/3/1956") == "1956-03-01"
    assert wizard.tidy("subject.date_of_birth", Kind.DATE, "1956-03-01") is None
    assert wizard.tidy("tests.0.sampled_at", Kind.DATETIME, "30/11 9:00") == "2026-11-30 09:00"
    assert wizard.tidy("tests.0.sampled_at", Kind.DATETIME, "never") is None


def test_the_filers_values_are_offered_for_someone_else_only() -> None:
    mine = complete_form()
    assert state(mine, **{"contact.phone": "+8613800138000"}).filer_offer() == {}
    theirs = complete_form(relationship="parent", contact={"phone": "", "email": ""})
    wizard = state(theirs, **{"contact.phone": "+14155550123", "residence.city": "San Francisco"})
    assert wizard.filer_offer() == {"contact.phone": "+14155550123"}  # the city is the same
    assert wizard.copy_from_filer() == ["contact.phone"]
    assert wizard.text("contact.phone") == "+14155550123"
    assert wizard.filer_offer() == {}


def test_the_port_is_suggested_from_the_last_flight() -> None:
    wizard = state(complete_form(port_of_entry=""))
    assert wizard.suggest_port()
    assert wizard.text("port_of_entry") == "PVG"
    assert not wizard.suggest_port()  # never over a value already there


def test_field_messages_are_the_models_own() -> None:
    wording.use_language("en")
    wizard = state()
    assert wizard.field_message("subject.family_name", "ZHANG") is None
    assert wizard.field_message("subject.family_name", "") is None  # required only on saving
    assert wizard.field_message("subject.document.number", "X1") == (
        "This is not a Chinese passport number (expected like E12345678)"
    )
    assert wizard.field_message("subject.id_card_number", "110105195001010012") == (
        "The ID number says born 1 Jan 1950, but the date of birth is 1 Mar 1956"
    )


def test_rows_describe_drafts_and_what_the_backend_says() -> None:
    wording.use_language("en")
    row = PersonRow("p1", "ZHANG SAN", Relationship.SELF, draft_percent=40)
    assert row.state_text == "draft, 40% complete"
    assert row.redeclarations_text == "-"
    pending = DeclarationView(
        DeclarationStatus.PENDING_REVIEW, queue_position=3, redeclarations_left=2
    )
    assert PersonRow("p1", "A", Relationship.SELF, declaration=pending).state_text == (
        "pending review, 3 ahead"
    )
    approved = DeclarationView(DeclarationStatus.APPROVED, redeclarations_left=1)
    row = PersonRow("p1", "A", Relationship.SELF, draft_percent=10, declaration=approved)
    assert row.state_text == "approved, new draft 10%"
    assert row.redeclarations_text == "1"
    wording.use_language("zh")
    assert PersonRow("p", "A", Relationship.PARENT, declaration=pending).state_text == (
        "待复核（前面还有 3 份）"
    )
    # First in the queue: "next", as the status screen says, not "0 ahead".
    first = DeclarationView(DeclarationStatus.PENDING_REVIEW, queue_position=0)
    assert (
        PersonRow("p", "A", Relationship.PARENT, declaration=first).state_text == "待复核（下一个）"
    )
    wording.use_language("en")
    assert PersonRow("p", "A", Relationship.PARENT, declaration=first).state_text == (
        "pending review, next"
    )


def test_names_are_shown_as_each_language_writes_them() -> None:
    subject = {"family_name": "zhang", "given_name": "san", "chinese_name": "张三"}
    wording.use_language("en")
    assert display_name(subject) == "ZHANG SAN (张三)"
    wording.use_language("zh")
    assert display_name(subject) == "张三 ZHANG SAN"
    assert display_name({"family_name": "LI"}) == "LI"


def test_rows_put_oneself_first_and_use_the_drafts_names() -> None:
    class Person:
        def __init__(self, pid: str, relationship: Relationship, family: str) -> None:
            self.id, self.relationship = pid, relationship
            self.subject = {"family_name": family, "given_name": "X"}

    class Draft:
        def __init__(self, person_id: str, family: str) -> None:
            self.person_id, self.submitted_as = person_id, None
            self.declaration = complete_form()
            self.declaration["subject"]["family_name"] = family

    wording.use_language("en")
    people = [Person("a", Relationship.PARENT, "LI"), Person("b", Relationship.SELF, "WANG")]
    rows = person_rows(people, [Draft("a", "LIU")])
    assert [(row.person_id, row.name) for row in rows] == [("b", "WANG X"), ("a", "LIU SAN (张三)")]
    assert rows[0].draft_percent is None and rows[1].draft_percent == 97


def test_codes_and_names_are_written_as_the_document_prints_them() -> None:
    wizard = state()
    assert wizard.tidy("subject.family_name", Kind.TEXT, " zhang ") == "ZHANG"
    assert wizard.tidy("subject.document.number", Kind.CODE, "e1234 5678") == "E12345678"
    assert wizard.tidy("itinerary.0.flight", Kind.CODE, "ua 0857") == "UA857"
    assert wizard.tidy("itinerary.0.from", Kind.AIRPORT, "sfo") == "SFO"
    assert wizard.tidy("itinerary.0.flight", Kind.CODE, "12345678") is None  # not valid: kept
    wizard.set("subject.document.type", "")
    assert wizard.tidy("subject.document.number", Kind.CODE, "e12345678") is None


def test_a_flight_that_has_left_is_said_as_it_is_typed() -> None:
    """The wizard's clock is 30 Nov 2026 12:00 in San Francisco: a departure earlier that day
    is refused beside the field, in the backend's words; a later one is not."""
    wizard = state()
    loc = "itinerary.0.departs_at"
    assert wizard.field_message(loc, "2026-11-30 11:00") == (
        "Flight UA857 left for China at 30 Nov 2026 11:00 (UTC-08:00): "
        "a declaration is for a trip still ahead"
    )
    assert wizard.field_message(loc, "2026-11-30 13:00") is None
    wording.use_language("zh")
    message = wizard.field_message(loc, "2026-11-30 11:00")
    assert message is not None and message.startswith("航班 UA857 已于")
    wording.use_language("en")


def test_the_dates_plan_appears_once_the_itinerary_is_valid() -> None:
    wizard = state()
    lines = wizard.plan_text().splitlines()
    assert lines[0] == "Dates to keep"
    assert lines[2] == (
        "nucleic-acid test: sample from 29 Nov 2026 to 1 Dec 2026, before departure, "
        "in United States."
    )
    wizard.items(ITINERARY)[0]["departs_at"] = "2026-12-01 25:00"
    assert wizard.plan_text() == ""
    wizard.items(ITINERARY)[0]["departs_at"] = "2026-12-01 11:00"
    wizard.items(ITINERARY)[0]["from"] = ""
    assert wizard.plan_text() == ""
    wording.use_language("zh")
    wizard.items(ITINERARY)[0]["from"] = "SFO"
    assert wizard.plan_text().splitlines()[0] == "日期安排"
