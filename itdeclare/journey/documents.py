"""A wizard form and the §4.5 declaration it stands for, both ways; what identifies a
submission of it, and whether a registered person is the one it is about."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from itdeclare.models import Declaration


def document_of(form: dict[str, Any], now: datetime) -> Declaration:
    """The §4.5 declaration a wizard form stands for (raises ``ValueError`` if it is not one)."""
    from pydantic import ValidationError

    from itdeclare.models import Declaration
    from itdeclare.models.form_reading import read_form

    reading = read_form(form, now.date())
    if reading.problems:
        raise ValueError(f"unreadable values at {[p.loc for p in reading.problems]}")
    try:
        return Declaration.model_validate(reading.document, by_name=False)
    except ValidationError as exc:
        raise ValueError(str(exc)) from exc


def form_of(declaration: Declaration) -> dict[str, Any]:
    """A declaration as the wizard's form holds it: text everywhere, to be checked again and
    attested anew."""

    def text(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: text(value) for key, value in node.items()}
        if isinstance(node, list):
            return [text(value) for value in node]
        if node is None:
            return ""
        if isinstance(node, bool):
            return node
        return str(node)

    form = text(declaration.model_dump(mode="json", by_alias=True))
    form.pop("schema_version", None)
    form["attested"] = False
    return dict(form)


def submission_digest(target: str, declaration: Declaration) -> str:
    """What a submission filed at ``target`` carries, in one digest: the same draft sent to
    the same backend twice has the same one."""
    body = json.dumps([target, declaration.model_dump(mode="json", by_alias=True)], sort_keys=True)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def same_person(subject: Any, declaration: Declaration) -> bool:
    """Whether a registered subject is the one the declaration is about (as the backend
    compares them: names and date of birth)."""
    mine = declaration.subject
    return (subject.family_name, subject.given_name, subject.date_of_birth) == (
        mine.family_name,
        mine.given_name,
        mine.date_of_birth,
    )


def same_document(subject: Mapping[str, Any], declaration: Declaration) -> bool:
    """Whether a form's subject (as typed) travels on the declaration's document, as the
    backend tells documents apart (``services.live.chain_keys``): the same issuing country and
    number (``models.person.document_identity``), or the same number, whatever its type or
    country, for someone born the same day (``models.person.number_identity``)."""
    from itdeclare.models.person import document_identity, number_identity

    document = subject.get("document") or {}
    number = str(document.get("number") or "")
    mine = declaration.subject
    typed = document_identity(str(subject.get("nationality") or ""), document.get("type"), number)
    if typed == document_identity(mine.nationality, mine.document.type, mine.document.number):
        return True
    return _typed_date(subject.get("date_of_birth")) == mine.date_of_birth and (
        number_identity(number) == number_identity(mine.document.number)
    )


def same_traveller(subject: Mapping[str, Any], declaration: Declaration) -> bool:
    """Whether a form's subject (as typed) is the declaration's traveller as the backend tells
    travellers of one account apart (``services.live.named_key``): the same names, however
    written, and date of birth."""
    from itdeclare.models.person import name_identity

    mine = declaration.subject
    family, given = (str(subject.get(name) or "") for name in ("family_name", "given_name"))
    typed = name_identity(family, given)
    return _typed_date(subject.get("date_of_birth")) == mine.date_of_birth and typed == (
        name_identity(mine.family_name, mine.given_name)
    )


def _typed_date(text: object) -> date | None:
    """A date as the form holds it (typed any usual way), or ``None`` when it reads as none."""
    from pydantic_core import PydanticCustomError

    from itdeclare.models.typed_dates import parse_date

    try:
        return parse_date(str(text or ""), date.today())
    except PydanticCustomError:
        return None
