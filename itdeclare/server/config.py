"""What one backend process needs to know, gathered from the command line and the settings."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from itdeclare.config import BackendSettings
from itdeclare.server.db import sqlite_url
from itdeclare.storage import locations

DATABASE_FILE = "server.sqlite3"


class ServerConfig(BaseModel):
    """Frozen and JSON-serialisable: with several workers each process rebuilds it from JSON."""

    model_config = ConfigDict(frozen=True)

    database_url: str
    data_dir: Path
    dev: bool = False
    backend: BackendSettings = BackendSettings()

    @classmethod
    def build(
        cls,
        *,
        database_url: str | None = None,
        data_dir: Path | None = None,
        dev: bool = False,
        backend: BackendSettings | None = None,
    ) -> ServerConfig:
        data = data_dir or locations.data_dir()
        return cls(
            database_url=database_url or sqlite_url(data / DATABASE_FILE),
            data_dir=data,
            dev=dev,
            backend=backend or BackendSettings(),
        )

    @property
    def attachments_dir(self) -> Path:
        return self.backend.attachments_dir or self.data_dir / "attachments"

    @property
    def keys_dir(self) -> Path:
        return self.backend.keys_dir or self.data_dir / "keys"
