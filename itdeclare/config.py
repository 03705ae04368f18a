"""Settings, built once in ``cli.py`` and handed to whatever needs them.

Sources, strongest first: values given in code (the command line), the TOML config file
(``ITDECLARE_CONFIG`` or ``config.toml`` in the config directory), then ``ITDECLARE_*``
environment variables, nested with ``__`` (``ITDECLARE_DRAFTS__AUTOSAVE_DELAY=1``).
"""

from __future__ import annotations

from pathlib import Path
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


class BackendSettings(BaseModel):
    """How ``itdeclare serve`` runs (TOML table ``[backend]``, env ``ITDECLARE_BACKEND__*``)."""

    code_webhook_url: str | None = None
    """Where one-time sign-in codes are POSTed as JSON ``{"phone", "code", "expires_at"}``;
    unset means they are written to the server log."""

    code_ttl_seconds: int = Field(600, ge=60, le=3600)
    """How long a one-time sign-in code stays valid."""

    codes_per_phone_per_hour: int = Field(5, ge=1)
    """At most this many codes are sent to one phone number in an hour."""

    codes_per_address_per_hour: int = Field(30, ge=1)
    """At most this many codes are requested from one client address in an hour."""

    token_ttl_days: int = Field(30, ge=1, le=365)
    """Lifetime of a traveller's sign-in token."""

    reviewer_token_ttl_days: int = Field(90, ge=1, le=730)
    """Lifetime of a reviewer token made by ``itdeclare admin add-reviewer``."""

    attachment_max_bytes: int = Field(10 * 1024 * 1024, ge=1024)
    """Largest accepted attachment (test certificates: PDF, JPEG, PNG)."""

    attachments_dir: Path | None = None
    """Where attachments are stored by SHA-256; unset means ``attachments`` in the data dir.
    Every worker and host of one deployment must see the same directory."""

    keys_dir: Path | None = None
    """The signing keys; unset means ``keys`` in the data dir (as ``itdeclare keys`` uses)."""

    outbound_failures_per_hour: int = Field(10, ge=1)
    """Failed outbound-certificate requests one account may make in an hour."""


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

    backend: BackendSettings = Field(default_factory=BackendSettings)
    """The backend (``itdeclare serve`` and the embedded local backend)."""

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
