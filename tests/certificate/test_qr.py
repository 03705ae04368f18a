"""QR rendering: half-block rows with a quiet zone, PNG and SVG files, reading pictures back."""

from __future__ import annotations

from pathlib import Path

import pytest

from itdeclare.certificate import errors, qr

PAYLOAD = "HC1:" + "NCFOXN%TS3DH0RSM4" * 30


def test_terminal_lines_are_half_blocks_with_a_quiet_zone() -> None:
    lines = qr.terminal_lines(PAYLOAD)
    columns, rows = qr.qr_size(PAYLOAD)
    assert len(lines) == rows and {len(line) for line in lines} == {columns}
    assert set("".join(lines)) <= {" ", "▀", "▄", "█"}
    quiet = qr.QUIET_ZONE
    assert all(line == " " * columns for line in lines[: quiet // 2])
    assert all(line[:quiet] == " " * quiet and line[-quiet:] == " " * quiet for line in lines)


def test_terminal_rows_match_the_module_matrix() -> None:
    modules = qr.matrix(PAYLOAD)
    lines = qr.terminal_lines(PAYLOAD)
    for row, line in enumerate(lines):
        for column, char in enumerate(line):
            top = modules[2 * row][column]
            bottom = modules[2 * row + 1][column] if 2 * row + 1 < len(modules) else False
            assert char == {(0, 0): " ", (1, 0): "▀", (0, 1): "▄", (1, 1): "█"}[(top, bottom)]


@pytest.mark.parametrize("quiet_rows", [2, 3, 4])
def test_a_short_window_keeps_less_quiet_zone_above_and_below(quiet_rows: int) -> None:
    bare = qr.matrix(PAYLOAD, border=0)
    lines = qr.half_block_lines(bare, quiet_rows=quiet_rows)
    assert len(lines) == (len(bare) + 2 * quiet_rows + 1) // 2
    assert all(line[: qr.QUIET_ZONE] == " " * qr.QUIET_ZONE for line in lines)
    assert lines[: quiet_rows // 2] == [" " * len(lines[0])] * (quiet_rows // 2)
    first = lines[quiet_rows // 2][qr.QUIET_ZONE :]
    assert set(first) & ({"▄"} if quiet_rows % 2 else {"▀", "█"})  # the finder's top edge


def test_terminal_text_is_black_on_white() -> None:
    text = qr.terminal_text(PAYLOAD)
    assert all(line.startswith("\x1b[30;107m") for line in text.splitlines())


def test_png_and_svg_files(tmp_path: Path) -> None:
    png = qr.write_png(PAYLOAD, tmp_path / "code.png")
    assert qr.read_image(png) == PAYLOAD
    svg = qr.write_svg(PAYLOAD, tmp_path / "code.svg").read_text()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "path" in svg


def test_reads_a_jpeg(tmp_path: Path) -> None:
    from PIL import Image

    png = qr.write_png(PAYLOAD, tmp_path / "code.png")
    with Image.open(png) as image:
        image.convert("RGB").save(tmp_path / "code.jpg", quality=85)
    assert qr.read_image(tmp_path / "code.jpg") == PAYLOAD


@pytest.mark.parametrize("content", [b"not an image", b""])
def test_unreadable_pictures(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.png"
    path.write_bytes(content)
    with pytest.raises(errors.QrUnreadable):
        qr.read_image(path)


def test_a_picture_without_a_code(tmp_path: Path) -> None:
    from PIL import Image

    Image.new("L", (200, 200), 255).save(tmp_path / "blank.png")
    with pytest.raises(errors.QrUnreadable):
        qr.read_image(tmp_path / "blank.png")


@pytest.mark.parametrize("write", [qr.write_png, qr.write_svg])
def test_a_payload_no_qr_holds_is_a_clear_error(tmp_path: Path, write: object) -> None:
    payload = "HC1:" + "NCFOXN%TS3DH0RSM4" * 300
    with pytest.raises(errors.QrTooLarge) as raised:
        write(payload, tmp_path / "code")  # type: ignore[operator]
    assert "5104 characters" in raised.value.message("en")
    assert "5104 个字符" in raised.value.message("zh")
    with pytest.raises(errors.QrTooLarge):
        qr.terminal_lines(payload)
