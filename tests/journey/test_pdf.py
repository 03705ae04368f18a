"""The printable page of a health code: a vector PDF whose text a PDF reader finds and whose QR
a scanner reads, in Chinese and English, with the font embedded (only the glyphs used)."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from itdeclare import i18n
from itdeclare.certificate import qr
from itdeclare.journey import export
from itdeclare.journey.code import holder_of, read_record
from itdeclare.journey.facts import holder_lines
from itdeclare.storage.records import Certificate
from tests.journey.record import recorded


def poppler(tool: str) -> str:
    """The poppler-utils program ``tool``; CI installs them, so there a missing one fails."""
    found = shutil.which(tool)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} (poppler-utils) is missing on CI")
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return found


def run(*command: str | Path) -> str:
    done = subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, check=True, timeout=60
    )
    assert "Warning" not in done.stderr, done.stderr
    return done.stdout


def exported_page(tmp_path: Path, language: i18n.Language) -> tuple[str, Path]:
    payload = recorded()["certificate"]["payload"]
    record = read_record(payload)
    assert record is not None
    certificate = Certificate(
        declaration_id="d1",
        person_id="p1",
        payload=payload,
        issued_at=datetime(2026, 11, 30, 12, 0, tzinfo=UTC),
        expires_at=datetime(2026, 12, 7, 12, 0, tzinfo=UTC),
    )
    text = export.PageText(
        title=i18n.t("journey.code.page_title", language),
        lines=holder_lines(holder_of(record), certificate, language),
        language=language,
    )
    return payload, export.export_pdf(payload, text, tmp_path / f"code-{language}.pdf").path


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_page_holds_the_holders_name_and_document_as_text(
    tmp_path: Path, language: i18n.Language
) -> None:
    _, pdf = exported_page(tmp_path, language)
    text = run(poppler("pdftotext"), "-layout", pdf, "-")
    assert "ZHANG SAN" in text
    assert "张三" in text
    assert "E12345678" in text
    assert i18n.t("journey.code.page_title", language) in text
    assert not list(tmp_path.glob(".*"))  # no temporary file left behind


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_font_is_embedded_and_subset(tmp_path: Path, language: i18n.Language) -> None:
    _, pdf = exported_page(tmp_path, language)
    fonts = run(poppler("pdffonts"), pdf).splitlines()[2:]
    assert fonts, "the page names no font"
    for font in fonts:
        name, *_, embedded, subset, unicode, _object, _generation = font.split()
        assert "+" in name and (embedded, subset, unicode) == ("yes", "yes", "yes"), font
    assert pdf.stat().st_size < 100_000  # the subset, not the 8 MB font


def test_the_page_is_vector_and_its_qr_scans(tmp_path: Path) -> None:
    payload, pdf = exported_page(tmp_path, "zh")
    assert run(poppler("pdfimages"), "-list", pdf).splitlines()[2:] == []  # no picture at all
    run(poppler("pdftoppm"), "-r", "100", "-png", "-singlefile", pdf, tmp_path / "page")
    assert qr.read_image(tmp_path / "page.png") == payload


def test_long_lines_wrap_inside_the_margins(tmp_path: Path) -> None:
    payload = recorded()["certificate"]["payload"]
    long_line = "证件：中国大陆居民来往台湾通行证 " + "E12345678 " * 20
    text = export.PageText("健康码", [long_line, "张三"], "zh")
    pdf = export.export_pdf(payload, text, tmp_path / "long.pdf").path
    boxes = run(poppler("pdftotext"), "-bbox", pdf, "-")
    a4_width_pt, margin_pt = 595.28, 20 / 25.4 * 72
    right_edges = [float(part.split('"')[1]) for part in boxes.split("xMax=")[1:]]
    left_edges = [float(part.split('"')[1]) for part in boxes.split("xMin=")[1:]]
    assert max(right_edges) <= a4_width_pt - margin_pt + 0.5
    assert min(left_edges) >= margin_pt - 0.5
    assert "张三" in run(poppler("pdftotext"), pdf, "-")
