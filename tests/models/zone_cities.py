"""Build ``itdeclare/models/data/zone_cities_zh.json``: the Chinese name of each time zone's
city (CLDR's exemplar city, through Babel, a development dependency), with its English name.

An airport whose city is its time zone's city (Berlin in Europe/Berlin, London in
Europe/London) can then be found by the Chinese name (柏林, 伦敦) with no table of airports
to keep by hand. Airports in other cities of a zone (Frankfurt in Europe/Berlin) have no
Chinese name in any packaged data. ``test_zone_cities`` checks the stored file against Babel;
rebuild with ``uv run python -m tests.models.zone_cities``.
"""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).parents[2] / "itdeclare" / "models" / "data" / "zone_cities_zh.json"


def build() -> dict[str, list[str]]:
    """``{"Europe/Berlin": ["Berlin", "柏林"], …}`` for every zone CLDR names a city of."""
    from babel import Locale

    english, chinese = Locale("en").time_zones, Locale("zh").time_zones
    cities = {}
    for zone, names in sorted(chinese.items()):
        if "city" not in names or zone.startswith("Etc/"):
            continue
        english_city = english.get(zone, {}).get("city") or zone.rsplit("/", 1)[-1]
        cities[zone] = [english_city.replace("_", " "), names["city"]]
    return cities


def main() -> None:
    DATA.write_text(json.dumps(build(), ensure_ascii=False, indent=0) + "\n", "utf-8")


if __name__ == "__main__":
    main()
