"""A code too long for any QR (signed before the limits, or by another issuer) is said in
words beside the holder, in the user's language: never a failure with a raw error."""

from __future__ import annotations

import dataclasses
import json
import random
import string
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from itdeclare import i18n
from itdeclare.certificate import qr
from itdeclare.certificate.errors import QrTooLarge
from itdeclare.certificate.issue import declaration_record, sign_record
from itdeclare.certificate.keys import KeyStore
from itdeclare.i18n import Language
from itdeclare.models import validate_declaration
from itdeclare.screens.certificate import CertificateScreen
from itdeclare.storage.state import LocalState
from itdeclare.widgets.journey.qr import QrCode
from tests.journey.conftest import settle, until
from tests.journey.recorded_app import recorded_app
from tests.journey.test_code_screen import text_of

LETTERS = string.ascii_letters + " "
EXAMPLE = Path(__file__).parents[2] / "examples" / "self.json"


def _too_long_for_a_qr(keys_dir: Path, issued_at: datetime) -> str:
    """Twelve tests with long laboratory names, as the backend signed before the limits."""
    declaration = validate_declaration(json.loads(EXAMPLE.read_text("utf-8"))).declaration
    assert declaration is not None
    first, letters = declaration.tests[0], random.Random(12)
    tests = tuple(
        first.model_copy(update={"institution": "".join(letters.choices(LETTERS, k=150))})
        for _ in range(12)
    )
    record = dataclasses.replace(declaration_record(declaration, "ab" * 16), tests=tests)
    return sign_record(
        record,
        signer=KeyStore.init(keys_dir, b"a long enough test passphrase").signer(),
        issued_at=issued_at,
        expires_at=issued_at + timedelta(days=7),
    )


@pytest.mark.parametrize(
    ("language", "words"), [("en", "too long to draw as a QR code"), ("zh", "无法生成二维码")]
)
async def test_a_code_no_qr_holds_is_said_in_words(
    tmp_path: Path, language: Language, words: str
) -> None:
    app = recorded_app("approved", language, serve="down", poll_interval=0.1)
    store = LocalState().certificates
    [kept] = store.list()
    payload = _too_long_for_a_qr(tmp_path / "keys", kept.issued_at)
    with pytest.raises(QrTooLarge):
        qr.version(payload)
    store.save(dataclasses.replace(kept, payload=payload))
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await until(pilot, lambda: isinstance(app.screen, CertificateScreen))
        screen = app.screen
        assert isinstance(screen, CertificateScreen)
        offline = i18n.t("journey.code.offline", language, reason="{}").split("{}")[0]
        # The backend is down: its note joins the words, in whichever order the two arrive.
        await until(pilot, lambda: offline in text_of(screen, "#code-note"))
        await until(pilot, lambda: words in text_of(screen, "#code-note"))
        await settle(pilot)
        assert offline in text_of(screen, "#code-note")
        assert not screen.query(QrCode) and not screen.check_action("export", ("png",))
        assert "ZHANG" in screen.query_one("#code-holder").render().plain  # type: ignore[attr-defined]
        assert not [n for n in app._notifications if n.severity == "error"]
