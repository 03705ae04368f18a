"""Every path the application writes to, in one place.

Directories follow the platform's conventions (platformdirs) and each can be moved with an
environment variable, which is how the tests keep a developer's own data out of reach.
Nothing is created until something asks for it. A neutral module (it imports nothing of the
package): the client's storage, the certificate keys and the server's settings all take their
paths from here.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

APP_NAME = "itdeclare"

#: Environment variables that relocate each directory.
DATA_DIR_ENV = "ITDECLARE_DATA_DIR"
CONFIG_DIR_ENV = "ITDECLARE_CONFIG_DIR"
STATE_DIR_ENV = "ITDECLARE_STATE_DIR"
CONFIG_FILE_ENV = "ITDECLARE_CONFIG"
EXPORT_DIR_ENV = "ITDECLARE_EXPORT_DIR"


def _dir(env: str, default: Callable[[], str]) -> Path:
    """The directory ``env`` names, else ``default()`` (platformdirs, loaded only then)."""
    override = os.environ.get(env)
    return Path(override).expanduser() if override else Path(default())


def data_dir() -> Path:
    """Drafts, people, certificates, the session and the embedded backend's database."""
    return _dir(DATA_DIR_ENV, lambda: _platformdirs().user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    return _dir(CONFIG_DIR_ENV, lambda: _platformdirs().user_config_dir(APP_NAME, appauthor=False))


def state_dir() -> Path:
    """Logs and other state worth keeping but not backing up."""
    return _dir(STATE_DIR_ENV, lambda: _platformdirs().user_state_dir(APP_NAME, appauthor=False))


def export_dir() -> Path:
    """Where the app writes what the user exports (health codes as PNG, SVG and PDF)."""
    return _dir(EXPORT_DIR_ENV, lambda: str(Path(_platformdirs().user_documents_dir()) / APP_NAME))


def _platformdirs() -> ModuleType:
    import platformdirs

    return platformdirs


def config_file() -> Path:
    override = os.environ.get(CONFIG_FILE_ENV)
    return Path(override).expanduser() if override else config_dir() / "config.toml"


def ensure(directory: Path) -> Path:
    """Create ``directory`` and any missing parent, each private to the user (0700 whatever the
    umask: ``mkdir``'s mode is masked, and ``parents=True`` ignores it for the parents), and
    return it. Directories that exist already are left as they are."""
    missing = [path for path in (directory, *directory.parents) if not path.exists()]
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            continue  # made meanwhile by another process
        path.chmod(0o700)
    return directory
