"""``itdeclare admin`` and ``itdeclare serve`` as an operator runs them (real subprocesses)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from itdeclare.server.config import sqlite_url
from itdeclare.server.runtime import sample_records
from tests.server.conftest import DATABASES, LiveServer, fresh_database, running_server


def itdeclare(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "itdeclare", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "LANG": "C.UTF-8"},
        check=False,
    )


@pytest.mark.parametrize("kind", DATABASES)
def test_add_reviewer_prints_a_working_token(kind: str, tmp_path: Path) -> None:
    with running_server(kind, tmp_path) as live:
        done = itdeclare(
            "admin", "add-reviewer", "--consulate", "deu", "--database-url",
            live.config.database_url, "--json",
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        printed = json.loads(done.stdout)
        assert set(printed) == {"token", "consulate"}
        assert printed["consulate"] == "DEU"
        queue = httpx.get(
            f"{live.url}/api/v1/review/queue",
            headers={"Authorization": f"Bearer {printed['token']}"},
        )
        assert queue.status_code == 200
        assert queue.json() == {"items": []}


def test_add_reviewer_refuses_an_unknown_consulate(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "db.sqlite3")
    done = itdeclare("admin", "add-reviewer", "--consulate", "XXX", "--database-url", url)
    assert done.returncode == 2
    assert "Unknown consulate code XXX" in done.stderr
    assert "Traceback" not in done.stderr


def test_admin_without_an_action_shows_usage() -> None:
    done = itdeclare("admin")
    assert done.returncode == 2
    assert "add-reviewer" in done.stderr


@pytest.mark.parametrize(
    "url",
    ["nonsense://", "postgresql+psycopg://nobody@127.0.0.1:1/none", "sqlite:///:memory:"],
)
def test_an_unusable_database_is_explained(url: str) -> None:
    for command in (["serve"], ["admin", "add-reviewer", "--consulate", "USA"]):
        done = itdeclare(*command, "--database-url", url)
        assert done.returncode == 1, done.stderr
        assert "Cannot use the database" in done.stderr
        assert "Traceback" not in done.stderr


def _records() -> list[dict[str, Any]]:
    return [record.model_dump(mode="json") for record in sample_records()]


def _import(path: Path, url: str) -> tuple[int, dict[str, Any]]:
    done = itdeclare("admin", "import-health-records", str(path), "--database-url", url, "--json")
    assert "Traceback" not in done.stderr
    return done.returncode, json.loads(done.stdout)


@pytest.mark.parametrize("kind", DATABASES)
def test_import_reports_rejected_rows_and_is_idempotent(kind: str, tmp_path: Path) -> None:
    good = _records()
    bad_checksum = {**good[0], "id_card_number": "110105199003071230"}
    no_documents = {**good[1], "documents": []}
    path = tmp_path / "records.json"
    path.write_text(json.dumps({"records": [*good, bad_checksum, no_documents]}), "utf-8")
    with fresh_database(kind, tmp_path) as url:
        status, report = _import(path, url)
        assert status == 1
        assert (report["added"], report["updated"], report["unchanged"]) == (3, 0, 0)
        assert [(r["row"], [e["loc"] for e in r["errors"]]) for r in report["rejected"]] == [
            (4, ["id_card_number"]),
            (5, ["documents"]),
        ]
        assert report["rejected"][0]["errors"][0]["code"] == "id_card_checksum"

        status, report = _import(path, url)
        assert (report["added"], report["updated"], report["unchanged"]) == (0, 0, 3)

        changed = [{**good[0], "given_name": "XIAOHONG"}]
        path.write_text(json.dumps(changed), "utf-8")
        status, report = _import(path, url)
        assert status == 0
        assert (report["added"], report["updated"], report["unchanged"]) == (0, 1, 0)


def _as_csv(records: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    columns = ["id_card_number", "name", "family_name", "given_name", "sex", "documents", "tests",
               "vaccinations"]  # fmt: skip
    writer = csv.DictWriter(out, columns)
    writer.writeheader()
    for record in records:
        writer.writerow(
            {
                key: json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value
                for key, value in record.items()
            }
        )
    return out.getvalue()


def test_import_reads_csv(tmp_path: Path) -> None:
    text = _as_csv(_records()) + "110105199003071239,王小明,WANG,XIAOMING,male,[oops,[],[]\n"
    path = tmp_path / "records.csv"
    path.write_text(text, "utf-8")
    status, report = _import(path, sqlite_url(tmp_path / "db.sqlite3"))
    assert status == 1
    assert report["added"] == 3
    assert report["rejected"][0]["row"] == 4
    assert report["rejected"][0]["errors"][0]["code"] == "csv_json_cell"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("records.json", "{not json", "not JSON"),
        ("records.json", '{"people": []}', "expected a list"),
        ("records.csv", "a,b\n1,2\n", "missing CSV columns"),
    ],
)
def test_an_unreadable_records_file_is_a_usage_error(
    tmp_path: Path, name: str, content: str, reason: str
) -> None:
    path = tmp_path / name
    path.write_text(content, "utf-8")
    done = itdeclare(
        "admin", "import-health-records", str(path), "--database-url",
        sqlite_url(tmp_path / "db.sqlite3"),
    )  # fmt: skip
    assert done.returncode == 2
    assert reason in done.stderr


def test_import_speaks_chinese(tmp_path: Path) -> None:
    path = tmp_path / "records.json"
    path.write_text(json.dumps(_records()), "utf-8")
    done = itdeclare(
        "--lang", "zh", "admin", "import-health-records", str(path), "--database-url",
        sqlite_url(tmp_path / "db.sqlite3"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "新增 3 条" in done.stdout


def test_the_server_lists_the_sample_records_only_in_dev(server: LiveServer) -> None:
    from itdeclare.server.tables import HealthRecordRow

    with server.db.read() as session:
        rows = session.query(HealthRecordRow).all()
    assert {r.id_card_number for r in rows} >= {r.id_card_number for r in sample_records()}
    assert all(r.sample for r in rows if r.id_card_number in {"110105199003071239"})
