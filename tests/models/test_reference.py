"""Reference data: one airport looked up alone is the airport of the full table."""

from __future__ import annotations

from itdeclare.models import reference


def test_an_airport_looked_up_alone_is_the_one_of_the_full_table() -> None:
    reference.airports.cache_clear()  # alone means: before the full table is built
    reference.airport_alone.cache_clear()
    codes = [*reference._airport_lines()[1], "", "ZZZ", "fra", "XK"]
    alone = {code: reference.airport_alone(code) for code in codes}
    assert not reference.airports.cache_info().currsize
    table = reference.airports()
    assert alone == {code: table.get(code) for code in codes}
    assert alone["FRA"] is not None and alone["FRA"].tz == "Europe/Berlin"
    assert reference.airport_alone("PEK") == table["PEK"]  # and after it, from the table


def test_the_iso_codes_read_without_pycountry_are_pycountrys() -> None:
    import pycountry

    reference._alpha3_by_alpha2.cache_clear()
    expected = {country.alpha_2: country.alpha_3 for country in pycountry.countries}
    assert reference._alpha3_by_alpha2() == expected
    assert reference.alpha2_codes() == frozenset(expected)
    assert {"CN", "DE", "US"} <= reference.alpha2_codes()


def test_a_row_found_by_searching_the_file_is_the_row_of_the_index() -> None:
    reference.airport_alone.cache_clear()  # fewer than AIRPORTS_SEARCHED: every one searched
    columns, rows = reference._airport_lines()
    assert reference._airport_columns() == columns
    codes = [*list(rows)[::25], "PEK", "PVG", "FRA", "", "ZZZ", "fra", "iata", 'A"B', "北京"]
    assert {code: reference._airport_line(code) for code in codes} == {
        code: rows.get(code) for code in codes
    }


def test_past_a_handful_of_airports_the_rows_are_indexed() -> None:
    codes = list(reference._airport_lines()[1])[: reference.AIRPORTS_SEARCHED]
    reference.airports.cache_clear()
    reference.airport_alone.cache_clear()
    reference._airport_lines.cache_clear()
    for code in codes:
        reference.airport_alone(code)
    assert not reference._airport_lines.cache_info().currsize  # each one searched for
    found = reference.airport_alone("CAN")
    assert reference._airport_lines.cache_info().currsize  # the next one from the index
    assert found == reference.airports()["CAN"]
