"""A declaration laid out for checking: every field of §4.5, labelled, in the reviewer's language.

Pure functions of the document (no Textual): :func:`sections` gives titled groups of rows, each
row with the dotted location it shows, so a problem found by the rules check can be put beside
the very field it concerns; :func:`loc_label` names any location (the versions' diff uses it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from itdeclare.i18n import has_text
from itdeclare.models import Declaration, FlightLeg, HistoryEntry, LabTest, Problem, Vaccination
from itdeclare.reviewing.text import (
    airport_name,
    country_name,
    port_name,
    vaccine_name,
    value_text,
)
from itdeclare.wording import size_text, tr

if TYPE_CHECKING:
    from itdeclare.client import Attachment

#: Lists of the document and the catalogue entry naming one of their items.
ITEM_KEYS = {
    "itinerary": "review.item.leg",
    "tests": "review.item.test",
    "vaccinations": "review.item.vaccination",
    "history": "review.item.history",
}


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    value: str
    loc: str
    """The dotted location in the §4.5 file this row shows."""

    def concerns(self, problem: Problem) -> bool:
        return problem.loc == self.loc or problem.loc.startswith(f"{self.loc}.")


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    rows: tuple[Row, ...]
    loc: str = ""


def field_label(name: str) -> str:
    key = f"review.field.{name}"
    return tr(key) if has_text(key) else name


def loc_label(loc: str) -> str:
    """``tests.0.sampled_at`` → ``Test 1 › Sampled at``."""
    parts = loc.split(".") if loc else []
    labels: list[str] = []
    for index, part in enumerate(parts):
        container = parts[index - 1] if index else ""
        if part.isdigit() and container in ITEM_KEYS:
            labels[-1] = tr(ITEM_KEYS[container], n=int(part) + 1)
        else:
            labels.append(field_label(part))
    return " › ".join(labels)


def _row(loc: str, value: Any, shown: str | None = None) -> Row:
    name = loc.rsplit(".", 1)[-1]
    return Row(field_label(name), shown if shown is not None else value_text(value), loc)


def _subject(declaration: Declaration) -> Section:
    s = declaration.subject
    rows = (
        _row("relationship", declaration.relationship),
        _row("subject.family_name", s.family_name),
        _row("subject.given_name", s.given_name),
        _row("subject.chinese_name", s.chinese_name),
        _row("subject.sex", s.sex),
        _row("subject.date_of_birth", s.date_of_birth),
        _row("subject.nationality", s.nationality, country_name(s.nationality)),
        _row("subject.id_card_number", s.id_card_number),
    )
    return Section(tr("review.section.subject"), rows, "subject")


def _document(declaration: Declaration) -> Section:
    d = declaration.subject.document
    rows = (
        _row("subject.document.type", d.type),
        _row("subject.document.number", d.number),
        _row("subject.document.expires_on", d.expires_on),
    )
    return Section(tr("review.section.document"), rows, "subject.document")


def _contact(declaration: Declaration) -> Section:
    c, r = declaration.contact, declaration.residence
    rows = (
        _row("contact.phone", c.phone),
        _row("contact.email", c.email),
        _row("residence.country", r.country, country_name(r.country)),
        _row("residence.city", r.city),
        _row("residence.address", r.address),
        _row("status", declaration.status),
        _row("employer", declaration.employer),
    )
    return Section(tr("review.section.contact"), rows, "contact")


def _leg(i: int, leg: FlightLeg, count: int) -> Section:
    loc = f"itinerary.{i}"
    rows = (
        _row(f"{loc}.flight", leg.flight),
        _row(f"{loc}.from", leg.from_, airport_name(leg.from_)),
        _row(f"{loc}.to", leg.to, airport_name(leg.to)),
        _row(f"{loc}.departs_at", leg.departs_at),
        _row(f"{loc}.arrives_at", leg.arrives_at),
    )
    title = tr("review.item.leg", n=i + 1)
    if i == count - 1:
        title = tr("review.section.entry_leg", leg=title)
    return Section(title, rows, loc)


def _test(i: int, test: LabTest) -> Section:
    loc = f"tests.{i}"
    rows = (
        _row(f"{loc}.kind", test.kind),
        _row(f"{loc}.sampled_at", test.sampled_at),
        _row(f"{loc}.result", test.result),
        _row(f"{loc}.institution", test.institution),
        _row(f"{loc}.country", test.country, country_name(test.country)),
    )
    return Section(tr("review.item.test", n=i + 1), rows, loc)


def _vaccination(i: int, vaccination: Vaccination) -> Section:
    loc = f"vaccinations.{i}"
    rows = (
        _row(f"{loc}.product", vaccination.product, vaccine_name(vaccination.product)),
        _row(
            f"{loc}.dose",
            vaccination.dose,
            tr("review.dose_of", dose=vaccination.dose, of=vaccination.of),
        ),
        _row(f"{loc}.date", vaccination.date),
        _row(f"{loc}.country", vaccination.country, country_name(vaccination.country)),
    )
    return Section(tr("review.item.vaccination", n=i + 1), rows, loc)


def _history(i: int, entry: HistoryEntry) -> Section:
    loc = f"history.{i}"
    rows = (
        _row(f"{loc}.kind", entry.kind),
        _row(f"{loc}.date", entry.date),
        _row(f"{loc}.recovered_on", entry.recovered_on),
    )
    return Section(tr("review.item.history", n=i + 1), rows, loc)


def _none_section(title_key: str, loc: str) -> Section:
    return Section(tr(title_key), (Row(tr("review.none_declared"), "", loc),), loc)


def _with_reports(section: Section, i: int, attachments: Sequence[Attachment]) -> Section:
    """The test's section with a row naming the files uploaded as its report (numbered as in
    the files tab), so the reviewer sees them beside the test."""
    shown = [
        tr(
            "review.report_file",
            n=number,
            type=_SHORT_TYPES.get(a.content_type, a.content_type),
            size=size_text(a.size),
        )
        for number, a in enumerate(attachments, start=1)
        if a.test_index == i
    ]
    value = ", ".join(shown) if shown else tr("review.reports_none")
    row = Row(tr("review.field.reports"), value, f"tests.{i}.reports")
    return Section(section.title, (*section.rows, row), section.loc)


_SHORT_TYPES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}


def sections(declaration: Declaration, attachments: Sequence[Attachment] = ()) -> list[Section]:
    """Every field of ``declaration``, grouped as the reviewer checks them; with the
    declaration's ``attachments``, each test names the files uploaded as its report."""
    legs = declaration.itinerary
    found = [_subject(declaration), _document(declaration), _contact(declaration)]
    found += [_leg(i, leg, len(legs)) for i, leg in enumerate(legs)]
    entry = (
        _row("port_of_entry", declaration.port_of_entry, port_name(declaration.port_of_entry)),
    )
    found.append(Section(tr("review.section.port"), entry, "port_of_entry"))
    tests = [_test(i, test) for i, test in enumerate(declaration.tests)]
    if attachments:
        tests = [_with_reports(section, i, attachments) for i, section in enumerate(tests)]
    found += tests or [_none_section("review.section.tests", "tests")]
    found += [_vaccination(i, v) for i, v in enumerate(declaration.vaccinations)] or [
        _none_section("review.section.vaccinations", "vaccinations")
    ]
    found += [_history(i, h) for i, h in enumerate(declaration.history)] or [
        _none_section("review.section.history", "history")
    ]
    attested = (
        _row("attested", declaration.attested, tr(f"review.yes_no.{declaration.attested}")),
    )
    found.append(Section(tr("review.section.attested"), attested, "attested"))
    return found


def problems_for(row: Row, problems: Iterable[Problem]) -> list[Problem]:
    return [problem for problem in problems if row.concerns(problem)]
