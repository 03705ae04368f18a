"""The status screen tells a declaration's whole story: every version of its chain, each step."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Static

from itdeclare import wording
from itdeclare.client import DeclarationDetail
from itdeclare.journey.chain import MAX_VERSIONS, Chain, history_lines
from itdeclare.models import DeclarationStatus
from tests.journey.conftest import settle, until
from tests.journey.record import recorded
from tests.journey.recorded_app import recorded_app


def _details(stage: str) -> dict[str, DeclarationDetail]:
    details = recorded()["stages"][stage]["details"]
    return {key: DeclarationDetail.model_validate(value) for key, value in details.items()}


async def test_the_chain_is_followed_back_and_each_replaced_version_asked_for_once() -> None:
    details = _details("revoked")
    latest = details[recorded()["redeclaration_id"]]
    asked: list[str] = []

    async def fetch(declaration_id: str) -> DeclarationDetail:
        asked.append(declaration_id)
        return details[declaration_id]

    chain = Chain()
    first = await chain.versions(latest, fetch)
    again = await chain.versions(latest, fetch)
    assert (
        [v.id for v in first] == [recorded()["declaration_id"], latest.id] == [v.id for v in again]
    )
    assert asked == [recorded()["declaration_id"]]


async def test_a_loop_in_the_chain_ends() -> None:
    looped = _details("revoked")[recorded()["redeclaration_id"]]
    itself = looped.model_copy(update={"replaces": "x", "id": "y", "replaced_by": "z"})
    other = itself.model_copy(update={"id": "x", "replaces": "y"})

    async def fetch(declaration_id: str) -> DeclarationDetail:
        return other if declaration_id == "x" else itself

    versions = await Chain().versions(itself, fetch)
    assert [v.id for v in versions] == ["x", "y"]
    assert len(versions) <= MAX_VERSIONS


def test_the_lines_name_each_version_and_each_step() -> None:
    wording.use_language("en")
    details = _details("revoked")
    versions = [details[recorded()["declaration_id"]], details[recorded()["redeclaration_id"]]]
    lines = history_lines(versions)
    assert lines[0] == f"Declaration …{versions[0].id[-8:]}"
    steps = [line.split("  ", 2)[-1] for line in lines]
    assert steps[1:6] == [
        "submitted",
        "material requested (Please upload the PDF report of your nucleic acid test.)",
        "material supplied, 1 file (The report is attached.)",
        "approved",
        "revoked by a re-declaration",
    ]
    assert lines[6] == f"Re-declaration 1 …{versions[1].id[-8:]}"
    assert steps[7] == "re-declared"


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_the_status_of_a_redeclaration_shows_the_first_filing_too(language: Any) -> None:
    app = recorded_app("revoked", language)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: getattr(app.screen, "data", None) is not None)
        await until(pilot, lambda: bool(app.context.connection.snapshot.summaries))
        await settle(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: getattr(app.screen, "detail", None) is not None)
        await settle(pilot)
        history = str(app.screen.query_one(".card--history", Static).content)
        expected = {
            "en": ["material requested", "material supplied", "approved", "revoked by a re-"],
            "zh": ["要求补充材料", "已补充材料", "复核通过", "因重新申报取消", "重新申报"],
        }[language]
        for words in expected:
            assert words in history, history


REJECTED = DeclarationStatus.REJECTED


@pytest.mark.parametrize(
    ("language", "rejected", "replaced"),
    [("en", "rejected", "replaced by a re-declaration"), ("zh", "复核未通过", "被重新申报替换")],
)
def test_a_rejected_version_replaced_says_replaced_not_rejected_again(
    language: Any, rejected: str, replaced: str
) -> None:
    """A QA pass read "rejected" twice: the rejection, then the replacement step, named by the
    status it left (still rejected)."""
    wording.use_language(language)
    try:
        first = _details("revoked")[recorded()["declaration_id"]]
        submitted, *_, replacing = first.history
        steps = [
            submitted,
            replacing.model_copy(update={"action": "reject", "status": REJECTED, "note": None}),
            replacing.model_copy(update={"status": REJECTED}),
        ]
        lines = history_lines([first.model_copy(update={"history": steps})])
        assert [line.split("  ", 2)[-1] for line in lines[-2:]] == [rejected, replaced]
    finally:
        wording.use_language("en")
