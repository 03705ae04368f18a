"""Settings: the config file, ``ITDECLARE_*`` variables and the command line, and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from itdeclare.cli import main
from itdeclare.config import (
    BackendSettings,
    DraftSettings,
    Settings,
    SettingsError,
    load_settings,
)


@pytest.fixture
def config_file(isolated_user_dirs: Path) -> Path:
    path = isolated_user_dirs / "config" / "config.toml"
    path.parent.mkdir(parents=True)
    return path


def test_nothing_configured_gives_the_defaults() -> None:
    assert load_settings() == Settings()


def test_environment_variables_nested_and_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ITDECLARE_DRAFTS__AUTOSAVE_DELAY", "0.25")
    monkeypatch.setenv("itdeclare_backend__codes_per_phone_per_hour", "50")
    monkeypatch.setenv("ITDECLARE_KEYMAP", '{"wizard.next": "ctrl+n"}')
    monkeypatch.setenv("ITDECLARE_LANGUAGE", "zh")
    settings = load_settings()
    assert settings.drafts == DraftSettings(autosave_delay=0.25)
    assert settings.backend == BackendSettings(codes_per_phone_per_hour=50)
    assert settings.keymap == {"wizard.next": "ctrl+n"}
    assert settings.language == "zh"


def test_other_itdeclare_variables_are_not_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    # The fixtures set ITDECLARE_DATA_DIR and ITDECLARE_KEY_STORE; a test switch joins them.
    monkeypatch.setenv("ITDECLARE_REQUIRE_SHARED", "1")
    assert load_settings() == Settings()


def test_the_file_beats_the_environment_and_the_command_line_beats_both(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_file.write_text(
        'language = "en"\ntheme = "textual-light"\n'
        "[drafts]\nautosave_delay = 2\n"
        '[backend]\nkeys_dir = "/srv/keys"\n',
        "utf-8",
    )
    monkeypatch.setenv("ITDECLARE_THEME", "nord")
    monkeypatch.setenv("ITDECLARE_DRAFTS__AUTOSAVE_MAX_WAIT", "5")
    monkeypatch.setenv("ITDECLARE_SERVER", "https://env.example")
    settings = load_settings(language="zh")
    assert settings.language == "zh"
    assert settings.theme == "textual-light"
    assert settings.server == "https://env.example"
    assert settings.drafts == DraftSettings(autosave_delay=2.0, autosave_max_wait=5.0)
    assert settings.backend.keys_dir == Path("/srv/keys")


def test_every_bad_value_is_named(config_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config_file.write_text('language = "fr"\n[drafts]\nautosave_delay = 60\n', "utf-8")
    monkeypatch.setenv("ITDECLARE_BACKEND__TOKEN_TTL_DAYS", "a month")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = caught.value.message("en")
    assert str(config_file) in message
    assert "language: should be one of: zh, en" in message
    assert "drafts.autosave_delay: should be at most 10" in message
    assert "backend.token_ttl_days: should be a whole number" in message
    assert "drafts.autosave_delay: 不应大于 10" in caught.value.message("zh")


def test_a_broken_config_file_is_reported(config_file: Path) -> None:
    config_file.write_text("language = \n", "utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert caught.value.code == "not_toml"
    assert str(config_file) in caught.value.message("en")


def test_a_table_in_one_variable_must_be_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ITDECLARE_DRAFTS", "autosave_delay=1")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert caught.value.code == "env_not_json"
    assert "ITDECLARE_DRAFTS" in caught.value.message("en")


@pytest.mark.parametrize(("lang", "expected"), [("en", "should be a number"), ("zh", "应为数字")])
def test_the_command_says_what_is_wrong_and_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lang: str, expected: str
) -> None:
    monkeypatch.setenv("ITDECLARE_DRAFTS__AUTOSAVE_DELAY", "soon")
    assert main(["validate", "--lang", lang, "missing.json"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "drafts.autosave_delay" in err
    assert expected in err
    assert "Traceback" not in err


def test_a_variable_of_the_table_wins_over_the_whole_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ITDECLARE_DRAFTS__AUTOSAVE_DELAY", "2")
    monkeypatch.setenv("ITDECLARE_DRAFTS", '{"autosave_delay": 1, "autosave_max_wait": 4}')
    assert load_settings().drafts == DraftSettings(autosave_delay=2.0, autosave_max_wait=4.0)


def test_a_whole_table_must_be_an_object(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ITDECLARE_KEYMAP", '["wizard.next"]')
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert caught.value.code == "env_not_json"


def test_whole_numbers_may_be_written_with_a_point(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_file.write_text("[backend]\ncode_ttl_seconds = 600.0\n", "utf-8")
    monkeypatch.setenv("ITDECLARE_BACKEND__TOKEN_TTL_DAYS", "7.0")
    backend = load_settings().backend
    assert (backend.code_ttl_seconds, backend.token_ttl_days) == (600, 7)


def test_an_unreadable_config_file_ends_the_command_with_a_reason(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config_file.mkdir()  # a directory where the file should be
    assert main(["validate", "--lang", "en", "missing.json"]) == 2
    err = capsys.readouterr().err
    assert "cannot read the config file" in err
    assert "Traceback" not in err
