"""The tests' reports without the app: what may be attached, how a report follows its test,
what is left to send, and the encrypted copies they upload from."""

from __future__ import annotations

from pathlib import Path

import pytest

from itdeclare.journey import reports
from itdeclare.storage.records import Draft
from itdeclare.storage.state import LocalState
from tests.server import uploads
from tests.tui.seeds import complete_form


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LocalState:
    monkeypatch.setenv("ITDECLARE_KEY_STORE", "file")
    return LocalState(tmp_path / "data")


def _draft() -> Draft:
    return Draft(person_id="p", declaration=complete_form())


def _file(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_a_report_is_kept_encrypted_and_linked_to_its_test(
    state: LocalState, tmp_path: Path
) -> None:
    draft = _draft()
    pdf = _file(tmp_path, "report.pdf", uploads.pdf())
    report = reports.attach(draft, state.reports, 1, pdf)
    assert (report.test_index, report.content_type, report.size) == (
        1,
        "application/pdf",
        len(pdf.read_bytes()),
    )
    pdf.unlink()  # the original may go: the copy uploads
    assert state.reports.read(report.sha256) == uploads.pdf()
    [kept] = (state.root / "reports").glob("*.rec")
    assert uploads.pdf() not in kept.read_bytes()  # encrypted at rest
    assert reports.of_test(draft, 1) == [report] and reports.of_test(draft, 0) == []


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("notes.txt", b"just text", "kind"),
        ("empty.pdf", b"", "empty"),
        ("renamed.png", b"%PDF-1.4 but not an image", None),  # the content decides: a PDF
    ],
)
def test_the_content_decides_what_may_be_attached(
    state: LocalState, tmp_path: Path, name: str, content: bytes, code: str | None
) -> None:
    draft = _draft()
    path = _file(tmp_path, name, content)
    if code is None:
        assert reports.attach(draft, state.reports, 0, path).content_type == "application/pdf"
        return
    with pytest.raises(reports.ReportRefused) as refused:
        reports.attach(draft, state.reports, 0, path)
    assert refused.value.code == code
    assert name in refused.value.message
    assert draft.reports == []


def test_too_large_missing_twice_and_no_such_test_are_refused(
    state: LocalState, tmp_path: Path
) -> None:
    draft = _draft()
    big = tmp_path / "scan.pdf"
    with big.open("wb") as handle:
        handle.write(b"%PDF-")
        handle.truncate(reports.MAX_BYTES + 1)
    pdf = _file(tmp_path, "report.pdf", uploads.pdf())
    reports.attach(draft, state.reports, 0, pdf)
    cases = [
        (0, big, "too_large"),
        (0, tmp_path / "gone.pdf", "missing"),
        (0, pdf, "twice"),
        (7, pdf, "no_test"),
    ]
    for index, path, code in cases:
        with pytest.raises(reports.ReportRefused) as refused:
            reports.attach(draft, state.reports, index, path)
        assert refused.value.code == code
    assert len(draft.reports) == 1
    reports.attach(draft, state.reports, 1, pdf)  # the same file may be another test's report


def test_a_report_follows_its_test_when_the_list_changes(state: LocalState, tmp_path: Path) -> None:
    draft = _draft()
    report = reports.attach(draft, state.reports, 1, _file(tmp_path, "igm.pdf", uploads.pdf()))
    tests = draft.declaration["tests"]
    tests.reverse()  # moved up
    reports.relink(draft)
    assert report.test_index == 0
    tests[0]["sampled_at"] = "2026-11-30 10:00"  # corrected in place: it stays the report
    reports.relink(draft)
    assert report.test_index == 0 and report.test_key.endswith("10:00")
    del tests[:]  # removed: loose, and not sent
    reports.relink(draft)
    assert reports.loose(draft) == [report]
    draft.submitted_as = "d1"
    assert reports.unsent(draft) == [] and not reports.has_unsent(draft)


def test_what_is_left_to_send(state: LocalState, tmp_path: Path) -> None:
    draft = _draft()
    first = reports.attach(draft, state.reports, 0, _file(tmp_path, "a.pdf", uploads.pdf()))
    png = _file(tmp_path, "b.png", uploads.image("PNG"))
    second = reports.attach(draft, state.reports, 1, png)
    assert not reports.has_unsent(draft)  # not filed yet: nothing is "left"
    draft.submitted_as = "d1"
    assert reports.unsent(draft) == [first, second] and reports.has_unsent(draft)
    first.uploaded_to, first.uploaded_as = "d1", "a1"
    second.refused = "not_in_review"
    assert reports.unsent(draft) == []
    assert reports.unsent(draft, "d2") == [first]  # a re-declaration takes it again


def test_the_draft_keeps_its_reports_and_holders_across_a_restart(
    state: LocalState, tmp_path: Path
) -> None:
    from itdeclare.storage.records import ImportedHolder

    draft = _draft()
    reports.attach(draft, state.reports, 0, _file(tmp_path, "a.pdf", uploads.pdf()))
    draft.imported.append(ImportedHolder(test_key="k", family_name="LI", date_of_birth="1964"))
    state.drafts.save(draft)
    again = LocalState(state.root).drafts.load(draft.id)
    assert again is not None
    assert again.reports == draft.reports and again.imported == draft.imported


def test_a_damaged_copy_is_not_sent(state: LocalState, tmp_path: Path) -> None:
    draft = _draft()
    report = reports.attach(draft, state.reports, 0, _file(tmp_path, "a.pdf", uploads.pdf()))
    [kept] = (state.root / "reports").glob("*.rec")
    damaged = bytearray(kept.read_bytes())
    damaged[-1] ^= 1
    kept.write_bytes(bytes(damaged))
    assert LocalState(state.root).reports.read(report.sha256) is None
