"""The errors of the local store, each with a message in the user's language."""

from __future__ import annotations

from typing import Any

from itdeclare import i18n


class StorageError(Exception):
    """Local data cannot be read or written; ``message()`` says why, in the user's language.

    ``code`` names the entry ``storage.error.<code>`` of the catalogue and ``params`` fill it.
    """

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(self.message("en"))

    def message(self, language: i18n.Language | None = None) -> str:
        return i18n.t(f"storage.error.{self.code}", language, **self.params)


class KeyUnavailable(StorageError):
    """The key that encrypts existing data cannot be read. Nothing has been written or replaced."""
