"""Issue → QR picture → read back → verify, with every field intact; random records too."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itdeclare import cli
from itdeclare.certificate import claim, dcc, qr
from itdeclare.certificate.claim.decode import json_moment
from itdeclare.certificate.issue import (
    declaration_certificate_id,
    declaration_record,
    issue_declaration,
    issue_outbound,
    outbound_certificate_id,
    sign_record,
)
from itdeclare.certificate.keys import KeyStore
from itdeclare.certificate.record import CertifiedRecord, Holder, RecordKind
from itdeclare.certificate.trust import TrustList
from itdeclare.certificate.verify import verify
from itdeclare.models import (
    Declaration,
    DocumentType,
    FlightLeg,
    HealthRecord,
    HistoryEntry,
    HistoryKind,
    IdentityDocument,
    LabResult,
    LabTest,
    LabTestKind,
    Sex,
    Vaccination,
)

from .conftest import DECLARATION_ID, DURING, EXPIRES, ISSUED, KEYS_MADE, load_declaration


def _issue(maximal: Declaration, keystore: KeyStore) -> str:
    return issue_declaration(
        maximal,
        declaration_id=DECLARATION_ID,
        signer=keystore.signer(),
        issued_at=ISSUED,
        expires_at=EXPIRES,
    )


def test_maximal_record_through_a_png_and_the_verify_command(
    maximal: Declaration,
    keystore: KeyStore,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    payload = _issue(maximal, keystore)
    picture = qr.write_png(payload, tmp_path / "code.png")
    assert qr.read_image(picture) == payload
    trust_file = tmp_path / "trust.json"
    trust_file.write_text(json.dumps(keystore.trust_list()))

    status = cli.main(
        ["verify", "--json", "--trust-list", str(trust_file), "--at", DURING.isoformat(),
         "--image", str(picture)]
    )  # fmt: skip

    result = json.loads(capsys.readouterr().out)
    assert status == 0 and result["valid"], result
    assert result["checks"]["revocation"] is None
    assert all(result["checks"][name] for name in ("prefix", "signature", "expiry", "schema"))
    expected = declaration_record(maximal, DECLARATION_ID).to_json()
    assert result["payload"]["record"] == expected
    assert result["payload"]["dcc"] is None  # 4 tests and 3 doses do not fit one DCC entry
    record = result["payload"]["record"]
    assert len(record["itinerary"]) == 3 and len(record["tests"]) == 4
    assert len(record["vaccinations"]) == 3 and len(record["history"]) == 1
    assert record["itinerary"][1]["departs_at"] == "2026-11-30T13:00:00-08:00"
    assert record["document"] == {
        "type": "passport",
        "number": "E98765432",
        "expires_on": "2032-01-01",
    }
    assert record["holder"]["chinese_name"] == "欧阳晓明"
    assert record["certificate_id"] == declaration_certificate_id(DECLARATION_ID)


def test_maximal_record_fits_qr_version_17(maximal: Declaration, keystore: KeyStore) -> None:
    assert qr.version(_issue(maximal, keystore)) <= 17


def test_a_single_test_record_carries_a_schema_valid_dcc(
    keystore: KeyStore, trust: TrustList, shared_dir: Path
) -> None:
    import jsonschema

    example = load_declaration("../../examples/self.json")
    declaration = example.model_copy(update={"tests": example.tests[:1], "vaccinations": []})
    payload = issue_declaration(
        declaration,
        declaration_id="0001",
        signer=keystore.signer(),
        issued_at=ISSUED,
        expires_at=EXPIRES,
    )
    result = verify(payload, trust_list=trust, at=DURING)
    assert result.valid and result.checks["key_usage"] is True
    payload_dcc = result.dcc
    assert payload_dcc is not None and dcc.entry_type(payload_dcc) == "t"
    schema = json.loads(
        (shared_dir / "testdata" / "dcc-schema" / "DCC.combined-schema.json").read_text()
    )
    jsonschema.validate(payload_dcc, schema, format_checker=jsonschema.FormatChecker())
    assert payload_dcc["t"][0]["co"] == "US"
    assert payload_dcc["t"][0]["ci"] == result.record.certificate_id  # type: ignore[union-attr]


def test_an_outbound_certificate(keystore: KeyStore, trust: TrustList) -> None:
    health = HealthRecord.model_validate(
        {
            "id_card_number": "11010519560301001X",
            "name": "张三",
            "family_name": "ZHANG",
            "given_name": "SAN",
            "sex": "male",
            "documents": [{"type": "passport", "number": "E12345678"}],
            "vaccinations": [
                {
                    "product": "BBIBP-CorV",
                    "dose": 2,
                    "of": 2,
                    "date": "2021-06-01",
                    "country": "CHN",
                }
            ],
        }
    )
    document = health.documents[0]
    payload = issue_outbound(
        health, document, signer=keystore.signer(), issued_at=ISSUED, expires_at=EXPIRES
    )
    result = verify(payload, trust_list=trust, at=DURING)
    assert result.valid
    record = result.record
    assert record is not None and record.kind is RecordKind.OUTBOUND
    assert record.holder.chinese_name == "张三" and record.holder.nationality == "CHN"
    assert record.document.number == "E12345678"
    assert record.certificate_id == outbound_certificate_id(health, document, ISSUED)
    assert result.dcc is not None and result.dcc["v"][0]["mp"] == "BBIBP-CorV"
    assert "id_card_number" not in json.dumps(result.to_json())


# --- random records ---------------------------------------------------------------------------

AIRPORTS = ["SFO", "PVG", "ICN", "LAX", "NRT", "PEK", "FRA", "CDG", "JFK", "SYD"]
offsets = st.integers(-12 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
moments = st.builds(
    lambda seconds, micro, zone: (
        ISSUED + timedelta(seconds=seconds, microseconds=micro)
    ).astimezone(zone),
    st.integers(-40 * 86400, 40 * 86400),
    st.sampled_from([0, 0, 0, 250_000]),
    offsets,
)
airport_moments = st.builds(
    lambda moment, airport: (airport, moment),
    moments,
    st.sampled_from(AIRPORTS),
)
texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=30)
countries = st.sampled_from(["CHN", "USA", "KOR", "DEU", "FRA"])
dates = st.dates(date(1920, 1, 1), date(2030, 12, 31))


def _local(airport: str, moment: datetime, keep_offset: bool) -> datetime:
    from itdeclare.models import reference

    found = reference.airport(airport)
    return moment if keep_offset or found is None else moment.astimezone(found.zone)


@st.composite
def legs(draw: st.DrawFn) -> tuple[FlightLeg, ...]:
    result = []
    for _ in range(draw(st.integers(0, 3))):
        origin, destination = draw(st.sampled_from(AIRPORTS)), draw(st.sampled_from(AIRPORTS))
        result.append(
            FlightLeg.model_construct(
                flight=draw(st.from_regex(r"[A-Z0-9]{2}[0-9]{1,4}", fullmatch=True)),
                from_=origin,
                to=destination,
                departs_at=_local(origin, draw(moments), draw(st.booleans())),
                arrives_at=_local(destination, draw(moments), draw(st.booleans())),
            )
        )
    return tuple(result)


tests_strategy = st.builds(
    LabTest.model_construct,
    kind=st.sampled_from(list(LabTestKind)),
    sampled_at=moments,
    result=st.sampled_from(list(LabResult)),
    institution=texts,
    country=countries,
)
vaccinations_strategy = st.builds(
    Vaccination.model_construct,
    product=st.one_of(st.sampled_from(claim.PRODUCTS), texts),
    dose=st.integers(1, 9),
    of=st.integers(1, 9),
    date=dates,
    country=countries,
)
history_strategy = st.builds(
    HistoryEntry.model_construct,
    kind=st.sampled_from(list(HistoryKind)),
    date=dates,
    recovered_on=st.one_of(st.none(), dates),
)


@st.composite
def records(draw: st.DrawFn) -> CertifiedRecord:
    itinerary = draw(legs())
    document_type = draw(st.sampled_from(list(DocumentType)))
    return CertifiedRecord(
        kind=draw(st.sampled_from(list(RecordKind))),
        reference=draw(st.one_of(texts, st.binary(min_size=1, max_size=16).map(bytes.hex))),
        holder=Holder(
            family_name=draw(texts),
            given_name=draw(texts),
            sex=draw(st.sampled_from(list(Sex))),
            date_of_birth=draw(dates),
            nationality=draw(countries),
            chinese_name=draw(st.one_of(st.none(), texts)),
        ),
        document=IdentityDocument.model_construct(
            type=document_type,
            number=draw(texts),
            expires_on=draw(st.one_of(st.none(), dates)),
        ),
        port_of_entry=draw(st.sampled_from(AIRPORTS)) if itinerary else None,
        itinerary=itinerary,
        tests=tuple(draw(st.lists(tests_strategy, max_size=5))),
        vaccinations=tuple(draw(st.lists(vaccinations_strategy, max_size=4))),
        history=tuple(draw(st.lists(history_strategy, max_size=2))),
    )


def _json(record: CertifiedRecord) -> dict[str, Any]:
    return json.loads(json.dumps(record.to_json()))


@settings(max_examples=150, deadline=None)
@given(records())
def test_random_records_round_trip_through_the_claim(record: CertifiedRecord) -> None:
    issued_at = int(ISSUED.timestamp())
    assert _json(claim.decode(claim.encode(record, issued_at), issued_at)) == _json(record)


@settings(max_examples=25, deadline=None)
@given(record=records())
def test_random_records_round_trip_signed(
    record: CertifiedRecord, tmp_path_factory: pytest.TempPathFactory
) -> None:
    store = _shared_store(tmp_path_factory)
    payload = sign_record(record, signer=store.signer(), issued_at=ISSUED, expires_at=EXPIRES)
    result = verify(payload, trust_list=TrustList.from_json(store.trust_list()), at=DURING)
    assert result.valid, result.to_json()
    assert result.record is not None and _json(result.record) == _json(record)


_STORES: dict[str, KeyStore] = {}


def _shared_store(factory: pytest.TempPathFactory) -> KeyStore:
    """One key store for all examples (making keys per example would dominate the run)."""
    if "store" not in _STORES:
        _STORES["store"] = KeyStore.init(
            factory.mktemp("keys") / "keys", b"a long passphrase", now=KEYS_MADE
        )
    return _STORES["store"]


def test_dates_and_instants_survive_zones_and_seconds() -> None:
    moment = datetime(2026, 3, 29, 1, 30, 15, 500, tzinfo=timezone(timedelta(hours=5, minutes=45)))
    record = CertifiedRecord(
        kind=RecordKind.DECLARATION,
        reference="x",
        holder=Holder("A", "B", Sex.OTHER, date(1900, 1, 1), "NPL"),
        document=IdentityDocument.model_construct(
            type=DocumentType.OTHER, number="1", expires_on=None
        ),
        tests=(
            LabTest.model_construct(
                kind=LabTestKind.IGG, sampled_at=moment, result=LabResult.POSITIVE,
                institution="Lab", country="NPL",
            ),
        ),
    )  # fmt: skip
    issued_at = int(datetime(2026, 3, 30, tzinfo=UTC).timestamp())
    decoded = claim.decode(claim.encode(record, issued_at), issued_at)
    assert decoded.tests[0].sampled_at.isoformat() == moment.isoformat()


@settings(max_examples=150, deadline=None)
@given(records())
def test_the_claim_read_straight_into_json_is_the_records_json(record: CertifiedRecord) -> None:
    """``verify --json`` reads the claim without building the record: the same JSON."""
    issued_at = int(ISSUED.timestamp())
    value = claim.encode(record, issued_at)
    assert claim.decode_json(value, issued_at) == claim.decode(value, issued_at).to_json()


def _offsets() -> st.SearchStrategy[timezone]:
    seconds = st.integers(min_value=-86399, max_value=86399)
    return st.builds(lambda s: timezone(timedelta(seconds=s)), seconds)


@settings(max_examples=300, deadline=None)
@given(moment=st.datetimes(timezones=st.one_of(_offsets(), st.timezones())))
def test_instants_are_written_as_pydantic_writes_them(moment: datetime) -> None:
    leg = FlightLeg.model_construct(
        flight="CA1", from_="FRA", to="PEK", departs_at=moment, arrives_at=moment
    )
    assert json_moment(moment) == leg.model_dump(mode="json")["departs_at"]
