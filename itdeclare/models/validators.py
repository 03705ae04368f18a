"""Field validators shared by the models, the TUI's form validators and the backend.

Each takes the raw value, returns it normalised, and raises ``PydanticCustomError`` whose type
is a stable error code (rendered in the user's language by ``itdeclare.i18n``) and whose context
holds the parameters of the message. None of them raises anything else, whatever the input.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta, timezone

from pydantic_core import PydanticCustomError

from itdeclare.models import limits, reference
from itdeclare.models.enums import DocumentType

_SPACES = re.compile(r"\s+")

#: No traveller is older; earlier dates are typing mistakes.
EARLIEST_BIRTH = date(1900, 1, 1)


def _error(code: str, message: str, **context: object) -> PydanticCustomError:
    return PydanticCustomError(code, message, context or None)


def _compact_upper(value: str) -> str:
    """Upper case without any whitespace: how people type codes ("e 1234 5678")."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", value)).upper()


# --- people ---------------------------------------------------------------------------------

_LATIN_NAME = re.compile(r"[A-Z]+(?:[ '\-][A-Z]+)*")
_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ebef]+"
#: Han characters; names of some minorities join their parts with a middle dot (阿依古丽·买买提).
_CHINESE_NAME = re.compile(rf"{_HAN}(?:·{_HAN})*")


def latin_name(value: str) -> str:
    """A name as printed in the document's machine-readable zone: Latin letters, upper case."""
    name = _SPACES.sub(" ", unicodedata.normalize("NFKC", value)).strip().upper()
    if not name:
        raise _error("name_empty", "Enter the name as printed in the document")
    if len(name) > limits.LATIN_NAME:
        raise _error("name_too_long", "At most {max} characters", max=limits.LATIN_NAME)
    if not _LATIN_NAME.fullmatch(name):
        raise _error(
            "name_not_latin",
            "Use the Latin letters printed in the document (A-Z, space, hyphen, apostrophe)",
        )
    return name


def chinese_name(value: str) -> str:
    name = unicodedata.normalize("NFKC", value).strip().replace("•", "·").replace("・", "·")
    if not _CHINESE_NAME.fullmatch(name):
        raise _error("chinese_name_invalid", "Use Chinese characters only")
    if len(name) > limits.CHINESE_NAME:
        raise _error("name_too_long", "At most {max} characters", max=limits.CHINESE_NAME)
    return name


def date_of_birth(value: date) -> date:
    """A date of birth someone travelling today can have."""
    if not EARLIEST_BIRTH <= value <= date.today():
        raise _error(
            "birth_date_range",
            "The date of birth must be between {earliest} and today",
            earliest=EARLIEST_BIRTH,
        )
    return value


def to_the_minute(value: datetime) -> datetime:
    """A time to the minute: seconds are dropped (no schedule or test report gives them), and
    a UTC offset must be whole minutes (every zone's is)."""
    offset = value.utcoffset()
    if offset is not None and offset % timedelta(minutes=1):
        raise _error("offset_whole_minutes", "A UTC offset is whole minutes, like +05:45")
    kept = value.replace(second=0, microsecond=0)
    if offset is not None and kept.utcoffset() != offset:
        # a zone that counts leap seconds (right/…) changes its offset inside a minute: the
        # minute keeps the offset of the moment it was taken from
        kept = kept.replace(tzinfo=timezone(offset))
    return kept


# --- countries, airports, ports -------------------------------------------------------------


def country_code(value: str) -> str:
    code = _compact_upper(value)
    if reference.country(code) is None:
        raise _error("country_unknown", "Unknown country code {value}", value=value)
    return code


def airport_code(value: str) -> str:
    code = _compact_upper(value)
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise _error("airport_format", "An airport is a three-letter IATA code, like PVG")
    if reference.airport(code) is None:
        raise _error("airport_unknown", "Unknown airport {value}", value=code)
    return code


def port_of_entry(value: str) -> str:
    code = airport_code(value)
    if code not in reference.ports_of_entry():
        raise _error("port_not_entry", "{value} is not a Chinese port of entry", value=code)
    return code


_FLIGHT = re.compile(r"(?:[A-Z][A-Z0-9]|[0-9][A-Z])[0-9]{1,4}[A-Z]?")


def flight_number(value: str) -> str:
    """An IATA flight designator: airline code (two characters) and 1-4 digits, like UA857."""
    code = _compact_upper(value)
    if not _FLIGHT.fullmatch(code):
        raise _error("flight_format", "A flight number is an airline code and digits, like CA988")
    airline, digits = code[:2], code[2:].rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return f"{airline}{int(digits)}{code[2 + len(digits) :]}"


# --- contact ---------------------------------------------------------------------------------


def phone_number(value: str, default_region: str | None = None) -> str:
    """A mobile number in E.164 form. Without a leading + the default region (alpha-2) applies."""
    import phonenumbers

    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        raise _error("phone_empty", "Enter a mobile phone number")
    if re.search(r"[A-Za-z]", text):
        raise _error("phone_letters", "A phone number has digits only (and an optional +)")
    try:
        number = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException as exc:
        if exc.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            raise _error(
                "phone_country", "Start with + and the country code, like +86 138 0013 8000"
            ) from None
        raise _error("phone_invalid", "This is not a valid phone number") from None
    # The type is what validity is judged by: is_valid_number is number_type != UNKNOWN, and
    # works the region and the type out itself. Asked once, the type answers both.
    kind = phonenumbers.number_type(number)
    if kind == phonenumbers.PhoneNumberType.UNKNOWN:
        raise _error("phone_invalid", "This is not a valid phone number")
    if kind not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise _error("phone_not_mobile", "Enter a mobile number that can receive a text message")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def email_address(value: str) -> str:
    """An address that can receive mail, normalised (the domain in lower case)."""
    from email_validator import EmailNotValidError, validate_email

    if len(value.strip()) > limits.EMAIL:
        raise _error("text_too_long", "At most {max} characters", max=limits.EMAIL)
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise _error("email_invalid", "Enter an email address like name@example.com") from None


# --- mainland resident ID card -----------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
#: The province-level codes (GB/T 2260) an ID number starts with; 81-83 are the residence permits
#: of Hong Kong, Macao and Taiwan residents, which follow the same scheme.
_ID_PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
)


def id_card_check_character(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits of an ID number."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def id_card_birth_date(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def id_card_is_male(number: str) -> bool:
    """The 17th character is odd for men and even for women."""
    return int(number[16]) % 2 == 1


def id_card_number(value: str) -> str:
    """An 18-character mainland resident ID number with a correct check character."""
    number = _compact_upper(value)
    if not re.fullmatch(r"[1-9][0-9]{16}[0-9X]", number):
        raise _error("id_card_format", "An ID card number has 17 digits and a digit or X")
    if int(number[:2]) not in _ID_PROVINCES:
        raise _error("id_card_region", "The first two digits are not a province code")
    born = id_card_birth_date(number)
    if born is None or not EARLIEST_BIRTH <= born <= date.today():
        raise _error("id_card_birth_date", "The ID number holds no valid date of birth")
    expected = id_card_check_character(number[:17])
    if number[17] != expected:
        raise _error(
            "id_card_checksum",
            "The last character should be {expected}: check the number",
            expected=expected,
        )
    return number


# --- identity documents ----------------------------------------------------------------

#: Number formats per document type: (pattern, example shown to the user).
DOCUMENT_FORMATS: dict[DocumentType, tuple[re.Pattern[str], str]] = {
    # Ordinary passports: E + 8 digits (2012-2017), E + letter but I and O + 7 digits (since
    # April 2017), G + 8 digits (the booklet before the e-passport).
    DocumentType.PASSPORT: (re.compile(r"E[0-9]{8}|E[A-HJ-NP-Z][0-9]{7}|G[0-9]{8}"), "E12345678"),
    # Passports for official travel: the e-passport adds E after the type letter (DE, SE, PE + 7
    # digits); the older booklets print the letter, sometimes with a dot, and 7 digits (service
    # passports also had S + 8).
    DocumentType.DIPLOMATIC_PASSPORT: (re.compile(r"DE[0-9]{7}|D\.?[0-9]{7}"), "DE1234567"),
    DocumentType.SERVICE_PASSPORT: (re.compile(r"SE[0-9]{7}|S\.?[0-9]{7}|S[0-9]{8}"), "SE1234567"),
    DocumentType.PUBLIC_AFFAIRS_PASSPORT: (re.compile(r"PE[0-9]{7}|P\.?[0-9]{7}"), "PE1234567"),
    # Travel document (旅行证), issued by missions abroad: T + 8 digits.
    DocumentType.TRAVEL_DOCUMENT: (re.compile(r"T[0-9]{8}"), "T12345678"),
    # HK/Macau permit (回乡证): H or M + 8 digits; the older booklet added a 2-digit issue count.
    DocumentType.HK_MACAO_PERMIT: (re.compile(r"[HM][0-9]{8}(?:[0-9]{2})?"), "H12345678"),
    # Taiwan permit (台胞证): a lifelong 8-digit number since 2008; older booklets added a
    # 2-digit issue count.
    DocumentType.TAIWAN_PERMIT: (re.compile(r"[0-9]{8}|[0-9]{10}"), "12345678"),
    DocumentType.FOREIGN_PASSPORT: (
        re.compile(rf"[A-Z0-9]{{5,{limits.DOCUMENT_NUMBER}}}"),
        "123456789",
    ),
    DocumentType.OTHER: (
        re.compile(rf"[A-Z0-9][A-Z0-9\-]{{2,{limits.DOCUMENT_NUMBER - 1}}}"),
        "AB-123456",
    ),
}


#: The types whose numbers take any shape: an ID card's number could be typed as one.
_FREE_FORM_DOCUMENTS = frozenset({DocumentType.FOREIGN_PASSPORT, DocumentType.OTHER})


def _is_id_card_number(number: str) -> bool:
    try:
        id_card_number(number)
    except PydanticCustomError:
        return False
    return True


def document_number(document_type: DocumentType, value: str) -> str:
    number = _compact_upper(value)
    if not number:
        raise _error("document_number_empty", "Enter the document number")
    pattern, example = DOCUMENT_FORMATS[document_type]
    if document_type in _FREE_FORM_DOCUMENTS and _is_id_card_number(number):
        raise _error(
            "document_is_id_card",
            "A resident ID card is not a travel document: declare the passport or permit "
            "travelled on, with the ID number in its own field",
        )
    if not pattern.fullmatch(number):
        raise _error(
            "document_number_format",
            "This is not a {document_type} number (expected like {example})",
            document_type=document_type,
            example=example,
        )
    return number


# --- health, free text ----------------------------------------------------------------


def vaccine_product(value: str) -> str:
    code = value.strip()
    if code not in reference.vaccines():
        raise _error("vaccine_unknown", "Unknown vaccine product {value}", value=code)
    return code


def non_blank(value: str, max_length: int = 200, *, by_width: bool = False) -> str:
    """Free text on one line, at most ``max_length`` characters (of that width when
    ``by_width``: see ``limits``). Control characters are refused: they are never typed on
    purpose, they corrupt printed certificates, and PostgreSQL cannot store NUL in JSON."""
    text = _SPACES.sub(" ", value).strip()
    if not text:
        raise _error("text_empty", "This field is required")
    if by_width and limits.width(text) > max_length:
        raise _error(
            "text_too_wide",
            "At most {max} characters (a Chinese character counts as two)",
            max=max_length,
        )
    if len(text) > max_length:
        raise _error("text_too_long", "At most {max} characters", max=max_length)
    return visible_text(text)


#: Characters that change how the text around them is shown without being seen themselves:
#: bidirectional embeddings, overrides, isolates and marks (U+202E makes "gpj.exe" read
#: "exe.jpg"), and zero-width ones that make two names look alike. Nobody types them on purpose.
INVISIBLE_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings and overrides
    "\u2066\u2067\u2068\u2069"  # isolates
    "\u200e\u200f"  # left-to-right and right-to-left marks
    "\u200b\u200c\u200d\u2060\ufeff"  # zero-width space, non-joiner, joiner; word joiner; BOM
)


def visible_text(text: str, *, line_breaks: bool = False) -> str:
    """Refuse control characters (other than line breaks and tabs when ``line_breaks``), lone
    surrogates, and the invisible characters that can make a reviewer misread the text."""
    allowed = "\n\r\t" if line_breaks else ""
    for char in text:
        category = unicodedata.category(char)
        if category == "Cs" or (category == "Cc" and char not in allowed):
            raise _error("text_control", "Remove the control characters from this text")
        if char in INVISIBLE_CONTROLS:
            raise _error(
                "text_invisible",
                "Remove the invisible formatting character ({char}) from this text",
                char=f"U+{ord(char):04X}",
            )
    return text
