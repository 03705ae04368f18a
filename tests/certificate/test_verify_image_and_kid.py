"""What ``itdeclare verify`` tells an officer about a picture it cannot read and about the key
that signed a code: a format it does not read is named as such, and the key id is printed as
the trust list writes it (base64)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from itdeclare import cli
from itdeclare.certificate import errors, qr
from itdeclare.certificate.keys import KeyStore

from .conftest import DURING, EXPIRES, ISSUED


@pytest.mark.parametrize("language", ["en", "zh"])
def test_an_svg_is_named_as_a_format_not_read(
    code: str,
    trust_file: Path,
    tmp_path: Path,
    language: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    svg = qr.write_svg(code, tmp_path / "code.svg")
    status = cli.main(
        ["verify", "--lang", language, "--trust-list", str(trust_file), "--image", str(svg)]
    )
    err = capsys.readouterr().err
    assert status == 2
    assert "PNG" in err and "JPEG" in err and "code.svg" in err
    with pytest.raises(errors.ImageFormatUnsupported):
        qr.read_image(svg)


def test_a_png_still_reads(code: str, tmp_path: Path) -> None:
    assert qr.read_image(qr.write_png(code, tmp_path / "code.png")) == code


def test_the_signing_key_is_printed_as_the_trust_list_writes_it(
    code: str, trust_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (entry,) = json.loads(trust_file.read_text())["keys"]
    status = cli.main(["verify", "--trust-list", str(trust_file), "--at", DURING.isoformat(), code])
    out = capsys.readouterr().out
    assert status == 0
    assert f"Signed by key {entry['kid']} " in out


def test_an_outbound_certificate_is_called_by_its_own_name(keystore: KeyStore) -> None:
    from itdeclare import i18n
    from itdeclare.certificate.issue import issue_outbound
    from itdeclare.certificate.report import render
    from itdeclare.certificate.trust import TrustList
    from itdeclare.certificate.verify import verify
    from itdeclare.models import HealthRecord

    health = HealthRecord.model_validate(
        {
            "id_card_number": "11010519560301001X",
            "name": "张三",
            "family_name": "ZHANG",
            "given_name": "SAN",
            "sex": "male",
            "documents": [{"type": "passport", "number": "E12345678"}],
            "vaccinations": [
                {
                    "product": "BBIBP-CorV",
                    "dose": 2,
                    "of": 2,
                    "date": "2021-06-01",
                    "country": "CHN",
                }
            ],
        }
    )
    payload = issue_outbound(
        health, health.documents[0], signer=keystore.signer(), issued_at=ISSUED, expires_at=EXPIRES
    )
    result = verify(payload, trust_list=TrustList.from_json(keystore.trust_list()), at=DURING)
    i18n.set_language("zh")
    try:
        report = render(result)
    finally:
        i18n.set_language("en")
    assert report.splitlines()[0] == "国际旅行健康证明有效"
    assert "中国（CHN）" in report  # a country by its name, not a bare code


def _png_claiming(width: int, height: int, path: Path) -> Path:
    """A PNG of a few dozen bytes whose header claims ``width`` x ``height`` pixels: what a
    decompression bomb looks like before it is decoded."""
    import io
    import struct
    import zlib

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    data[16:24] = struct.pack(">II", width, height)  # the IHDR chunk's size fields
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))  # and its checksum
    path.write_bytes(bytes(data))
    return path


# Pillow refuses past twice its limit (~179 million pixels) and only warns of what lies past
# the limit itself (~89 million): both are too large.
@pytest.mark.parametrize("side", [30_000, 10_000])
def test_a_picture_too_large_to_decode_is_named_so(
    side: int, tmp_path: Path, recwarn: pytest.WarningsRecorder
) -> None:
    bomb = _png_claiming(side, side, tmp_path / "bomb.png")
    with pytest.raises(qr.ImageTooLarge) as refused:
        qr.read_image(bomb)
    assert "bomb.png" in refused.value.message("en") and "too large" in refused.value.message("en")
    assert "过大" in refused.value.message("zh")
    assert not recwarn.list  # Pillow's warning is not let through to print


@pytest.mark.parametrize("command", ["verify", "import-test"])
@pytest.mark.parametrize(("language", "words"), [("en", "too large"), ("zh", "图片过大")])
def test_the_commands_refuse_a_decompression_bomb_as_unreadable(
    command: str,
    language: str,
    words: str,
    trust_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bomb = _png_claiming(30_000, 30_000, tmp_path / "bomb.png")
    status = cli.main(
        [command, "--lang", language, "--trust-list", str(trust_file), "--image", str(bomb)]
    )
    out, err = capsys.readouterr()
    assert (status, out) == (2, "")
    assert words in err and "bomb.png" in err and len(err.splitlines()) == 1


def _png_with_chunk_after_the_image(png: Path, kind: bytes, data: bytes) -> Path:
    """``png`` with one more chunk just before its end, its checksum right: Pillow reads it
    only once the image is decoded."""
    import struct
    import zlib

    content = png.read_bytes()
    end = content.rindex(b"IEND") - 4
    chunk = struct.pack(">I", len(data)) + kind + data
    chunk += struct.pack(">I", zlib.crc32(kind + data))
    png.write_bytes(content[:end] + chunk + content[end:])
    return png


# A colour profile or a compressed text in an unknown compression method: Pillow raises
# SyntaxError, which ended verify with a traceback.
@pytest.mark.parametrize("kind", [b"iCCP", b"zTXt"])
def test_a_damaged_picture_is_unreadable_not_a_traceback(
    kind: bytes, code: str, trust_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    png = qr.write_png(code, tmp_path / "code.png")
    damaged = _png_with_chunk_after_the_image(png, kind, b"name\x00\x07data")
    with pytest.raises(errors.QrUnreadable):
        qr.read_image(damaged)
    status = cli.main(["verify", "--trust-list", str(trust_file), "--image", str(damaged)])
    assert status == 2 and "No QR code could be read" in capsys.readouterr().err
