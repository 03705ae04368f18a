"""What a call of the traveller's connection reports on purpose, each failure with a
``message`` for the user (``itdeclare.client.ApiError`` for the backend's own answers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from itdeclare.i18n import t

if TYPE_CHECKING:
    from itdeclare.storage.records import Draft


class BackendFailed(Exception):
    """The embedded backend could not start: the reason, for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    @property
    def message(self) -> str:
        return t("journey.connection.local_failed", reason=self.reason)


class NotSignedIn(Exception):
    """A call that needs a signed-in traveller was made before signing in."""

    @property
    def message(self) -> str:
        return t("journey.connection.not_signed_in")


class EarlierSubmissionFiled(Exception):
    """A submission whose answer was lost had reached the backend before the draft was
    changed: ``declaration_id`` is what it filed. The changed draft is kept, as a
    re-declaration of it (``redraft``), for the user to send or drop."""

    def __init__(self, declaration_id: str, redraft: Draft) -> None:
        super().__init__(declaration_id)
        self.declaration_id = declaration_id
        self.redraft = redraft

    @property
    def message(self) -> str:
        return t("journey.submit.earlier_filed")


class AlreadyDeclared(EarlierSubmissionFiled):
    """The person's travel document already has a live declaration (its trip is not over): a
    new one would be a second, so the backend refused it. The draft is kept as a re-declaration
    of that one (``declaration_id``), for the user to send from there."""

    @property
    def message(self) -> str:
        return t("journey.submit.already_declared")


class Refused(Exception):
    """The backend refused the submission for good (a live declaration holds the person or the
    document, the re-declarations are used, a newer version exists): sending it again would
    meet the same answer. ``message`` says what to do instead."""

    def __init__(self, key: str, **values: str) -> None:
        super().__init__(key)
        self.key = key
        self.values = values

    @property
    def message(self) -> str:
        return t(self.key, **self.values)


def failures() -> tuple[type[Exception], ...]:
    """Every failure a call of the connection reports on purpose (each has a ``message`` for
    the user): ``except failures() as error`` in a worker."""
    from itdeclare.client import ApiError

    return (ApiError, BackendFailed, NotSignedIn, EarlierSubmissionFiled, Refused)
