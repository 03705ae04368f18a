"""A picture holding two different QR codes is refused, not judged by whichever code the reader
happens to find first: ``verify --image`` and ``import-test --image`` exit 2 and ask for the
picture to be cropped to one code, in either language, and so does the app's import. The same
code twice in one picture is still one code."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from itdeclare import cli
from itdeclare.certificate import errors, qr
from itdeclare.certificate.issue import issue_declaration
from itdeclare.certificate.keys import KeyStore
from itdeclare.models import Declaration

from .conftest import DURING, EXPIRES, ISSUED


def side_by_side(first: str, second: str, path: Path) -> Path:
    """A PNG with the codes of ``first`` and ``second`` drawn next to each other."""
    left = Image.open(qr.write_png(first, path.with_suffix(".left.png")))
    right = Image.open(qr.write_png(second, path.with_suffix(".right.png")))
    both = Image.new("L", (left.width + right.width, max(left.height, right.height)), 255)
    both.paste(left.convert("L"), (0, 0))
    both.paste(right.convert("L"), (left.width, 0))
    both.save(path)
    return path


@pytest.fixture
def other_code(keystore: KeyStore, maximal: Declaration) -> str:
    """Another person's code: another declaration, signed by the same key."""
    return issue_declaration(
        maximal,
        declaration_id="019ad3f2c4e19a7d4e2b8c1a87654321",
        signer=keystore.signer(),
        issued_at=ISSUED,
        expires_at=EXPIRES,
    )


@pytest.fixture
def two_codes(code: str, other_code: str, tmp_path: Path) -> Path:
    return side_by_side(code, other_code, tmp_path / "two.png")


def test_a_picture_of_two_different_codes_is_refused(two_codes: Path) -> None:
    with pytest.raises(errors.QrSeveralCodes) as refused:
        qr.read_image(two_codes)
    assert refused.value.params["count"] == 2
    assert "crop the picture to the one code" in refused.value.message("en")
    assert "请将图片裁剪到只含要核验的那个二维码" in refused.value.message("zh")
    with pytest.raises(errors.QrSeveralCodes):  # read from its bytes too
        qr.read_image(two_codes.read_bytes())


def test_the_same_code_twice_is_one_code(code: str, tmp_path: Path) -> None:
    assert qr.read_image(side_by_side(code, code, tmp_path / "twice.png")) == code


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "holds 2 different QR codes"), ("zh", "中有 2 个不同的二维码")],
)
@pytest.mark.parametrize("command", ["verify", "import-test"])
def test_the_commands_refuse_it_with_exit_2(
    two_codes: Path,
    trust_file: Path,
    command: str,
    language: str,
    words: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = [command, "--lang", language, "--trust-list", str(trust_file), "--image", str(two_codes)]
    status = cli.main(argv)
    out, err = capsys.readouterr()
    assert status == 2 and out == ""
    assert words in err and "two.png" in err


def test_verify_reads_the_same_code_twice(
    code: str, trust_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    twice = side_by_side(code, code, tmp_path / "twice.png")
    argv = ["verify", "--trust-list", str(trust_file), "--at", DURING.isoformat()]
    assert cli.main([*argv, "--image", str(twice)]) == 0
    assert "VALID" in capsys.readouterr().out


def test_the_apps_import_says_the_same(two_codes: Path, trust_file: Path) -> None:
    from itdeclare.certificate.trust import TrustList
    from itdeclare.journey.imports import ImportFailed, read_picture

    with pytest.raises(ImportFailed) as failed:
        read_picture(two_codes, lambda: TrustList.load(trust_file))
    assert "crop the picture to the one code" in failed.value.message
