"""The field validators: valid and invalid cases for each, and properties over any input."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from itdeclare import i18n
from itdeclare.models import DocumentType, limits, validators


def code_of(validator: Callable[..., object], *args: object) -> str:
    with pytest.raises(PydanticCustomError) as raised:
        validator(*args)
    return raised.value.type


# --- names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("zhang", "ZHANG"),
        ("  de  la\tcruz ", "DE LA CRUZ"),
        ("O'Neil", "O'NEIL"),
        ("Anne-Marie", "ANNE-MARIE"),
        ("ＺＨＡＮＧ", "ZHANG"),  # fullwidth letters from a Chinese input method
    ],
)
def test_latin_name_normalises(typed: str, stored: str) -> None:
    assert validators.latin_name(typed) == stored


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "name_empty"),
        ("   ", "name_empty"),
        ("张三", "name_not_latin"),
        ("Müller", "name_not_latin"),
        ("JOHN--SMITH", "name_not_latin"),
        ("-JOHN", "name_not_latin"),
        ("ZHANG3", "name_not_latin"),
        ("A" * (limits.LATIN_NAME + 1), "name_too_long"),
    ],
)
def test_latin_name_rejects(typed: str, code: str) -> None:
    assert code_of(validators.latin_name, typed) == code


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("张三", "张三"),
        (" 欧阳娜娜 ", "欧阳娜娜"),
        ("阿依古丽·买买提", "阿依古丽·买买提"),
        ("阿依古丽•买买提", "阿依古丽·买买提"),  # bullet typed for the middle dot
        ("阿依古丽・买买提", "阿依古丽·买买提"),  # katakana middle dot
        ("𠀀𠀁", "𠀀𠀁"),  # CJK extension B, used in some names
        ("王𠀀·𠀁", "王𠀀·𠀁"),
    ],
)
def test_chinese_name_accepts(typed: str, stored: str) -> None:
    assert validators.chinese_name(typed) == stored


@pytest.mark.parametrize("typed", ["", "Zhang", "张3", "张 三", "·张三", "张三·"])
def test_chinese_name_rejects(typed: str) -> None:
    assert code_of(validators.chinese_name, typed) == "chinese_name_invalid"


def test_chinese_name_limit() -> None:
    assert validators.chinese_name("张" * limits.CHINESE_NAME) == "张" * limits.CHINESE_NAME
    assert code_of(validators.chinese_name, "张" * (limits.CHINESE_NAME + 1)) == "name_too_long"


# --- countries, airports, ports, flights ------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"), [("usa", "USA"), ("CHN", "CHN"), (" twn ", "TWN"), ("wsm", "WSM")]
)
def test_country_code(typed: str, stored: str) -> None:
    assert validators.country_code(typed) == stored


@pytest.mark.parametrize("typed", ["", "US", "XXX", "UNITED STATES", "840"])
def test_country_code_rejects(typed: str) -> None:
    assert code_of(validators.country_code, typed) == "country_unknown"


@pytest.mark.parametrize(("typed", "stored"), [("sfo", "SFO"), ("PVG", "PVG"), (" apw", "APW")])
def test_airport_code(typed: str, stored: str) -> None:
    assert validators.airport_code(typed) == stored


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "airport_format"),
        ("SF", "airport_format"),
        ("SFOO", "airport_format"),
        ("S1O", "airport_format"),
        ("KSFO", "airport_format"),  # an ICAO code, not IATA
        ("XXX", "airport_unknown"),
        ("ZZZ", "airport_unknown"),
    ],
)
def test_airport_code_rejects(typed: str, code: str) -> None:
    assert code_of(validators.airport_code, typed) == code


@pytest.mark.parametrize("typed", ["PVG", "pek", "PKX", "CAN", "SZX", "URC"])
def test_port_of_entry(typed: str) -> None:
    assert validators.port_of_entry(typed) == typed.upper()


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("SFO", "port_not_entry"),
        ("HKG", "port_not_entry"),  # Hong Kong is not a port of entry into the mainland
        ("LXA", "port_not_entry"),  # a mainland airport without international flights
        ("XXX", "airport_unknown"),
        ("PV", "airport_format"),
    ],
)
def test_port_of_entry_rejects(typed: str, code: str) -> None:
    assert code_of(validators.port_of_entry, typed) == code


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("UA857", "UA857"),
        ("ua 857", "UA857"),
        ("UA0857", "UA857"),  # leading zeros are padding in schedules
        ("3U8888", "3U8888"),  # airline code digit + letter
        ("U21234", "U21234"),  # airline code letter + digit
        ("MU5101D", "MU5101D"),  # operational suffix
        ("CA 0988", "CA988"),
    ],
)
def test_flight_number(typed: str, stored: str) -> None:
    assert validators.flight_number(typed) == stored


@pytest.mark.parametrize("typed", ["", "857", "UAL857", "UA", "UA12345", "U-A857", "33857"])
def test_flight_number_rejects(typed: str) -> None:
    assert code_of(validators.flight_number, typed) == "flight_format"


# --- phones -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("+1 415 555 0123", "+14155550123"),  # United States
        ("+1 (613) 555-0123", "+16135550123"),  # Canada
        ("+86 138 0013 8000", "+8613800138000"),  # China
        ("+44 7400 123456", "+447400123456"),  # United Kingdom
        ("+49 151 23456789", "+4915123456789"),  # Germany
        ("+81 90-1234-5678", "+819012345678"),  # Japan
        ("+61 412 345 678", "+61412345678"),  # Australia
        ("+64 21 123 456", "+6421123456"),  # New Zealand
        ("+685 72 12345", "+6857212345"),  # Samoa
        ("+852 9123 4567", "+85291234567"),  # Hong Kong
        ("+55 11 91234-5678", "+5511912345678"),  # Brazil
        ("+34 612 34 56 78", "+34612345678"),  # Spain
        ("＋８６　１３８００１３８０００", "+8613800138000"),  # fullwidth, from a Chinese keyboard
    ],
)
def test_phone_normalised_to_e164(typed: str, e164: str) -> None:
    assert validators.phone_number(typed) == e164


def test_phone_default_region_for_a_national_number() -> None:
    assert validators.phone_number("138 0013 8000", "CN") == "+8613800138000"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "phone_empty"),
        ("  ", "phone_empty"),
        ("+1 415 555 CALL", "phone_letters"),
        ("+86 138 0013 800O", "phone_letters"),  # letter O for a zero
        ("+８６ １３８ ＡＢＣ", "phone_letters"),  # fullwidth letters too
        ("13800138000", "phone_country"),  # no country code
        ("+999 1234 5678", "phone_country"),
        ("+1 415 555", "phone_invalid"),
        ("+86 138 0013 80001234", "phone_invalid"),
        ("+", "phone_invalid"),
        ("+86 20 1234 5678", "phone_not_mobile"),  # a Guangzhou landline
        ("+44 20 7946 0958", "phone_not_mobile"),  # a London landline
    ],
)
def test_phone_rejects(typed: str, code: str) -> None:
    assert code_of(validators.phone_number, typed) == code


@pytest.mark.parametrize(
    "number",
    ["+14155550142", "+1 415 555", "+86 138 0013 8000", "+86 138 0013 80001234",
     "+86 20 1234 5678", "+44 7911 123456", "+800 1234 5678", "+1 200 555 0100"],
)  # fmt: skip
def test_a_phone_is_valid_exactly_when_its_type_is_known(number: str) -> None:
    """``phone_number`` judges validity by the type alone (one lookup, not two): it stays
    right only while phonenumbers' ``is_valid_number`` means a known type."""
    import phonenumbers

    parsed = phonenumbers.parse(number)
    known = phonenumbers.number_type(parsed) != phonenumbers.PhoneNumberType.UNKNOWN
    assert phonenumbers.is_valid_number(parsed) == known


# --- email, free text, vaccines ---------------------------------------------------------------


def test_email_normalises_the_domain() -> None:
    assert validators.email_address(" Wang.Lei@Example.COM ") == "Wang.Lei@example.com"


@pytest.mark.parametrize("typed", ["", "wang.lei", "wang@", "@example.com", "a@b", "a b@c.com"])
def test_email_rejects(typed: str) -> None:
    assert code_of(validators.email_address, typed) == "email_invalid"


def test_non_blank_collapses_whitespace() -> None:
    assert validators.non_blank("  Example \n Lab\t ") == "Example Lab"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "text_empty"),
        (" \n\t", "text_empty"),
        ("x" * 201, "text_too_long"),
        ("Example\x00Lab", "text_control"),
        ("Example\x1bLab", "text_control"),
        ("Example\ud800Lab", "text_control"),  # a lone surrogate cannot be written as UTF-8
    ],
)
def test_non_blank_rejects(typed: str, code: str) -> None:
    assert code_of(validators.non_blank, typed) == code


@given(
    before=st.text(alphabet=st.characters(categories=["L", "N"]), max_size=20),
    hidden=st.sampled_from(sorted(validators.INVISIBLE_CONTROLS)),
    after=st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=20),
)
def test_free_text_refuses_bidirectional_and_zero_width_characters(
    before: str, hidden: str, after: str
) -> None:
    """A right-to-left override or a zero-width space anywhere is refused, and the message
    names it, in both languages."""
    try:
        validators.non_blank(before + hidden + after)
    except PydanticCustomError as error:
        assert error.type == "text_invisible"
        named = f"U+{ord(hidden):04X}"
        assert error.context == {"char": named}
        for language in ("en", "zh"):
            assert named in i18n.t(f"errors.{error.type}", language, **error.context)
    else:
        raise AssertionError(f"{hidden!r} was accepted")


@pytest.mark.parametrize("text", ["Example Lab", "北京协和医院", "مختبر", "Ünïcödé Labor"])
def test_free_text_keeps_ordinary_text_of_any_script(text: str) -> None:
    assert validators.non_blank(text) == text


@pytest.mark.parametrize(
    ("typed", "fits"),
    [
        ("x" * 10, True),
        ("x" * 11, False),
        ("检" * 5, True),  # a Chinese character counts as two
        ("检" * 5 + "x", False),
        ("Ł" * 6, False),  # so does any other outside ASCII
        ("𠀀" * 2 + "xx", True),  # beyond the basic plane, four
        ("𠀀" * 3, False),
    ],
)
def test_text_by_width(typed: str, fits: bool) -> None:
    check = validators.non_blank
    if fits:
        assert check(typed, 10, by_width=True) == typed
    else:
        assert code_of(lambda text: check(text, 10, by_width=True), typed) == "text_too_wide"


@given(
    moment=st.datetimes(timezones=st.timezones()),
)
def test_to_the_minute_is_stable_or_a_validation_error(moment: object) -> None:
    from datetime import datetime

    assert isinstance(moment, datetime)
    try:
        kept = validators.to_the_minute(moment)
    except PydanticCustomError as error:
        assert error.type == "offset_whole_minutes"
        return
    assert kept.second == kept.microsecond == 0 and kept.utcoffset() == moment.utcoffset()
    assert validators.to_the_minute(kept) == kept


def test_times_are_kept_to_the_minute() -> None:
    from datetime import datetime, timezone

    moment = datetime(2026, 12, 1, 9, 30, 59, 999_999, tzinfo=timezone(timedelta(hours=8)))
    assert validators.to_the_minute(moment) == moment.replace(second=0, microsecond=0)
    odd = moment.replace(tzinfo=timezone(timedelta(hours=8, seconds=30)))
    assert code_of(validators.to_the_minute, odd) == "offset_whole_minutes"


@pytest.mark.parametrize("code", ["EU/1/20/1528", "BBIBP-CorV", "CoronaVac", " Convidecia "])
def test_vaccine_product(code: str) -> None:
    assert validators.vaccine_product(code) == code.strip()


@pytest.mark.parametrize("typed", ["", "Pfizer", "eu/1/20/1528", "Sputnik-X"])
def test_vaccine_product_rejects(typed: str) -> None:
    assert code_of(validators.vaccine_product, typed) == "vaccine_unknown"


# --- mainland resident ID card ------------------------------------------------------------


def with_check(first17: str) -> str:
    return first17 + validators.id_card_check_character(first17)


@pytest.mark.parametrize(
    ("number", "check"),
    [
        ("11010519491231002", "X"),  # the example printed in GB 11643-1999
        ("11010519560301001", "X"),  # DESIGN.md §4.5
        ("31010419500715062", "3"),  # examples/parent.json
        ("44030419800101001", "7"),  # weighted sum 170, 170 mod 11 = 5 -> 7
    ],
)
def test_id_card_check_character(number: str, check: str) -> None:
    assert validators.id_card_check_character(number) == check


@given(st.from_regex(r"[0-9]{17}", fullmatch=True))
def test_id_card_check_character_is_iso_7064_mod_11_2(first17: str) -> None:
    """ISO 7064 MOD 11-2: with the check value (X = 10) the weighted sum is 1 modulo 11, the
    weights being 2^(17-i) mod 11; this checks the table against the standard's definition."""
    check = validators.id_card_check_character(first17)
    value = 10 if check == "X" else int(check)
    weighted = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))
    assert (weighted + value) % 11 == 1


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("11010519560301001X", "11010519560301001X"),
        ("11010519560301001x", "11010519560301001X"),
        ("110105 19560301 001X", "11010519560301001X"),
        ("１１０１０５１９５６０３０１００１Ｘ", "11010519560301001X"),
        ("310104195007150623", "310104195007150623"),
        (with_check("81000019900101123"), with_check("81000019900101123")),  # HK permit
    ],
)
def test_id_card_number(typed: str, stored: str) -> None:
    assert validators.id_card_number(typed) == stored


def test_id_card_wrong_check_character_names_the_right_one() -> None:
    with pytest.raises(PydanticCustomError) as raised:
        validators.id_card_number("110105195603010013")
    assert raised.value.type == "id_card_checksum"
    assert raised.value.context == {"expected": "X"}


FIRST17 = st.builds(
    lambda province, area, born, sequence: f"{province}{area}{born:%Y%m%d}{sequence}",
    st.sampled_from(["11", "31", "44", "51", "65", "81", "83"]),
    st.from_regex(r"[0-9]{4}", fullmatch=True),
    st.dates(min_value=date(1900, 1, 1), max_value=date.today()),
    st.from_regex(r"[0-9]{3}", fullmatch=True),
)


@given(FIRST17)
def test_id_card_every_wrong_check_character_is_caught(first17: str) -> None:
    assert validators.id_card_number(with_check(first17)) == with_check(first17)
    right = validators.id_card_check_character(first17)
    for wrong in "0123456789X":
        if wrong != right:
            assert code_of(validators.id_card_number, first17 + wrong) == "id_card_checksum"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "id_card_format"),
        ("11010519560301001", "id_card_format"),  # 17 characters
        ("11010519560301001XX", "id_card_format"),
        ("01010519560301001X", "id_card_format"),  # no region starts with 0
        ("1101051956030100X1", "id_card_format"),  # X only as the check character
        ("110105560301001", "id_card_format"),  # the old 15-digit number
        (with_check("99010519560301001"), "id_card_region"),
        (with_check("10010519560301001"), "id_card_region"),
        (with_check("11010519560230001"), "id_card_birth_date"),  # 30 February
        (with_check("11010518991231001"), "id_card_birth_date"),  # before 1900
        (with_check(f"110105{date.today() + timedelta(days=1):%Y%m%d}001"), "id_card_birth_date"),
    ],
)
def test_id_card_number_rejects(typed: str, code: str) -> None:
    assert code_of(validators.id_card_number, typed) == code


def test_id_card_birth_date_and_sex() -> None:
    assert validators.id_card_birth_date("11010519560301001X") == date(1956, 3, 1)
    assert validators.id_card_birth_date("110105195602300010") is None
    assert validators.id_card_is_male("11010519560301001X")
    assert not validators.id_card_is_male("310104195007150623")


# --- identity documents ---------------------------------------------------------------------

VALID_NUMBERS: dict[DocumentType, list[str]] = {
    DocumentType.PASSPORT: ["E12345678", "EA1234567", "EZ7654321", "G12345678", "e 1234 5678"],
    DocumentType.DIPLOMATIC_PASSPORT: ["DE1234567", "D1234567", "D.1234567"],
    DocumentType.SERVICE_PASSPORT: ["SE1234567", "S1234567", "S.1234567", "S12345678"],
    DocumentType.PUBLIC_AFFAIRS_PASSPORT: ["PE1234567", "P1234567", "P.1234567"],
    DocumentType.TRAVEL_DOCUMENT: ["T12345678"],
    DocumentType.HK_MACAO_PERMIT: ["H12345678", "M12345678", "H1234567801"],
    DocumentType.TAIWAN_PERMIT: ["12345678", "1234567801"],
    DocumentType.FOREIGN_PASSPORT: ["123456789", "C01X00T47", "X1234", "AB 123 456"],
    DocumentType.OTHER: ["AB-123456", "REF123"],
}

INVALID_NUMBERS: dict[DocumentType, list[str]] = {
    DocumentType.PASSPORT: ["EI1234567", "EO1234567", "E1234567", "E123456789", "DE1234567"],
    DocumentType.DIPLOMATIC_PASSPORT: ["D12345678", "DE12345678", "E12345678", "SE1234567"],
    DocumentType.SERVICE_PASSPORT: ["SE12345678", "S123456", "PE1234567"],
    DocumentType.PUBLIC_AFFAIRS_PASSPORT: ["P12345678", "PE123456", "SE1234567"],
    DocumentType.TRAVEL_DOCUMENT: ["T1234567", "T123456789", "E12345678"],
    DocumentType.HK_MACAO_PERMIT: ["K12345678", "H123456789", "12345678", "H1234567"],
    DocumentType.TAIWAN_PERMIT: ["T12345678", "123456789", "1234567"],
    DocumentType.FOREIGN_PASSPORT: ["1234", "A" * 21, "AB-12345"],
    DocumentType.OTHER: ["A", "-AB123", "AB/123"],
}


def test_every_document_type_has_cases() -> None:
    assert set(VALID_NUMBERS) == set(DocumentType) == set(INVALID_NUMBERS)
    assert set(validators.DOCUMENT_FORMATS) == set(DocumentType)


@pytest.mark.parametrize(
    ("kind", "number"), [(k, n) for k, numbers in VALID_NUMBERS.items() for n in numbers]
)
def test_document_number_accepts(kind: DocumentType, number: str) -> None:
    assert validators.document_number(kind, number) == number.replace(" ", "").upper()


@pytest.mark.parametrize(
    ("kind", "number"), [(k, n) for k, numbers in INVALID_NUMBERS.items() for n in numbers]
)
def test_document_number_rejects(kind: DocumentType, number: str) -> None:
    with pytest.raises(PydanticCustomError) as raised:
        validators.document_number(kind, number)
    assert raised.value.type == "document_number_format"
    assert raised.value.context == {
        "document_type": kind,
        "example": validators.DOCUMENT_FORMATS[kind][1],
    }


@pytest.mark.parametrize("kind", list(DocumentType))
def test_document_examples_fit_their_own_format(kind: DocumentType) -> None:
    pattern, example = validators.DOCUMENT_FORMATS[kind]
    assert pattern.fullmatch(example)
    assert code_of(validators.document_number, kind, " ") == "document_number_empty"


# --- properties: whatever the input, a validation error or a normalised value -------------------

TEXT = st.one_of(
    st.text(),
    st.text(alphabet="0123456789Xx +-()·•・ABCEGHMPSTDE.'\u3000", max_size=24),
    st.from_regex(r"[1-9][0-9]{16}[0-9Xx]", fullmatch=True),
    st.from_regex(r"\+?[0-9 ]{1,20}", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9]{2}[0-9]{1,5}[A-Z]?", fullmatch=True),
    st.sampled_from(["SFO", "PVG", "HKG", "E12345678", "a@b.cn", "张三", "EU/1/20/1528"]),
)

ONE_ARGUMENT: list[Callable[[str], str]] = [
    validators.latin_name,
    validators.chinese_name,
    validators.country_code,
    validators.airport_code,
    validators.port_of_entry,
    validators.flight_number,
    validators.phone_number,
    validators.id_card_number,
    validators.email_address,
    validators.vaccine_product,
    validators.non_blank,
    validators.visible_text,
]
#: Helpers that read an already validated ID number; they have their own test above.
ID_NUMBER_HELPERS = {"id_card_check_character", "id_card_birth_date", "id_card_is_male"}


def test_every_validator_has_a_property_test() -> None:
    public = {
        name
        for name, member in inspect.getmembers(validators, inspect.isfunction)
        if member.__module__ == validators.__name__ and not name.startswith("_")
    }
    covered = {f.__name__ for f in ONE_ARGUMENT} | {"document_number", "date_of_birth"}
    covered |= {"to_the_minute"}
    covered |= ID_NUMBER_HELPERS
    assert public == covered


def assert_validation_error_or_stable(validator: Callable[[str], str], value: str) -> None:
    try:
        normalised = validator(value)
    except PydanticCustomError as error:
        assert i18n.has_text(f"errors.{error.type}"), error.type
        for language in i18n.LANGUAGES:  # the message renders with the error's own parameters
            i18n.t(f"errors.{error.type}", language, **(error.context or {}))
        return
    assert isinstance(normalised, str)
    assert validator(normalised) == normalised  # normalising twice changes nothing


@pytest.mark.parametrize("validator", ONE_ARGUMENT, ids=lambda f: f.__name__)
@given(value=TEXT)
def test_validator_raises_only_validation_errors(
    validator: Callable[[str], str], value: str
) -> None:
    assert_validation_error_or_stable(validator, value)


@given(kind=st.sampled_from(DocumentType), value=TEXT)
def test_document_number_raises_only_validation_errors(kind: DocumentType, value: str) -> None:
    assert_validation_error_or_stable(lambda v: validators.document_number(kind, v), value)


@given(value=TEXT, region=st.sampled_from([None, "CN", "US", "GB", "ZZ", "XX"]))
def test_phone_with_a_default_region_raises_only_validation_errors(
    value: str, region: str | None
) -> None:
    assert_validation_error_or_stable(lambda v: validators.phone_number(v, region), value)


@given(st.dates())
def test_date_of_birth_raises_only_validation_errors(born: date) -> None:
    try:
        assert validators.date_of_birth(born) == born
    except PydanticCustomError as error:
        assert error.type == "birth_date_range"
        assert not validators.EARLIEST_BIRTH <= born <= date.today()


@given(st.from_regex(r"[0-9]{17}", fullmatch=True))
def test_id_number_helpers_on_any_seventeen_digits(first17: str) -> None:
    number = with_check(first17)
    assert validators.id_card_is_male(number) == (int(number[16]) % 2 == 1)
    born = validators.id_card_birth_date(number)
    assert born is None or born.isoformat().replace("-", "") == number[6:14]


def test_to_the_minute_keeps_the_offset_of_a_zone_that_changes_it_inside_the_minute() -> None:
    """Zones that count leap seconds (``right/…``) end summer time at 02:00:23: the moment
    02:00:23 (after the change, +01:00) to the minute is 02:00, still at +01:00."""
    from datetime import datetime
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        zone = ZoneInfo("right/Europe/Oslo")
    except ZoneInfoNotFoundError:
        pytest.skip("this system's time zone data has no right/ zones (leap seconds counted)")
    moment = datetime(2008, 10, 26, 2, 0, 23, fold=1, tzinfo=zone)
    kept = validators.to_the_minute(moment)
    assert kept.utcoffset() == moment.utcoffset() == timedelta(hours=1)
    assert (kept.hour, kept.minute, kept.second) == (2, 0, 0)
    assert validators.to_the_minute(kept) == kept
