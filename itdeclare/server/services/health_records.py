"""The health authority's records, as the operator loads them (``admin import-health-records``).

A file is CSV or JSON. JSON is a list of records (or ``{"records": [...]}``), each the shape of
``itdeclare.models.HealthRecord``. CSV has one record per row with the columns
``id_card_number, name, family_name, given_name, sex, documents, tests, vaccinations``; the last
three hold JSON lists (``[{"type": "passport", "number": "E12345678"}]``; empty means none).

Every row is validated on its own: good rows are stored, bad ones reported with their row number
and field errors. Importing the same file again changes nothing (rows are keyed by ID number and
compared by digest).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from itdeclare.models import HealthRecord
from itdeclare.models.problems import Problem, from_validation_error
from itdeclare.server.tables import HealthRecordRow

CSV_COLUMNS = (
    "id_card_number",
    "name",
    "family_name",
    "given_name",
    "sex",
    "documents",
    "tests",
    "vaccinations",
)
_LIST_COLUMNS = ("documents", "tests", "vaccinations")


class UnreadableFile(ValueError):
    """The file as a whole cannot be read as records (not a row-level problem)."""


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, list[Problem]]] = field(default_factory=list)


def parse_file(text: str, *, as_csv: bool) -> Iterator[tuple[int, Any]]:
    """``(row number, raw record)`` pairs; rows are numbered from 1 (CSV: after the header)."""
    return _csv_rows(text) if as_csv else _json_rows(text)


def _json_rows(text: str) -> Iterator[tuple[int, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise UnreadableFile(f"not JSON (line {error.lineno}, column {error.colno})") from None
    if isinstance(data, dict) and isinstance(data.get("records"), list):
        data = data["records"]
    if not isinstance(data, list):
        raise UnreadableFile('expected a list of records or {"records": [...]}')
    yield from enumerate(data, start=1)


def _csv_rows(text: str) -> Iterator[tuple[int, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise UnreadableFile(f"missing CSV columns: {', '.join(missing)}")
    for number, row in enumerate(reader, start=1):
        yield number, _csv_record(row)


def _csv_record(row: dict[str, Any]) -> dict[str, Any] | _BadCell:
    record: dict[str, Any] = {}
    for column, value in row.items():
        if column is None:  # more cells than columns
            return _BadCell("", "csv_extra_cells")
        if column in _LIST_COLUMNS:
            cell = (value or "").strip()
            try:
                record[column] = json.loads(cell) if cell else []
            except json.JSONDecodeError:
                return _BadCell(column, "csv_json_cell")
        else:
            record[column] = value
    return record


@dataclass(frozen=True, slots=True)
class _BadCell:
    column: str
    code: str


def validate(raw: Any) -> tuple[HealthRecord | None, list[Problem]]:
    if isinstance(raw, _BadCell):
        return None, [Problem(raw.column, raw.code)]
    if not isinstance(raw, dict):
        return None, [Problem("", "not_an_object")]
    try:
        return HealthRecord.model_validate(raw), []
    except ValidationError as error:
        return None, from_validation_error(error)


def digest(record: HealthRecord) -> str:
    canonical = json.dumps(record.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def store(
    session: Session, records: list[HealthRecord], now: datetime, *, sample: bool = False
) -> ImportResult:
    result = ImportResult()
    for record in records:
        row = session.get(HealthRecordRow, record.id_card_number)
        new_digest = digest(record)
        if row is None:
            session.add(
                HealthRecordRow(
                    id_card_number=record.id_card_number,
                    record=record.model_dump(mode="json"),
                    digest=new_digest,
                    sample=sample,
                    imported_at=now,
                )
            )
            result.added += 1
        elif row.digest == new_digest:
            result.unchanged += 1
        else:
            row.record = record.model_dump(mode="json")
            row.digest = new_digest
            row.sample = sample
            row.imported_at = now
            result.updated += 1
    return result


def find(session: Session, id_card_number: str) -> HealthRecord | None:
    row = session.get(HealthRecordRow, id_card_number)
    return None if row is None else HealthRecord.model_validate(row.record)
