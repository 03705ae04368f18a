"""An outbound certificate with a kind of record missing says it is incomplete on the code
screen itself, and once on the form behind it."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from itdeclare.screens.certificate import CertificateScreen
from itdeclare.screens.outbound import OutboundScreen
from tests.journey.conftest import AppFactory, next_consulate, next_phone, settle, until
from tests.journey.test_journey import filing_form, sign_in_when_asked
from tests.tui.seeds import seed

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("language", "incomplete"),
    [
        ("en", "Incomplete: the health authority holds no antibody test"),
        ("zh", "证明信息不完整：卫生健康部门没有您的抗体检测记录"),
    ],
)
async def test_the_code_screen_says_the_certificate_is_incomplete(
    make_app: AppFactory, language: str, incomplete: str
) -> None:
    seed(filing_form(next_consulate()), step="review")
    app = make_app(language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await until(pilot, lambda: app.screen.id == "outbound")
        form = app.screen
        assert isinstance(form, OutboundScreen)
        form.values.update(
            {
                "id_card_number": "310104198511122342",
                "name": "李芳",
                "document.type": "service_passport",
                "document.number": "SE1234567",
            }
        )
        await pilot.press("ctrl+s")
        await sign_in_when_asked(pilot, next_phone())
        await until(pilot, lambda: isinstance(app.screen, CertificateScreen), within=30)
        code = app.screen
        assert isinstance(code, CertificateScreen)
        await until(pilot, lambda: code.holder is not None)
        said = [str(s.content) for s in code.query(Static).results(Static)]
        assert sum(incomplete in text for text in said) == 1, said
        assert code.query_one("#code-incomplete").region.height > 0  # on the window

        await pilot.press("escape")
        await until(pilot, lambda: app.screen is form)
        said = [str(s.content) for s in form.query(Static).results(Static)]
        assert sum(text.count(incomplete) for text in said) == 1, said
