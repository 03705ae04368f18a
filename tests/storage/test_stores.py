"""Drafts, people, certificates and sessions through the LocalState facade."""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itdeclare.models.enums import DeclarationStatus, Relationship
from itdeclare.plain import to_plain
from itdeclare.storage.data_key import KeySource
from itdeclare.storage.errors import StorageError
from itdeclare.storage.records import Certificate, Draft, Person, Session
from itdeclare.storage.state import LocalState
from itdeclare.storage.stores import record_name
from itdeclare.storage.vault import CorruptReason
from tests.storage.conftest import MemoryKeyring, assert_explained

NOON = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


class Clock:
    """A clock that moves one second on every reading."""

    def __init__(self) -> None:
        self.now = NOON

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def partial_declaration() -> dict[str, Any]:
    return {
        "schema_version": 1,
        "relationship": "self",
        "subject": {"family_name": "ZHANG", "date_of_birth": "1956-13-45"},  # still invalid
        "contact": {"phone": "+1415"},
        "itinerary": [{"flight": "UA8", "from": "SFO"}],
    }


def test_opening_creates_nothing_until_used(data_dir: Path) -> None:
    state = LocalState()
    assert state.root == data_dir
    assert not data_dir.exists()
    assert state.problems == []
    assert state.quarantined() == []
    assert not data_dir.exists()
    assert state.key_source is KeySource.FILE
    assert data_dir.is_dir()


def test_draft_resumes_exactly_where_it_was_left(data_dir: Path) -> None:
    draft = Draft(
        person_id="p1", declaration=partial_declaration(), step="itinerary", focus="leg-0-to"
    )
    saved = LocalState(clock=Clock()).drafts.save(draft)

    reopened = LocalState().drafts.load(draft.id)  # a new process, in effect
    assert reopened == saved
    assert reopened is not None
    assert reopened.declaration == partial_declaration()
    assert (reopened.step, reopened.focus, reopened.person_id) == ("itinerary", "leg-0-to", "p1")
    assert reopened.updated_at == NOON + timedelta(seconds=1)


def test_save_bumps_revision_and_returns_the_copy_written(state: LocalState) -> None:
    draft = Draft()
    first = state.drafts.save(draft)
    second = state.drafts.save(draft)  # the caller kept its revision-0 copy
    assert (draft.revision, first.revision, second.revision) == (0, 1, 2)
    assert first is not draft
    late = state.drafts.save(first)  # a stale copy saved late still moves forward
    assert late.revision == 3
    assert state.drafts.load(draft.id) == late


def test_revision_continues_from_what_is_on_disk(data_dir: Path) -> None:
    draft = LocalState().drafts.save(Draft())
    LocalState().drafts.save(draft)
    fresh = LocalState()
    [loaded] = fresh.drafts.list()
    assert fresh.drafts.save(Draft(id=draft.id)).revision == loaded.revision + 1


def test_drafts_list_newest_first_and_delete(data_dir: Path) -> None:
    state = LocalState(clock=Clock())
    older, newer = Draft(), Draft()
    state.drafts.save(older)
    state.drafts.save(newer)
    assert [d.id for d in state.drafts.list()] == [newer.id, older.id]
    assert state.drafts.delete(newer.id) is True
    assert state.drafts.delete(newer.id) is False
    assert state.drafts.load(newer.id) is None
    assert [d.id for d in state.drafts.list()] == [older.id]


def test_draft_whose_content_is_not_a_draft_is_set_aside(state: LocalState) -> None:
    good = state.drafts.save(Draft())
    vault = state.drafts._vault
    vault.put("not-json", b"{broken")
    vault.put("wrong-shape", json.dumps({"schema_version": 1, "revision": "many"}).encode())
    assert state.drafts.list() == [good]
    problems = {p.name: p for p in state.problems}
    assert problems.keys() == {"not-json", "wrong-shape"}
    assert {p.reason for p in problems.values()} == {CorruptReason.INVALID_CONTENT}
    assert sorted(state.quarantined()) == sorted(p.path for p in problems.values())
    assert "revision" in problems["wrong-shape"].detail


def test_draft_of_a_newer_schema_is_left_for_the_newer_version(state: LocalState) -> None:
    newer = to_plain(Draft()) | {"schema_version": 2, "layout": "new"}
    state.drafts._vault.put(newer["id"], json.dumps(newer).encode())
    assert state.drafts.list() == []
    assert state.drafts.list() == []
    [problem] = state.problems
    assert problem.reason is CorruptReason.NEWER_SCHEMA
    assert problem.path.exists()
    assert state.quarantined() == []


def test_corrupt_files_across_stores_are_gathered(state: LocalState) -> None:
    person = state.people.add(Person())
    state.drafts.save(Draft(person_id=person.id))
    for path in [*state.root.glob("people/*.rec"), *state.root.glob("drafts/*.rec")]:
        path.write_bytes(path.read_bytes()[:-1])  # last byte of the tag lost
    assert state.people.list() == []
    assert state.drafts.list() == []
    assert sorted(p.collection for p in state.problems) == ["drafts", "people"]
    assert len(state.quarantined()) == 2
    assert all(p.message("zh") for p in state.problems)


def test_people_add_update_remove(data_dir: Path) -> None:
    state = LocalState(clock=Clock())
    me = state.people.add(Person(subject={"family_name": "ZHANG"}, created_at=NOON))
    mother = Person(relationship=Relationship.PARENT, created_at=NOON + timedelta(days=1))
    state.people.add(mother)
    assert [p.id for p in state.people.list()] == [me.id, mother.id]

    mother.remote_id = "srv-42"
    mother.subject["given_name"] = "MEI"
    state.people.update(mother)
    assert state.people.get(mother.id) == mother

    with pytest.raises(StorageError) as exists:
        state.people.add(me)
    assert exists.value.code == "person_exists"
    assert_explained(exists.value)
    assert state.people.remove(me.id) is True
    with pytest.raises(StorageError) as missing:
        state.people.update(me)
    assert missing.value.code == "person_missing"
    assert [p.id for p in state.people.list()] == [mother.id]


def certificate(declaration_id: str | None, person_id: str, issued_day: int) -> Certificate:
    issued = NOON + timedelta(days=issued_day)
    return Certificate(
        id=declaration_id or f"outbound-{issued_day}",
        payload="HC1:6BFOXN%TS3DH0YOJ58S S-W5HDC *M0II5XHC9B5G2+$N",
        declaration_id=declaration_id,
        person_id=person_id,
        issued_at=issued,
        expires_at=issued + timedelta(days=14),
    )


def test_certificates_kept_per_person_newest_first(state: LocalState) -> None:
    odd_id = "decl/2026:0001"  # server ids are opaque strings
    state.certificates.save(certificate(odd_id, "p1", 1))
    state.certificates.save(certificate("d2", "p1", 3))
    state.certificates.save(certificate(None, "p2", 2))
    assert [c.id for c in state.certificates.list()] == ["d2", "outbound-2", odd_id]
    assert [c.id for c in state.certificates.list(person_id="p1")] == ["d2", odd_id]
    revoked = state.certificates.load(odd_id)
    assert revoked is not None
    revoked.status = DeclarationStatus.REVOKED
    state.certificates.save(revoked)
    assert state.certificates.load(odd_id) == revoked
    assert state.certificates.delete(odd_id) is True
    assert state.certificates.load(odd_id) is None


def test_record_names_are_safe_for_any_id() -> None:
    assert record_name("3f2a9c") == "3f2a9c"
    assert record_name("../../etc/passwd").startswith("x-")
    assert record_name("decl/1") != record_name("decl/2")


def test_session_per_server_token_private(state: LocalState) -> None:
    session = Session(server="https://declare.example", token="secret-token-123", phone="+1415")
    state.session.save(session)
    state.session.save(Session(server="embedded", token="local", phone="+1415"))
    assert state.session.load("https://declare.example") == session
    assert state.session.load("https://other.example") is None
    assert "secret-token-123" not in repr(session)
    files = list(state.root.glob("session/*.rec"))
    assert len(files) == 2
    for file in files:
        assert b"secret-token-123" not in file.read_bytes()
        if os.name != "nt":
            assert file.stat().st_mode & 0o777 == 0o600
    assert state.session.clear("https://declare.example") is True
    assert state.session.load("https://declare.example") is None
    assert state.session.load("embedded") is not None


def test_state_opened_on_a_keyring_reports_it(memory_keyring: MemoryKeyring) -> None:
    state = LocalState()
    assert state.key_source is KeySource.KEYRING
    saved = state.drafts.save(Draft())
    assert LocalState().drafts.list() == [saved]
    assert memory_keyring.secrets


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=25,
)


def test_any_draft_content_round_trips() -> None:
    with tempfile.TemporaryDirectory() as directory:
        state = LocalState(Path(directory))

        @settings(max_examples=150, deadline=None)
        @given(
            declaration=st.dictionaries(st.text(), json_values, max_size=6),
            step=st.text(),
            focus=st.none() | st.text(),
            person_id=st.none() | st.text(min_size=1),
        )
        def round_trip(
            declaration: dict[str, Any], step: str, focus: str | None, person_id: str | None
        ) -> None:
            draft = Draft(declaration=declaration, step=step, focus=focus, person_id=person_id)
            saved = state.drafts.save(draft)
            assert LocalState(Path(directory)).drafts.load(draft.id) == saved
            assert saved.declaration == declaration

        round_trip()
        assert state.problems == []


def test_data_dir_that_cannot_be_made_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(StorageError) as caught:
        LocalState(blocker / "data").drafts.list()
    assert caught.value.code == "open_failed"
    assert_explained(caught.value)
