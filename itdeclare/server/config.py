"""What one backend process needs to know, gathered from the command line and the settings."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from itdeclare import locations
from itdeclare.config import BackendSettings

DATABASE_FILE = "server.sqlite3"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


class ServerConfig(BaseModel):
    """Frozen and JSON-serialisable: with several workers each process rebuilds it from JSON."""

    model_config = ConfigDict(frozen=True)

    database_url: str
    data_dir: Path
    keys_dir: Path
    passphrase_file: Path | None = None
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
        keys_dir: Path | None = None,
        passphrase_file: Path | None = None,
    ) -> ServerConfig:
        data = data_dir or locations.data_dir()
        backend = backend or BackendSettings()
        return cls(
            database_url=database_url or sqlite_url(data / DATABASE_FILE),
            data_dir=data,
            keys_dir=keys_dir or backend.keys_dir or data / "keys",
            passphrase_file=passphrase_file,
            dev=dev,
            backend=backend,
        )

    @property
    def attachments_dir(self) -> Path:
        return self.backend.attachments_dir or self.data_dir / "attachments"
