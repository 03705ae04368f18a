"""How long the lists and texts of a declaration may be, and why.

Two reasons set them. The signed health code holds the whole record and must fit one QR code
that scans from a phone screen or a printed page: DESIGN.md §4.3 promises version 25 at error
correction Q for every declaration that validates, and the tests build the largest one from
these very limits to prove it. And no real traveller comes near them: each says below what it
leaves room for. A limit is a field error where the value is typed (wizard, ``validate``, API),
never a failure when the code is signed.

Free text that the code carries (a testing institution) is measured in *width*: a character
outside ASCII counts as two, since it takes two to four bytes in the code (and a Chinese,
Japanese or Korean one two columns on screen), so the limit bounds the bytes whatever the
script. Texts the code does not carry (city, address, employer, email) are counted in plain
characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, get_args

if TYPE_CHECKING:
    from pydantic import BaseModel

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
#: A testing institution, in width (see above): 28 Latin letters ("Seoul Clinical
#: Laboratories" is 27) or 14 Chinese characters ("首尔临床检验中心" is 8); longer names have a
#: usual short form, the one printed on the test report's header. Up to four different ones
#: travel in the code, which makes this the limit the QR size depends on most.
INSTITUTION = 28
#: A city or town abroad: the longest in everyday use are under 40 characters.
CITY = 60
#: A street address with building, flat and district: two lines of a form.
ADDRESS = 120
#: An employer or school, as on a work or student card.
EMPLOYER = 100
#: An email address: 64 before the @ is the standard's own limit, domains rarely add 30.
EMAIL = 100


@dataclass(frozen=True, slots=True)
class TextLimit:
    """Field metadata: at most ``max_length`` characters, or of width ``max_length`` when
    ``by_width`` (see the module's docstring). The validators enforce it; tools read it."""

    max_length: int
    by_width: bool = False

    def fits(self, text: str) -> bool:
        return (width(text) if self.by_width else len(text)) <= self.max_length


def width(text: str) -> int:
    """Columns ``text`` takes, as limits count them: ASCII characters one, all others two."""
    return sum(1 if ord(char) < 0x80 else 2 for char in text)


def field_limit(model: type[BaseModel], name: str) -> TextLimit | None:
    """The text limit of the field ``name`` of ``model`` (an optional one's included)."""
    info = model.model_fields[name]
    found = [item for item in info.metadata if isinstance(item, TextLimit)]
    for arg in get_args(info.annotation):  # ``X | None``: the limit is inside X
        found += [item for item in getattr(arg, "__metadata__", ()) if isinstance(item, TextLimit)]
    return found[0] if found else None


def _model_inside(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds: itself, or the items of a list, or the X of ``X | None``."""
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        inside = _model_inside(arg)
        if inside is not None:
            return inside
    return None


def limit_at(loc: str) -> TextLimit | None:
    """The text limit at a location of the declaration file (``tests.0.institution``), so a
    form can tell, as the user types, that a text has become too long."""
    from itdeclare.models.declaration import Declaration

    model: type[BaseModel] | None = Declaration
    names = [part for part in loc.split(".") if not part.isdigit()]
    for index, part in enumerate(names):
        if model is None:
            return None
        name = next(
            (key for key, info in model.model_fields.items() if part in (key, info.alias)), None
        )
        if name is None:
            return None
        if index == len(names) - 1:
            return field_limit(model, name)
        model = _model_inside(model.model_fields[name].annotation)
    return None
