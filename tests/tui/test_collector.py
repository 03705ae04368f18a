"""``itdeclare`` starts the apps and ``verify`` with the cyclic garbage collector paused
(``itdeclare.cli``): the apps resume it once their first screen is drawn, ``verify`` before its
first code, and every other command runs with it. A long session must never run without it."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import itdeclare.cli
from itdeclare.certificate.trust import TrustList
from itdeclare.cli import _STARTED_PAUSED, _handler, main, parse_arguments
from itdeclare.config import Settings
from itdeclare.review_app import ReviewerApp
from tests.tui.conftest import AppFactory


@pytest.fixture
def collector_paused() -> Iterator[None]:
    """As ``itdeclare`` starts an app; the collector is running again after the test whatever
    happens in it."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.mark.parametrize("argv", [[], ["--lang", "zh"], ["review"], ["verify", "HC1:x"]])
def test_the_apps_and_verify_start_with_the_collector_paused(argv: list[str]) -> None:
    assert parse_arguments(argv).run in _STARTED_PAUSED


@pytest.mark.parametrize("path", sorted(_STARTED_PAUSED))
def test_each_command_started_paused_names_its_handler(path: str) -> None:
    assert callable(_handler(path))


def test_any_other_command_runs_with_the_collector(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: list[bool] = []

    def validate(args: object, settings: object) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr(itdeclare.cli, "validate", validate)
    monkeypatch.setenv("ITDECLARE_CONFIG", str(tmp_path / "none.toml"))
    assert main(["validate", str(tmp_path / "declaration.json")]) == 0
    assert seen == [True]
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_paused")
def test_verify_jsonl_resumes_it_before_its_first_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from itdeclare.verify_cli import _Lists, _verify_lines

    codes = tmp_path / "codes.txt"
    codes.write_text("HC1:not a code\n", "utf-8")
    lists = _Lists(trust_list=TrustList(), revocations=None, kept=None)
    assert _verify_lines(str(codes), lists, None) == 1
    assert gc.isenabled()
    assert json.loads(capsys.readouterr().out)["line"] == 1


@pytest.mark.usefixtures("collector_paused")
async def test_the_traveller_app_resumes_it_once_home_is_drawn(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert gc.isenabled()


@pytest.mark.usefixtures("collector_paused")
async def test_the_review_console_resumes_it_once_its_first_screen_is_drawn() -> None:
    app = ReviewerApp(Settings(language="en", server="http://review.test"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert gc.isenabled()
