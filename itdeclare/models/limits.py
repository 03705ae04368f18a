"""How long the lists and texts of a declaration may be, and why.

Two reasons set them. The signed health code holds the whole record and must fit one QR code
that scans from a phone screen or a printed page: DESIGN.md §4.3 promises version 25 at error
correction Q for every declaration that validates, and the tests build the largest one from
these very limits to prove it. And no real traveller comes near them: each says below what it
leaves room for. A limit is a field error where the value is typed (wizard, ``validate``, API),
never a failure when the code is signed.

Free text that the code carries (a testing institution) is measured in *width*: a character
outside ASCII counts as two, since it takes two or three bytes in the code (and a Chinese,
Japanese or Korean one two columns on screen), one beyond the basic plane four, so the limit
bounds the bytes whatever the script. Texts the code does not carry (city, address, employer,
email) are counted in plain characters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple, get_args

if TYPE_CHECKING:
    from pydantic import BaseModel, GetJsonSchemaHandler
    from pydantic_core import CoreSchema

# --- lists -------------------------------------------------------------------------------------

#: Flight legs into China. Entry rules asked for as few connections as possible; a long way
#: round (Lima - Atlanta - Seoul - Shanghai) is three legs, four leaves one to spare.
ITINERARY_LEGS = 4
#: Tests for the trip. The strictest rules asked for two nucleic-acid tests at two
#: laboratories, or a nucleic-acid and an IgM test; with an IgG test and one retest, four.
TESTS = 4
#: Doses of a vaccination record: a primary series of up to three doses and two boosters.
VACCINATIONS = 5
#: Earlier positive tests or diagnoses: more than three infections declared is not a real case.
HISTORY = 3

# --- texts -------------------------------------------------------------------------------------

#: Each name as printed in the document. A passport's machine-readable zone has 39 characters
#: for surname and given names together; either part alone over 30 is a rarity. The EU DCC
#: part of a code holds each name twice (as printed and in its standard form), so this limit
#: is what makes room for it.
LATIN_NAME = 30
#: Chinese names are two to four characters; names of minorities written in characters, with
#: their middle dots, reach about a dozen; fifteen leaves room.
CHINESE_NAME = 15
#: A document number: passports print nine characters; twenty holds any national form.
DOCUMENT_NUMBER = 20
#: A testing institution, in width (see above): 36 Latin letters ("Testzentrum Frankfurt
#: Flughafen" is 31) or 18 Chinese characters ("首尔临床检验中心" is 8); longer names have a
#: usual short form, the one printed on the test report's header. Up to four different ones
#: travel in the code, which makes this the limit the QR size depends on most.
INSTITUTION = 36
#: A city or town abroad: the longest in everyday use are under 40 characters.
CITY = 60
#: A street address with building, flat and district: two lines of a form.
ADDRESS = 120
#: An employer or school, as on a work or student card.
EMPLOYER = 100
#: An email address: 64 before the @ is the standard's own limit, domains rarely add 30.
EMAIL = 100


class TextLimit(NamedTuple):
    """Field metadata: at most ``max_length`` characters, or of width ``max_length`` when
    ``by_width`` (see the module's docstring). The validators enforce it; tools read it."""

    max_length: int
    by_width: bool = False

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        """The limit in the JSON Schema (the API's document). A limit of width allows no more
        characters than its number either, and fewer when some are outside ASCII: a rule
        JSON Schema cannot state, so the description says it."""
        schema = handler(core_schema)
        schema.update(minLength=1, maxLength=self.max_length)
        if self.by_width:
            schema["description"] = (
                f"At most {self.max_length} in width: a character outside ASCII counts as two."
            )
        return schema

    def fits(self, text: str) -> bool:
        return (width(text) if self.by_width else len(text)) <= self.max_length


def width(text: str) -> int:
    """How limits measure ``text``: an ASCII character one, any other character two, and one
    beyond the basic plane (an emoji, a rare historic character) four, as it is four bytes."""
    return sum(1 if ord(char) < 0x80 else 2 if ord(char) < 0x10000 else 4 for char in text)


def field_limit(model: type[BaseModel], name: str) -> TextLimit | None:
    """The text limit of the field ``name`` of ``model`` (an optional one's included)."""
    info = model.model_fields[name]
    found = [item for item in info.metadata if isinstance(item, TextLimit)]
    for arg in get_args(info.annotation):  # ``X | None``: the limit is inside X
        found += [item for item in getattr(arg, "__metadata__", ()) if isinstance(item, TextLimit)]
    return found[0] if found else None
