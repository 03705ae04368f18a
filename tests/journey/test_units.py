"""The journey's pieces that need no backend: which declaration counts, forms and documents,
whether a code may be shown green, where it fits, and the exports."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from itdeclare.certificate import qr
from itdeclare.client import DeclarationSummary
from itdeclare.journey import export
from itdeclare.journey.code import CodeState, holder_of, read_record, state_of
from itdeclare.journey.documents import document_of, form_of, same_document, same_traveller
from itdeclare.journey.snapshot import Snapshot
from itdeclare.models import DeclarationStatus as S
from itdeclare.screens.certificate import SIDE_WIDTH, layout_for
from itdeclare.storage.records import Certificate
from tests.journey.conftest import form_for
from tests.journey.record import recorded

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def summary(id: str, person: str, *, replaced_by: str | None = None) -> DeclarationSummary:
    return DeclarationSummary(
        id=id,
        status=S.PENDING_REVIEW,
        redeclarations_left=2,
        consulate="USA",
        person_id=person,
        replaced_by=replaced_by,
    )


def test_the_declaration_that_counts_is_the_open_end_of_the_newest_chain() -> None:
    snapshot = Snapshot(
        [summary("c", "r1"), summary("b", "r1", replaced_by="c"), summary("x", "r2")],
        {"me": "r1", "mother": "r2", "child": "r3"},
    )
    latest = snapshot.latest("me")
    assert latest is not None and latest.id == "c"
    assert [s.id for s in snapshot.of_person("me")] == ["c", "b"]
    assert snapshot.latest("child") is None
    assert snapshot.latest("nobody") is None
    assert snapshot.person_of(summary("x", "r2")) == "mother"


def test_a_filed_declaration_goes_back_into_the_wizard_as_it_was() -> None:
    form = form_for("USA")
    declaration = document_of(form, datetime.now(UTC))
    again = form_of(declaration)
    assert again["attested"] is False  # to be attested anew
    assert again["vaccinations"][0]["dose"] == "2"  # text, as typed
    assert document_of({**again, "attested": True}, datetime.now(UTC)) == declaration


@pytest.mark.parametrize(
    ("nationality", "kind", "number", "born", "same"),
    [
        ("CHN", "passport", "{number}", "1956-03-01", True),
        ("USA", "other", "{number}", "1956-03-01", True),  # another type and country
        ("USA", "other", "{number}", "1/3/1956", True),  # the birth date as typed
        ("CAN", "foreign_passport", "{number}", "1990-01-01", False),  # someone else
        ("CHN", "passport", "E99999999", "1956-03-01", False),
    ],
)
def test_a_document_is_the_same_as_the_backend_tells_it(
    nationality: str, kind: str, number: str, born: str, same: bool
) -> None:
    declaration = document_of(form_for("USA"), datetime.now(UTC))
    typed = {
        "nationality": nationality,
        "date_of_birth": born,
        "document": {
            "type": kind,
            "number": number.format(number=declaration.subject.document.number),
        },
    }
    assert same_document(typed, declaration) is same


@pytest.mark.parametrize(
    ("family", "given", "born", "same"),
    [
        ("{family}", "{given}", "1956-03-01", True),
        ("zhang", "san", "1/3/1956", True),  # as typed, in lower case, the date any usual way
        ("ZHANG", "SA-N", "1956-03-01", True),  # a hyphen does not make another name
        ("ZHANG", "SI", "1956-03-01", False),
        ("ZHANG", "SAN", "1956-03-02", False),
        ("", "", "", False),
    ],
)
def test_a_traveller_is_the_same_as_the_backend_tells_them(
    family: str, given: str, born: str, same: bool
) -> None:
    declaration = document_of(form_for("USA"), datetime.now(UTC))
    mine = declaration.subject
    typed = {
        "family_name": family.format(family=mine.family_name),
        "given_name": given.format(given=mine.given_name),
        "date_of_birth": born,
    }
    assert same_traveller(typed, declaration) is same


def test_a_form_that_is_not_a_declaration_is_refused() -> None:
    form = form_for("USA")
    form["itinerary"][0]["departs_at"] = "tomorrow-ish"
    with pytest.raises(ValueError, match=r"itinerary\.0\.departs_at"):
        document_of(form, datetime.now(UTC))


def kept(status: S = S.APPROVED, *, hours: int = 72) -> Certificate:
    return Certificate(
        payload="HC1:x",
        issued_at=NOW - timedelta(hours=1),
        expires_at=NOW + timedelta(hours=hours),
        status=status,
    )


@pytest.mark.parametrize(
    ("certificate", "now", "readable", "state"),
    [
        (kept(), NOW, True, CodeState.VALID),
        (kept(S.REVOKED), NOW, True, CodeState.REVOKED),
        (kept(S.EXPIRED), NOW, True, CodeState.EXPIRED),
        (kept(), NOW + timedelta(hours=73), True, CodeState.EXPIRED),
        (kept(), NOW - timedelta(hours=2), True, CodeState.NOT_YET),
        (kept(), NOW, False, CodeState.UNREADABLE),
    ],
)
def test_a_code_is_green_only_when_nothing_speaks_against_it(
    certificate: Certificate, now: datetime, readable: bool, state: CodeState
) -> None:
    assert state_of(certificate, now, readable=readable) is state


def test_the_code_fits_beside_its_lines_or_below_them_or_not_at_all() -> None:
    modules = 73  # QR version 14: 81 columns and 41 rows with the whole quiet zone
    roomy = layout_for(81 + SIDE_WIDTH, 60, modules)
    assert (roomy.fits, roomy.side, roomy.quiet_rows) == (True, True, 4)
    short = layout_for(120, 40, modules)  # 39 rows for the code with 2 blank modules
    assert (short.fits, short.side, short.quiet_rows) == (True, True, 2)
    narrow = layout_for(90, 50, modules)
    assert (narrow.fits, narrow.side, narrow.quiet_rows) == (True, False, 4)
    small = layout_for(80, 24, modules)
    assert (small.fits, small.needed) == (False, (81 + SIDE_WIDTH, 40))
    assert not layout_for(120, 39, modules).fits


def test_the_recorded_code_reads_back_and_renders_scannably(tmp_path: Path) -> None:
    payload = recorded()["certificate"]["payload"]
    record = read_record(payload)
    assert record is not None
    holder = holder_of(record)
    assert (holder.latin_name, holder.chinese_name, holder.document_number) == (
        "ZHANG SAN",
        "张三",
        "E12345678",
    )
    assert read_record("HC1:not a code") is None
    png = export.export_png(payload, tmp_path / "code.png")
    assert qr.read_image(png.path) == payload
    svg = export.export_svg(payload, tmp_path / "code.svg")
    assert svg.path.read_text("utf-8").lstrip().startswith(("<?xml", "<svg"))
    assert not list(tmp_path.glob(".*"))  # no temporary file left behind


def test_starting_the_app_loads_neither_the_client_nor_the_backend() -> None:
    """The connection, the HTTP client and the certificate codec load when first used: the
    home screen never waits for them."""
    script = "import sys, itdeclare.app; print(' '.join(sorted(sys.modules)))"
    modules = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    ).stdout.split()
    for lazy in ("httpx", "itdeclare.client", "itdeclare.journey.connection", "PIL"):
        assert lazy not in modules
    assert not [m for m in modules if m.startswith("itdeclare.certificate")]


@pytest.mark.parametrize(
    ("seconds", "en", "zh"),
    [
        (None, "no estimate of the wait yet", "近期复核记录太少，暂无法估计等待时间"),
        (20, "about 1 min", "约 1 分钟"),
        (25 * 60, "about 25 min", "约 25 分钟"),
        (3 * 3600 + 600, "about 3 h", "约 3 小时"),
        (47 * 3600, "about 47 h", "约 47 小时"),
        (5 * 86400, "about 5 days", "约 5 天"),
    ],
)
def test_the_wait_in_words(seconds: int | None, en: str, zh: str) -> None:
    from itdeclare import wording as text
    from itdeclare.journey.text import wait_text

    text.use_language("en")
    assert wait_text(seconds) == en
    text.use_language("zh")
    assert wait_text(seconds) == zh
    text.use_language("en")


def test_the_headline_puts_the_wait_beside_the_place() -> None:
    from itdeclare.client import DeclarationDetail
    from itdeclare.widgets.journey.card import headline

    detail = DeclarationDetail(
        id="d1",
        status=S.PENDING_REVIEW,
        queue_position=4,
        redeclarations_left=2,
        consulate="USA",
        estimated_wait_s=3 * 3600,
    )
    assert headline(detail) == "Pending review: 4 ahead in the queue · about 3 h"
    moved = detail.model_copy(update={"queue_position": 0, "estimated_wait_s": 1800})
    assert headline(moved) == "Pending review: next in the queue · about 30 min"
    decided = detail.model_copy(update={"status": S.APPROVED, "queue_position": None})
    assert "about" not in headline(decided)
