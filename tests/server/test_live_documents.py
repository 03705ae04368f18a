"""One person, one trip, one live declaration (DESIGN.md §2): a travel document is live in one
declaration chain until its trip is over, whichever account files, however many race."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import literal, select, update

from itdeclare.models import Subject
from itdeclare.server.services import live
from itdeclare.server.tables import Certificate, DeclarationRow, LiveDocument, new_id, utcnow
from tests.server import documents
from tests.server.conftest import (
    LiveServer,
    Reviewer,
    Traveller,
    fresh_consulate,
    queue_tallies_agree,
    sign_in,
)

PARALLEL = 20


def _code(answer: httpx.Response) -> str:
    return str(answer.json()["error"]["code"])


def _holder(server: LiveServer, passport: str) -> LiveDocument | None:
    with server.db.read() as session:
        return session.get(LiveDocument, f"CHN:{passport}")


def test_a_second_declaration_for_a_live_document_is_a_redeclaration(
    traveller: Traveller,
) -> None:
    passport = documents.fresh_passport()
    first = traveller.submitted(declaration=documents.declaration(passport=passport))
    again = traveller.submit(declaration=documents.declaration(passport=passport))
    assert again.status_code == 409
    assert _code(again) == "already_declared"
    assert "Re-declare" in again.json()["error"]["message"]
    # …and re-declaring it is what works, with the chain's count.
    redeclared = traveller.redeclare(first["id"], documents.declaration(passport=passport))
    assert redeclared.status_code == 201, redeclared.text
    assert redeclared.json()["chain_id"] == first["chain_id"]
    assert redeclared.json()["redeclarations_left"] == 1


def test_the_same_document_from_another_account_names_nothing_of_it(
    http: httpx.Client, traveller: Traveller
) -> None:
    passport = documents.fresh_passport()
    first = traveller.submitted(declaration=documents.declaration(passport=passport))
    other = sign_in(http)
    theirs = documents.declaration(passport=f" e{passport[1:5]} {passport[5:]} ")
    theirs = documents.as_new_traveller(theirs, documents.fresh_given_name())
    person = other.add_person(given_name=theirs["subject"]["given_name"])
    answer = other.submit(person, declaration=theirs, key="mine")
    assert answer.status_code == 409
    assert _code(answer) == "document_declared_elsewhere"
    text = answer.text
    for secret in (traveller.phone, traveller.phone[1:], first["id"], first["chain_id"]):
        assert secret not in text
    chinese = other.post(
        "/api/v1/declarations",
        json={"person_id": person, "declaration": _on_passport(theirs, passport)},
        headers={"Accept-Language": "zh", "Idempotency-Key": "zh"},
    )
    assert chinese.json()["error"]["message"].startswith("该旅行证件已有")


def _on_passport(declaration: dict[str, Any], passport: str) -> dict[str, Any]:
    subject = declaration["subject"]
    return {**declaration, "subject": {**subject, "document": {**subject["document"],
                                                               "number": passport}}}  # fmt: skip


def test_a_rejected_declaration_is_answered_by_redeclaring_it(
    traveller: Traveller, make_reviewer: Callable[[str], Reviewer]
) -> None:
    passport = documents.fresh_passport()
    first = traveller.submitted(declaration=documents.declaration(passport=passport))
    assert make_reviewer("USA").decide(first["id"], "reject", "blurred").status_code == 200
    fresh_chain = traveller.submit(declaration=documents.declaration(passport=passport))
    assert (fresh_chain.status_code, _code(fresh_chain)) == (409, "already_declared")
    redeclared = traveller.redeclare(first["id"], documents.declaration(passport=passport))
    assert redeclared.status_code == 201
    assert redeclared.json()["redeclarations_left"] == 1


def test_a_trip_that_is_over_frees_its_document(
    server: LiveServer, http: httpx.Client, traveller: Traveller
) -> None:
    passport = documents.fresh_passport()
    first = traveller.submitted(declaration=documents.declaration(passport=passport))
    # The trip ends: what time does to every row of the chain, said to the database.
    server.db.write(
        lambda s: s.execute(
            update(LiveDocument)
            .where(LiveDocument.chain_id == first["chain_id"])
            .values(live_until=utcnow() - timedelta(seconds=1))
        )
    )
    other = sign_in(http)
    made = other.submitted(declaration=documents.declaration(passport=passport))
    held = _holder(server, passport)
    assert held is not None and held.chain_id == made["chain_id"]
    assert held.live_until > utcnow() + timedelta(hours=12)


def test_a_corrected_document_keeps_the_first_held_until_the_trip_is_over(
    server: LiveServer, http: httpx.Client, traveller: Traveller
) -> None:
    """Were the first document let go, a chain could move to a second one and free the first
    for a new chain with two more re-declarations, as often as one liked (§2: the limit of two
    cannot be evaded)."""
    mistyped, corrected = documents.fresh_passport(), documents.fresh_passport()
    person = traveller.add_person()
    first = traveller.submitted(
        person_id=person, declaration=documents.declaration(passport=mistyped)
    )
    again = traveller.redeclare(first["id"], documents.declaration(passport=corrected))
    assert again.status_code == 201, again.text
    held = [_holder(server, mistyped), _holder(server, corrected)]
    assert {h.chain_id if h else None for h in held} == {first["chain_id"]}
    new_chain = traveller.submit(person, declaration=documents.declaration(passport=mistyped))
    assert (new_chain.status_code, _code(new_chain)) == (409, "already_declared")
    as_someone_else = traveller.submit(declaration=documents.declaration(passport=mistyped))
    assert (as_someone_else.status_code, _code(as_someone_else)) == (409, "already_declared")
    other = sign_in(http)
    for passport in (mistyped, corrected):
        taken = other.submit(declaration=documents.declaration(passport=passport))
        assert (taken.status_code, _code(taken)) == (409, "document_declared_elsewhere")


def test_a_person_with_a_live_chain_cannot_start_another_with_another_document(
    server: LiveServer, http: httpx.Client, traveller: Traveller
) -> None:
    person = traveller.add_person()
    made = traveller.submitted(person_id=person)
    other_document = documents.fresh_passport()
    answer = traveller.submit(person, declaration=documents.declaration(passport=other_document))
    assert (answer.status_code, _code(answer)) == (409, "already_declared")
    # Nothing of the refused request stays claimed: the document is free for whoever holds it.
    assert _holder(server, other_document) is None
    assert sign_in(http).submitted(declaration=documents.declaration(passport=other_document))
    # Re-declaring is the way, and the person stays the chain's.
    redeclared = traveller.redeclare(made["id"])
    assert redeclared.status_code == 201, redeclared.text


@pytest.mark.parametrize(
    ("family_name", "given_name"), [("ZHANG", "SAN"), ("Zhang", "San"), ("ZHANG", "SA-N")]
)
def test_a_second_entry_for_one_traveller_cannot_start_a_second_chain(
    http: httpx.Client, traveller: Traveller, family_name: str, given_name: str
) -> None:
    """A dual national's other passport, filed under a second person entry of the account with
    the same names (however written) and date of birth, is that traveller's second chain."""
    first = traveller.add_person()
    made = traveller.submitted(person_id=first)
    second_passport = documents.declaration()
    second_passport["subject"].update(family_name=family_name, given_name=given_name)
    second = traveller.add_person(relationship="self", **second_passport["subject"])
    answer = traveller.submit(second, declaration=second_passport)
    assert (answer.status_code, _code(answer)) == (409, "already_declared")
    # The traveller's own chain is the one to re-declare; another account may file for a
    # traveller of the same name and birthday, who is someone else.
    assert traveller.redeclare(made["id"]).status_code == 201
    stranger = sign_in(http)
    assert stranger.submit(stranger.add_person(**second_passport["subject"]),
                           declaration=second_passport).status_code == 201  # fmt: skip


@pytest.mark.parametrize("server", ["postgres"], indirect=True)
@pytest.mark.parametrize(
    ("family_name", "given_name", "born"),
    [
        ("ZHANG", "SAN", "1956-03-01"),
        ("O'Neil", "Mary-Ann", "2001-12-31"),
        ("de la Cruz", "Ana Maria", "1930-01-01"),
    ],
)
def test_the_filing_statement_names_a_traveller_as_python_does(
    server: LiveServer, family_name: str, given_name: str, born: str
) -> None:
    """On PostgreSQL the filing statement computes ``named_key`` itself, for the account its
    token signs in: the same key as the transactions compute, or one traveller could hold two
    chains."""
    names = {"family_name": family_name, "given_name": given_name}
    subject = Subject(
        **{**documents.SUBJECT, **names, "date_of_birth": born, "id_card_number": None}
    )
    account_id = new_id()
    in_sql = live.named_key_in_sql(literal(account_id), literal(live.named_after_account(subject)))
    with server.db.engine.connect() as connection:
        assert connection.execute(select(in_sql)).scalar_one() == live.named_key(
            account_id, subject
        )


def test_two_travellers_of_one_account_with_other_names_or_birthdays_file_apart(
    traveller: Traveller,
) -> None:
    traveller.submitted(person_id=traveller.add_person())
    for changes in ({"given_name": "SI"}, {"date_of_birth": "1958-07-15"}):
        other = documents.declaration()
        other["subject"].update(changes, id_card_number=None)
        person = traveller.add_person(**other["subject"])
        answer = traveller.submit(person, declaration=other)
        assert answer.status_code == 201, answer.text


def test_a_trip_that_is_over_frees_its_traveller_for_another_entry(
    server: LiveServer, traveller: Traveller
) -> None:
    made = traveller.submitted(person_id=traveller.add_person())
    server.db.write(
        lambda s: s.execute(
            update(LiveDocument)
            .where(LiveDocument.chain_id == made["chain_id"])
            .values(live_until=utcnow() - timedelta(seconds=1))
        )
    )
    assert traveller.submitted(person_id=traveller.add_person())["chain_id"] != made["chain_id"]


def test_a_trip_that_is_over_frees_its_person(server: LiveServer, traveller: Traveller) -> None:
    person = traveller.add_person()
    made = traveller.submitted(person_id=person)
    server.db.write(
        lambda s: s.execute(
            update(LiveDocument)
            .where(LiveDocument.chain_id == made["chain_id"])
            .values(live_until=utcnow() - timedelta(seconds=1))
        )
    )
    assert traveller.submitted(person_id=person)["chain_id"] != made["chain_id"]


def _declared_as(kind: str, number: str) -> dict[str, Any]:
    declaration = documents.declaration()
    declaration["subject"]["document"] = {
        "type": kind,
        "number": number,
        "expires_on": "2035-01-01",
    }
    if kind != "passport":  # a permit's holder has no mainland ID card
        declaration["subject"]["id_card_number"] = None
    return declaration


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("passport", "{passport}"), ("other", "{passport}")),
        (("passport", "{passport}"), ("other", "{passport_dashed}")),
        (("hk_macao_permit", "H{digits}"), ("hk_macao_permit", "H{digits}01")),
        (("hk_macao_permit", "M{digits}02"), ("hk_macao_permit", "M{digits}03")),
        (("taiwan_permit", "{digits}"), ("taiwan_permit", "{digits}04")),
    ],
)
def test_one_document_written_two_ways_is_one_document(
    http: httpx.Client, first: tuple[str, str], second: tuple[str, str]
) -> None:
    """One number declared as a passport and as "other", or a permit's lifelong number with and
    without its booklet's issue count, is one document (found by a QA pass: each way made a
    chain of its own, and each could hold a valid green code)."""
    passport = documents.fresh_passport()
    digits = passport[1:]
    values = {"passport": passport, "passport_dashed": f"{passport[:3]}-{passport[3:]}",
              "digits": digits}  # fmt: skip
    one, two = sign_in(http), sign_in(http)
    filed = [_declared_as(kind, number.format(**values)) for kind, number in (first, second)]
    assert one.submit(declaration=filed[0]).status_code == 201
    answer = two.submit(declaration=filed[1])
    assert (answer.status_code, _code(answer)) == (409, "document_declared_elsewhere")


def _declared_from(nationality: str, kind: str, number: str, born: str) -> dict[str, Any]:
    declaration = _declared_as(kind, number)
    declaration["subject"].update(nationality=nationality, date_of_birth=born)
    if nationality != "CHN":
        declaration["subject"]["id_card_number"] = None
    return declaration


BORN = "1956-03-01"  # the sample person's, as their ID card number says


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # A Chinese passport's number as "other", or as a foreign passport, of another country.
        (("CHN", "passport", "{passport}"), ("USA", "other", "{passport}")),
        (("CHN", "passport", "{passport}"), ("CAN", "foreign_passport", "{passport}")),
        # A permit as "other" of the region, with or without its booklet's issue count.
        (("CHN", "hk_macao_permit", "H{digits}"), ("HKG", "other", "H{digits}05")),
        (("CHN", "hk_macao_permit", "M{digits}"), ("MAC", "other", "M-{digits}")),
        (("CHN", "taiwan_permit", "{digits}"), ("TWN", "other", "{digits}06")),
        # One foreign passport declared with two nationalities.
        (("USA", "foreign_passport", "X{digits}"), ("GBR", "foreign_passport", "X{digits}")),
        (("USA", "foreign_passport", "X{digits}"), ("GBR", "other", "X-{digits}")),
    ],
)
def test_one_number_declared_with_another_type_or_country_is_one_document(
    http: httpx.Client, first: tuple[str, str, str], second: tuple[str, str, str]
) -> None:
    """The type and issuing country of a document are what the traveller says: one number, for
    someone born the same day, declared with another of either is the document already live
    (found by a QA pass: each way made a chain of its own, and each could hold a valid code)."""
    digits = documents.fresh_passport()[1:]
    values = {"passport": f"E{digits}", "digits": digits}
    filed = [
        _declared_from(nationality, kind, number.format(**values), BORN)
        for nationality, kind, number in (first, second)
    ]
    one, two = sign_in(http), sign_in(http)
    assert one.submit(declaration=filed[0]).status_code == 201
    answer = two.submit(declaration=filed[1])
    assert (answer.status_code, _code(answer)) == (409, "document_declared_elsewhere")
    # The same account is told to re-declare, as for the document written alike.
    mine = one.submit(declaration=filed[1], key="again")
    assert (mine.status_code, _code(mine)) == (409, "already_declared")


def test_one_foreign_number_held_by_two_people_born_on_other_days_is_two_documents(
    http: httpx.Client,
) -> None:
    """Foreign passport numbers are unique within their country only: another country's
    passport with the same number, held by someone else, is not the live one."""
    number = f"X{documents.fresh_passport()[1:]}"
    first = _declared_from("USA", "foreign_passport", number, BORN)
    second = _declared_from("GBR", "foreign_passport", number, "1988-07-15")
    second["subject"].update(family_name="SMITH", given_name="JANE", chinese_name=None)
    assert sign_in(http).submit(declaration=first).status_code == 201
    other = sign_in(http)
    answer = other.submit(other.add_person(**second["subject"]), declaration=second)
    assert answer.status_code == 201, answer.text


def test_redeclaring_onto_another_accounts_document_is_refused(
    http: httpx.Client, traveller: Traveller
) -> None:
    theirs = documents.fresh_passport()
    sign_in(http).submitted(declaration=documents.declaration(passport=theirs))
    mine = traveller.submitted()
    answer = traveller.redeclare(mine["id"], documents.declaration(passport=theirs))
    assert (answer.status_code, _code(answer)) == (409, "document_declared_elsewhere")
    assert traveller.get(f"/api/v1/declarations/{mine['id']}").json()["status"] == "pending_review"


def test_an_approval_keeps_the_document_until_its_code_expires(
    server: LiveServer, traveller: Traveller, make_reviewer: Callable[[str], Reviewer]
) -> None:
    passport = documents.fresh_passport()
    made = traveller.submitted(declaration=documents.declaration(passport=passport))
    assert make_reviewer("USA").decide(made["id"], "approve").status_code == 200
    with server.db.read() as session:
        expires = session.execute(
            select(Certificate.expires_at).where(Certificate.declaration_id == made["id"])
        ).scalar_one()
    held = _holder(server, passport)
    assert held is not None and held.live_until == expires


def _race(server: LiveServer, calls: list[Callable[[httpx.Client], httpx.Response]]) -> list[Any]:
    def one(call: Callable[[httpx.Client], httpx.Response]) -> httpx.Response:
        with server.client() as client:
            return call(client)

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(one, calls))


@pytest.mark.parametrize("queue", ["new", "existing"])
def test_twenty_submissions_from_two_accounts_make_one_declaration(
    server: LiveServer, http: httpx.Client, queue: str
) -> None:
    """Into a consulate's first declaration (a transaction on either database) or into a queue
    that exists (on PostgreSQL, the single statement): one chain, the rest told why not."""
    consulate = fresh_consulate()
    one, two = sign_in(http), sign_in(http)
    ahead = 0 if queue == "new" else 1
    if ahead:
        sign_in(http).submitted(declaration=documents.declaration(residence=consulate))
    people = {one.phone: one.add_person(), two.phone: two.add_person()}
    passport = documents.fresh_passport()

    def filing(traveller: Traveller, n: int) -> Callable[[httpx.Client], httpx.Response]:
        body = {
            "person_id": people[traveller.phone],
            "declaration": documents.declaration(residence=consulate, passport=passport),
        }
        headers = {**traveller.auth, "Idempotency-Key": f"race-{n}"}
        return lambda client: client.post("/api/v1/declarations", json=body, headers=headers)

    answers = _race(server, [filing((one, two)[n % 2], n) for n in range(PARALLEL)])
    assert Counter(a.status_code for a in answers) == {201: 1, 409: PARALLEL - 1}
    [winner] = [n for n, a in enumerate(answers) if a.status_code == 201]
    for n, answer in enumerate(answers):
        if answer.status_code == 409:
            same_account = n % 2 == winner % 2
            assert _code(answer) == (
                "already_declared" if same_account else "document_declared_elsewhere"
            )
    assert answers[winner].json()["queue_position"] == ahead
    with server.db.read() as session:
        filed = session.execute(
            select(DeclarationRow.id).where(DeclarationRow.consulate == consulate)
        ).all()
    assert len(filed) == ahead + 1
    held = _holder(server, passport)
    assert held is not None and held.chain_id == answers[winner].json()["chain_id"]
    queue_tallies_agree(server.db, consulate)


def test_a_flight_that_has_left_cannot_be_declared_or_redeclared(traveller: Traveller) -> None:
    gone = documents.declaration(now=datetime.now(documents.LOS_ANGELES) - timedelta(days=3))
    answer = traveller.submit(declaration=gone)
    assert (answer.status_code, _code(answer)) == (422, "invalid")
    fields = {f["loc"]: f["code"] for f in answer.json()["error"]["fields"]}
    assert fields == {"itinerary.0.departs_at": "flight_departed"}
    made = traveller.submitted()
    again = traveller.redeclare(made["id"], gone)
    assert again.status_code == 422
    assert {f["code"] for f in again.json()["error"]["fields"]} == {"flight_departed"}


@pytest.mark.parametrize("queue", ["new", "existing"])
def test_twenty_submissions_for_one_person_with_twenty_documents_make_one_declaration(
    server: LiveServer, http: httpx.Client, queue: str
) -> None:
    """On PostgreSQL into an existing queue, each request claims the person and its document in
    one statement, which may take the document and not the person: then it lets go of it."""
    consulate = fresh_consulate()
    if queue == "existing":
        sign_in(http).submitted(declaration=documents.declaration(residence=consulate))
    traveller = sign_in(http)
    person = traveller.add_person()
    passports = [documents.fresh_passport() for _ in range(PARALLEL)]

    def filing(passport: str) -> Callable[[httpx.Client], httpx.Response]:
        declaration = documents.declaration(residence=consulate, passport=passport)
        body = {"person_id": person, "declaration": declaration}
        headers = {**traveller.auth, "Idempotency-Key": passport}
        return lambda client: client.post("/api/v1/declarations", json=body, headers=headers)

    answers = _race(server, [filing(passport) for passport in passports])
    assert Counter(a.status_code for a in answers) == {201: 1, 409: PARALLEL - 1}
    assert {_code(a) for a in answers if a.status_code == 409} == {"already_declared"}
    [made] = [a.json() for a in answers if a.status_code == 201]
    winner = passports[[a.status_code for a in answers].index(201)]
    # Nothing a refused request claimed stays: the account holds the winner's rows alone.
    named = live.named_key(_account_of(server, made["id"]), Subject(**documents.SUBJECT))
    assert sorted(_held_by_account_of(server, made["id"])) == [
        f"CHN:{winner}",
        f"born:{documents.SUBJECT['date_of_birth']}:{winner}",
        named,
        f"person:{person}",
    ]
    queue_tallies_agree(server.db, consulate)


def _held_by_account_of(server: LiveServer, declaration_id: str) -> list[str]:
    account = select(DeclarationRow.account_id).where(DeclarationRow.id == declaration_id)
    held = select(LiveDocument.document_key).where(
        LiveDocument.account_id == account.scalar_subquery()
    )
    with server.db.read() as session:
        return list(session.execute(held).scalars())


def _account_of(server: LiveServer, declaration_id: str) -> str:
    with server.db.read() as session:
        return str(session.get_one(DeclarationRow, declaration_id).account_id)
