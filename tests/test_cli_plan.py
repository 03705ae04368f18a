"""``itdeclare plan`` (DESIGN.md §4.1): the plan in words, and an iCalendar file that parses."""

from __future__ import annotations

import errno
import json
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from itdeclare import i18n
from itdeclare.cli import main
from itdeclare.journey.planning import to_ical
from itdeclare.models import partial
from itdeclare.models.plan import plan_dates
from itdeclare.models.rules import default_rules

ROOT = Path(__file__).parents[1]
SELF = ROOT / "examples" / "self.json"
PARENT = ROOT / "examples" / "parent.json"
STAMP = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def plan_of(path: Path):  # type: ignore[no-untyped-def]
    return plan_dates(partial.from_data(json.loads(path.read_text("utf-8"))), default_rules())


def test_the_plan_in_words(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--lang", "en", str(SELF)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Flight UA857 departs SFO (America/Los_Angeles) on 1 Dec 2026 11:00")
    assert lines[1] == (
        "nucleic-acid test: sample from 29 Nov 2026 to 1 Dec 2026, before departure, "
        "in United States."
    )
    assert lines[3].startswith("Submit the declaration once the results are in (from 29 Nov 2026)")


def test_a_flight_gone_by_gets_its_plan_and_a_notice_that_it_is_past(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["plan", "--lang", "en", str(SELF)]) == 0  # UA857 left on 1 Dec 2026
    printed = capsys.readouterr()
    assert printed.out.startswith("Flight UA857 departs SFO")
    assert printed.err == (
        "Flight UA857 left at 1 Dec 2026 11:00 (UTC-08:00): the dates above are past, and a "
        "declaration is for a trip still ahead.\n"
    )
    assert main(["plan", "--lang", "zh", str(SELF)]) == 0
    assert "已于2026年12月1日 11:00（UTC-08:00）起飞" in capsys.readouterr().err


def test_a_flight_ahead_gets_no_such_notice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ahead = tmp_path / "ahead.json"
    ahead.write_text(SELF.read_text("utf-8").replace("2026-12-0", "2096-12-0"), "utf-8")
    assert main(["plan", "--lang", "en", str(ahead)]) == 0
    printed = capsys.readouterr()
    assert "departs SFO (America/Los_Angeles) on 1 Dec 2096 11:00" in printed.out
    assert printed.err == ""


def test_the_plan_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--lang", "zh", str(PARENT)]) == 0
    out = capsys.readouterr().out
    assert "核酸检测：请于2026年12月6日至2026年12月8日之间、起飞前在 德国 采样。" in out


def test_the_calendar_parses_back_with_uids_stamps_and_alarms() -> None:
    plan = plan_of(SELF)
    calendar = Calendar.from_ical(to_ical(plan, "en", STAMP))
    assert str(calendar["version"]) == "2.0" and calendar["prodid"]
    events = calendar.walk("VEVENT")
    assert len(events) == 3
    uids = [str(event["uid"]) for event in events]
    assert len(set(uids)) == 3 and all(uid.endswith("@itdeclare") for uid in uids)
    assert all(event.decoded("dtstamp") == STAMP for event in events)
    sample, _, submit = events
    assert str(sample["summary"]) == "Sample the nucleic-acid test for flight UA857"
    assert (sample.decoded("dtstart"), sample.decoded("dtend")) == (
        date(2026, 11, 29),
        date(2026, 12, 2),  # all-day events end the day after the last
    )
    assert submit.decoded("dtend") == datetime(2026, 12, 1, 19, 0, tzinfo=UTC)
    for event in events:
        alarms = event.walk("VALARM")
        assert len(alarms) == 2
        assert all(str(alarm["action"]) == "DISPLAY" and alarm["description"] for alarm in alarms)
    triggers = [alarm.decoded("trigger") for alarm in submit.walk("VALARM")]
    assert [submit.decoded("dtstart") + t for t in triggers] == [
        datetime(2026, 11, 30, 19, 0, tzinfo=UTC),  # a day before departure
        datetime(2026, 12, 1, 13, 0, tzinfo=UTC),  # six hours before
    ]


def test_the_same_trip_keeps_its_uids_so_a_new_import_updates_it() -> None:
    plan = plan_of(SELF)
    first = Calendar.from_ical(to_ical(plan, "en", STAMP))
    later = Calendar.from_ical(to_ical(plan, "zh", STAMP + timedelta(days=1)))
    assert [e["uid"] for e in first.walk("VEVENT")] == [e["uid"] for e in later.walk("VEVENT")]
    assert [e["uid"] for e in first.walk("VEVENT")] != [
        e["uid"] for e in Calendar.from_ical(to_ical(plan_of(PARENT), "en", STAMP)).walk("VEVENT")
    ]


def test_ics_is_written(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "trip.ics"
    assert main(["plan", "--lang", "en", str(SELF), "--ics", str(out)]) == 0
    assert "Calendar written to" in capsys.readouterr().out
    raw = out.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n")
    assert len(Calendar.from_ical(raw).walk("VEVENT")) == 3
    assert [p.name for p in tmp_path.iterdir()] == ["trip.ics"]  # no temporary file left


def test_no_plan_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = json.loads(SELF.read_text("utf-8"))
    data["itinerary"][0]["from"] = "XQX"
    path = tmp_path / "draft.json"
    path.write_text(json.dumps(data), "utf-8")
    assert main(["plan", "--lang", "en", str(path)]) == 1
    assert "no plan" in capsys.readouterr().err


def test_unreadable_file_and_unwritable_calendar_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["plan", str(tmp_path / "missing.json")]) == 2
    assert "no such file" in capsys.readouterr().err
    target = tmp_path / "no-such-dir" / "trip.ics"
    assert main(["plan", str(SELF), "--ics", str(target)]) == 2
    assert "Cannot write" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("where", "english", "chinese"),
    [
        (".", "it is a directory", "这是一个目录"),
        ("absent/trip.ics", "its folder does not exist", "所在目录不存在"),
    ],
)
def test_a_calendar_that_cannot_be_written_says_why_in_the_users_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str, english: str, chinese: str
) -> None:
    """It said "无法写入 /tmp：Is a directory": the system's English inside the Chinese (found by
    a QA pass)."""
    target = tmp_path / where
    for language, reason in (("en", english), ("zh", chinese)):
        assert main(["plan", "--lang", language, "--ics", str(target), str(SELF)]) == 2
        assert capsys.readouterr().err.strip().endswith(reason)


@pytest.mark.parametrize("full", [errno.ENOSPC, errno.EDQUOT])
def test_a_full_disk_is_worded_for_writing(full: int) -> None:
    """The reason ``plan --ics`` and ``verify`` give when the disk is full (both languages)."""
    error = OSError(full, os.strerror(full))
    assert i18n.file_reason(error, "en", writing=True) == "no space left on the device"
    assert i18n.file_reason(error, "zh", writing=True) == "设备空间已满"
