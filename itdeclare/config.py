"""Settings, built once in ``cli.py`` and handed to whatever needs them.

Sources, strongest first: values given in code (the command line), the TOML config file
(``ITDECLARE_CONFIG`` or ``config.toml`` in the config directory), then ``ITDECLARE_*``
environment variables, nested with ``__`` (``ITDECLARE_DRAFTS__AUTOSAVE_DELAY=1``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from itdeclare.storage import locations


class DraftSettings(BaseModel):
    autosave_delay: float = Field(0.5, ge=0.05, le=10)
    """Seconds of quiet after the last keystroke before a draft is written to disk."""

    autosave_max_wait: float = Field(1.0, ge=0.1, le=30)
    """Seconds of continuous typing after which the draft is written anyway."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ITDECLARE_", env_nested_delimiter="__", extra="ignore"
    )

    language: Literal["zh", "en"] | None = None
    """Interface language; unset means Chinese under a zh locale and English otherwise."""

    server: str | None = None
    """Base URL of a deployed backend; unset means the embedded local backend."""

    database_url: str | None = None
    """Database of ``itdeclare serve`` (SQLAlchemy URL); unset means SQLite in the data dir."""

    theme: str = "textual-dark"
    """A Textual theme name; an unknown one falls back to the default with a notice."""

    keymap: dict[str, str] = Field(default_factory=dict)
    """Key remapping: binding id to keys, e.g. {"wizard.next" = "ctrl+n"}."""

    drafts: DraftSettings = Field(default_factory=DraftSettings)
    """Draft autosave behaviour."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=locations.config_file())
        return (init_settings, toml, env_settings)
