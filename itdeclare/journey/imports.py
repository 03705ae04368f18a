"""Filling a test of the draft from a picture of its EU DCC test certificate (the wizard's
counterpart of ``itdeclare import-test --image``).

The certificate is read and verified as the command does, against the same trust list (the one
``itdeclare trust update`` kept, else this machine's own keys). Its test fills the draft's test
fields; whom it names (the holder) has no place in the §4.5 document, so it is kept beside it,
in the draft (``Draft.imported``), matched to its test by kind and time. The wizard's warnings
compare it with the subject (``test_holder_differs``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from itdeclare.journey.reports import test_key

if TYPE_CHECKING:
    from itdeclare.certificate.imported import ImportedTest
    from itdeclare.certificate.trust import TrustList
    from itdeclare.models.cautions import CertificateHolder
    from itdeclare.storage.records import Draft

#: The test fields an import fills, in the wizard's order.
FILLED = ("kind", "sampled_at", "result", "institution", "country")


class ImportFailed(Exception):
    """The picture gave no test; ``message`` says why, for the user."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(messages)
        self.messages = messages

    @property
    def message(self) -> str:
        return " ".join(self.messages)


@dataclass(frozen=True, slots=True)
class Imported:
    """A test read from a certificate: the draft's values for its fields, and what to say."""

    values: dict[str, str]
    holder_name: str
    warnings: list[str]
    test: ImportedTest


def default_trust_list() -> TrustList:
    """What ``itdeclare import-test`` verifies against without ``--trust-list``."""
    from itdeclare.certificate import errors, keys
    from itdeclare.certificate.trust import TrustList
    from itdeclare.storage import trust as kept_lists
    from itdeclare.wording import tr

    kept = kept_lists.load()
    if kept is not None:
        return TrustList.load(kept.trust_list)
    try:
        return keys.public_trust_list(keys.default_dir())
    except errors.KeyStoreError:
        raise ImportFailed([tr("journey.imports.no_trust_list")]) from None


def read_picture(
    path: Path,
    trust_list: Callable[[], TrustList] | None = None,
    at: datetime | None = None,
) -> Imported:
    """The test on the certificate in the picture at ``path`` (PNG or JPEG), verified against
    ``trust_list()`` (by default ``default_trust_list``)."""
    from itdeclare.certificate import errors, qr
    from itdeclare.certificate.imported import ImportRefused, import_test

    try:
        payload = qr.read_image(path)
        imported = import_test(payload, (trust_list or default_trust_list)(), at)
    except ImportRefused as refused:
        raise ImportFailed(refused.messages) from None
    except errors.CertificateError as error:
        raise ImportFailed([error.message()]) from None
    return Imported(_values(imported), imported.holder.name, imported.warnings, imported)


def _values(imported: ImportedTest) -> dict[str, str]:
    """The test's fields as the wizard shows them once read (a time with its UTC offset)."""
    from itdeclare.models.typed_dates import TypedMoment, canonical_datetime

    test = imported.test
    sampled = test.sampled_at
    moment = TypedMoment(sampled.replace(tzinfo=None, second=0, microsecond=0), sampled.tzinfo)
    return {
        "kind": test.kind.value,
        "sampled_at": canonical_datetime(moment),
        "result": test.result.value,
        "institution": test.institution,
        "country": test.country,
    }


def fill(draft: Draft, test_index: int, imported: Imported) -> None:
    """Put the imported test into the draft's test ``test_index`` and keep whom it names."""
    from itdeclare.storage.records import ImportedHolder

    test = draft.declaration["tests"][test_index]
    old_key = test_key(test)
    test.update(imported.values)
    key = test_key(test)
    holder = imported.test.holder.for_comparison()
    draft.imported = [h for h in draft.imported if h.test_key not in (old_key, key)]
    draft.imported.append(
        ImportedHolder(
            test_key=key,
            family_name=holder.family_name,
            given_name=holder.given_name,
            date_of_birth=holder.date_of_birth,
        )
    )
    for report in draft.reports:  # a report of the test follows it under its new key
        if report.test_index == test_index:
            report.test_key = key


def holders(draft: Draft) -> dict[int, CertificateHolder]:
    """Whom each imported test's certificate names, by the test's index in the draft now."""
    from itdeclare.models.cautions import CertificateHolder

    tests = draft.declaration.get("tests")
    keys = [test_key(t) if isinstance(t, Mapping) else "" for t in tests or []]
    found = {}
    for kept in draft.imported:
        if kept.test_key in keys:
            found[keys.index(kept.test_key)] = CertificateHolder(
                kept.family_name, kept.given_name, kept.date_of_birth
            )
    return found


def holder_warnings(draft: Draft, today: Any) -> list[str]:
    """The ``test_holder_differs`` warnings of the draft as it is, in the current language."""
    from itdeclare.models.form_reading import form_warnings
    from itdeclare.wording import warning_text

    found = form_warnings(draft.declaration, today, holders=holders(draft))
    return [warning_text(w) for w in found if w.code == "test_holder_differs"]
