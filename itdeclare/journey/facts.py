"""The words shown beside a green code (and printed under it): holder, document, validity."""

from __future__ import annotations

from datetime import datetime

from itdeclare import i18n
from itdeclare.journey.code import CodeState, Holder
from itdeclare.storage.records import Certificate


def _moment(value: datetime, language: i18n.Language) -> str:
    return i18n.format_datetime(value.astimezone(), language)


def holder_lines(
    holder: Holder | None, certificate: Certificate, language: i18n.Language
) -> list[str]:
    """Name, document and validity, in ``language``."""
    lines = []
    if holder is not None:
        name = holder.latin_name
        if holder.chinese_name:
            name = (
                f"{holder.chinese_name} {holder.latin_name}"
                if language == "zh"
                else f"{holder.latin_name} ({holder.chinese_name})"
            )
        document_type = i18n.t(f"enum.DocumentType.{holder.document_type}", language)
        lines += [
            i18n.t("journey.code.name", language, name=name),
            i18n.t("journey.code.born", language, born=holder.date_of_birth),
            i18n.t(
                "journey.code.document",
                language,
                type=document_type,
                number=holder.document_number,
            ),
        ]
    lines += [
        i18n.t("journey.code.issued", language, at=_moment(certificate.issued_at, language)),
        i18n.t("journey.code.expires", language, at=_moment(certificate.expires_at, language)),
    ]
    return lines


def state_line(state: CodeState, language: i18n.Language) -> str:
    return i18n.t(f"journey.code.state.{state.value}", language)
