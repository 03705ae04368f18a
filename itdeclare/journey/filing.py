"""Filing one draft with the backend, so that it is filed once however often the answer is
lost: the person registered first if need be, the submission's ``Idempotency-Key`` kept in the
draft until an answer arrives, and the draft kept as a re-declaration when the backend says a
declaration was already filed (by an earlier try of this one, or before it for the same
document). The connection (``journey/connection.py``) hands each submission to a ``Filing``.

Whatever touches the local state runs in a thread: writes sync.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from itdeclare.journey.documents import same_document, same_person, same_traveller
from itdeclare.journey.failures import AlreadyDeclared, EarlierSubmissionFiled, Refused
from itdeclare.journey.people import display_name

if TYPE_CHECKING:
    from itdeclare.client import ApiClient, DeclarationSummary
    from itdeclare.models import Declaration
    from itdeclare.storage.records import Draft, Person
    from itdeclare.storage.state import LocalState

#: The backend's refusals that no retry changes, and what the user is told to do instead.
_REFUSALS = {
    "already_declared": "journey.submit.live_redeclared",
    "document_declared_elsewhere": "journey.submit.declared_elsewhere",
    "redeclaration_limit": "journey.submit.redeclaration_limit",
    "not_latest": "journey.submit.not_latest",
}


class Filing:
    """One submission of a draft, through a signed-in client."""

    def __init__(
        self, api: ApiClient, state: Callable[[], LocalState], clock: Callable[[], datetime]
    ) -> None:
        self._api = api
        self._state = state
        self._clock = clock

    async def file(
        self, draft: Draft, person: Person, declaration: Declaration
    ) -> DeclarationSummary:
        """Send ``declaration`` (the draft's document): a new declaration, or a re-declaration
        when ``draft.replaces``. The key is written into the draft before it is sent and reused
        until an answer arrives; on success the draft is marked with the declaration's id."""
        from itdeclare.client import Conflict, InvalidInput, new_idempotency_key

        api = self._api
        if draft.submission_key is None:
            draft.submission_key = new_idempotency_key()
            draft.submission_started = self._clock()
        await asyncio.to_thread(self._save_draft, draft)
        try:
            if draft.replaces is not None:
                summary = await api.redeclare(
                    draft.replaces, declaration, idempotency_key=draft.submission_key
                )
            else:
                remote_id = await self._register(person, declaration)
                summary = await api.submit_declaration(
                    remote_id, declaration, idempotency_key=draft.submission_key
                )
        except InvalidInput as error:
            if error.code == "idempotency_key_reused":
                raise await self._earlier_submission(draft, person) from error
            raise
        except Conflict as error:
            if error.code == "already_declared" and draft.replaces is None:
                raise await self._already_declared(draft, person, declaration) from error
            refusal = _REFUSALS.get(error.code or "")
            if refusal is None:
                raise
            raise Refused(refusal) from error
        draft.submitted_as = summary.id
        draft.submission_key = draft.submission_started = None
        await asyncio.to_thread(self._save_draft, draft)
        return summary

    async def _earlier_submission(self, draft: Draft, person: Person) -> EarlierSubmissionFiled:
        """The key of an unanswered submission was used with the draft as it was then: find
        what it filed, mark the draft with it and keep the changes as a re-declaration."""
        from itdeclare.storage.records import Draft as DraftRecord

        api = self._api
        remote = person.remote_id
        if draft.replaces is not None:
            old = await api.get_declaration(draft.replaces)
            filed_id = old.replaced_by
        else:
            mine = await api.list_declarations(person_id=remote) if remote else []
            started = draft.submission_started
            filed = [s for s in mine if started is None or (s.created_at or started) >= started]
            filed_id = filed[-1].id if filed else None
        if filed_id is None:
            raise RuntimeError("the backend knows the key but not what it filed")
        redraft = DraftRecord(
            person_id=draft.person_id,
            declaration={**draft.declaration, "attested": False},
            step="review",
            replaces=filed_id,
        )
        draft.submitted_as = filed_id
        draft.submission_key = draft.submission_started = None
        await asyncio.to_thread(self._save_draft, draft)
        await asyncio.to_thread(self._save_draft, redraft)
        return EarlierSubmissionFiled(filed_id, redraft)

    async def _already_declared(
        self, draft: Draft, person: Person, declaration: Declaration
    ) -> AlreadyDeclared | Refused:
        """Keep the draft as a re-declaration of the person's live declaration (the open end of
        its chain) if there is one left to make; else say why not, naming the person on this
        computer whose declaration holds the document when there is one."""
        remote = person.remote_id
        mine = await self._api.list_declarations(person_id=remote) if remote else []
        open_ends = [s for s in mine if s.replaced_by is None]
        if not open_ends:
            holder = await asyncio.to_thread(self._holder, draft, declaration)
            return holder or Refused("journey.submit.live_elsewhere_here")
        live = open_ends[0]  # the list is newest first
        if live.redeclarations_left == 0:
            return Refused("journey.submit.live_none_left")
        draft.replaces = live.id
        # What is attested now is a re-declaration: the user attests it anew.
        draft.declaration = {**draft.declaration, "attested": False}
        draft.submission_key = draft.submission_started = None
        await asyncio.to_thread(self._save_draft, draft)
        return AlreadyDeclared(live.id, draft)

    def _holder(self, draft: Draft, declaration: Declaration) -> Refused | None:
        """The refusal that names the other person on this computer whose filed declaration
        has the same travel document, or is about the same traveller (a second entry for one
        person), the latest filed first; ``None`` when none has."""
        state = self._state()
        filed = sorted(
            (
                d
                for d in state.drafts.list()
                if d.submitted_as is not None and d.person_id != draft.person_id
            ),
            key=lambda d: d.updated_at,
            reverse=True,
        )
        for other in filed:
            subject = other.declaration.get("subject") or {}
            if same_document(subject, declaration):
                message = "journey.submit.live_for"
            elif same_traveller(subject, declaration):
                message = "journey.submit.live_same_traveller"
            else:
                continue
            holder = state.people.get(other.person_id or "")
            if holder is not None:
                return Refused(message, name=display_name(holder.subject) or display_name(subject))
        return None

    async def _register(self, person: Person, declaration: Declaration) -> str:
        """The backend's id of the person, registered now if need be (or again, when the one
        registered before belongs to another account or never filed and no longer matches)."""
        from itdeclare.client import NotFound

        api = self._api
        if person.remote_id is not None:
            try:
                known = await api.get_person(person.remote_id)
            except NotFound:
                known = None
            if known is not None and (
                same_person(known.subject, declaration)
                or await api.list_declarations(person_id=known.id)
            ):
                return known.id
        created = await api.create_person(declaration.relationship, declaration.subject)
        person.remote_id = created.id
        await asyncio.to_thread(self._save_person, person)
        return created.id

    def _save_person(self, person: Person) -> None:
        people = self._state().people
        stored = people.get(person.id)
        if stored is not None:
            people.update(dataclasses.replace(stored, remote_id=person.remote_id))

    def _save_draft(self, draft: Draft) -> None:
        saved = self._state().drafts.save(draft)
        draft.revision, draft.updated_at = saved.revision, saved.updated_at
