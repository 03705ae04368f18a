"""Fixtures every test gets: no developer data, no live network, a fixed language."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from itdeclare import i18n

#: The read-only reference data (EU DCC vectors, schema, value sets) that CI keeps beside the
#: clone. A newcomer's clone does not have it: tests that need it skip and say why.
SHARED_DIR = Path(os.environ.get("ITDECLARE_SHARED_DIR", Path(__file__).parents[2] / "shared"))


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point every user directory and the config file at the test's own tmp_path."""
    home = tmp_path / "user"
    for env, sub in (
        ("ITDECLARE_DATA_DIR", "data"),
        ("ITDECLARE_CONFIG_DIR", "config"),
        ("ITDECLARE_STATE_DIR", "state"),
        ("ITDECLARE_EXPORT_DIR", "exports"),
    ):
        monkeypatch.setenv(env, str(home / sub))
    monkeypatch.setenv("ITDECLARE_CONFIG", str(home / "config" / "config.toml"))
    # Keep test keys out of the developer's own OS keyring (macOS Keychain, Secret Service…).
    monkeypatch.setenv("ITDECLARE_KEY_STORE", "file")
    for name in ("ITDECLARE_SERVER", "ITDECLARE_LANGUAGE", "ITDECLARE_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    yield home


#: scrypt's work factor for keys sealed inside the test process. The real one (2**17, about a
#: second of one core and 128 MiB each time) would make every fresh key store a second slower;
#: the files carry their own parameters, so nothing else changes. Subprocesses (``itdeclare
#: serve``, ``itdeclare keys``) and tests that ask for ``real_key_sealing`` use the real one.
TEST_SCRYPT_N = 2**12


@pytest.fixture(autouse=True, scope="session")
def quick_key_sealing() -> Iterator[None]:
    from itdeclare.certificate import sealed

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sealed, "SCRYPT_N", TEST_SCRYPT_N)
        yield


@pytest.fixture
def real_key_sealing(monkeypatch: pytest.MonkeyPatch) -> None:
    from itdeclare.certificate import sealed

    monkeypatch.setattr(sealed, "SCRYPT_N", sealed.DEFAULT_SCRYPT_N)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Tests run in English unless they set another language themselves."""
    token = i18n._current.set("en")
    yield
    i18n._current.reset(token)


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED_DIR.is_dir():
        if os.environ.get("ITDECLARE_REQUIRE_SHARED"):
            pytest.fail(f"ITDECLARE_REQUIRE_SHARED is set but {SHARED_DIR} is missing")
        pytest.skip(
            f"the shared reference data is not beside this clone ({SHARED_DIR}); "
            "CI provides it, or set ITDECLARE_SHARED_DIR"
        )
    return SHARED_DIR
