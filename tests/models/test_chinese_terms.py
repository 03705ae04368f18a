"""The Chinese words are the notice's own (the consulate's step is 复核, a revoked code is
取消, the outbound certificate is 国际旅行健康证明, …), countries carry the names China's
forms use, messages name countries rather than show bare codes, and the Chinese country list
follows pinyin."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from importlib import resources

import pytest

from itdeclare import i18n
from itdeclare.models import Problem, reference
from tests.models import country_names, zone_cities

#: Words the catalogue must no longer use, with the term that replaced each.
RETIRED = {
    r"待审核": "待复核",
    r"审核通过": "复核通过",
    r"审核不通过": "复核未通过",
    r"作废": "已取消",
    r"健康码已被撤销": "健康码已取消",
    r"出境健康证明|出境证明|出国人员健康证明": "国际旅行健康证明",
    r"国际旅行健康码": "健康码 / 绿色健康码",
    r"(?<!中国)(?:内地|大陆)居民身份证": "中国大陆居民身份证",
    r"(?<!使)领馆": "使领馆",
    r"务工人员": "工作人员",
    r"身份与证件": "个人信息与证件",
    r"（拼音）": "（拉丁字母）",
    r"我为之申报的人": "我代为申报的人员",
    r"申报人关系": "与填报人关系",
    r"直飞中国": "入境中国航班（最后一程）",
}


def chinese_texts() -> Iterator[tuple[str, str]]:
    catalog = resources.files("itdeclare.i18n").joinpath("catalog")
    for entry in catalog.iterdir():
        if entry.name.endswith(".toml"):
            yield from _leaves(entry.name, tomllib.loads(entry.read_text("utf-8")))
    rules = json.loads(resources.files("itdeclare.models").joinpath("data/rules.json").read_text())
    for rule in rules["rules"]:
        yield f"rules.json {rule['id']}", rule["description"]["zh"]


def _leaves(where: str, node: object) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        if isinstance(node.get("zh"), str):
            yield where, node["zh"]
        for key, value in node.items():
            yield from _leaves(f"{where}.{key}", value)


@pytest.mark.parametrize("retired", sorted(RETIRED))
def test_the_catalogue_uses_the_notices_terms(retired: str) -> None:
    found = [f"{where}: {text}" for where, text in chinese_texts() if re.search(retired, text)]
    assert not found, f"use {RETIRED[retired]}:\n" + "\n".join(found)


def test_the_key_terms_read_as_the_notice_writes_them() -> None:
    assert i18n.t("enum.DeclarationStatus.pending_review", "zh") == "待复核"
    assert i18n.t("enum.DeclarationStatus.approved", "zh") == "复核通过"
    assert i18n.t("enum.DeclarationStatus.revoked", "zh") == "已取消"
    assert i18n.t("enum.DeclarationStatus.cancelled", "zh") == "已撤销"  # a pending review
    assert i18n.t("enum.TravellerStatus.employee", "zh") == "工作人员"


@pytest.mark.parametrize(
    ("code", "zh", "en"),
    [
        ("HKG", "中国香港", "Hong Kong, China"),
        ("MAC", "中国澳门", "Macao, China"),
        ("TWN", "中国台湾", "Taiwan, China"),
        ("KOR", "韩国", "South Korea"),
        ("PRK", "朝鲜", "North Korea"),
        ("KHM", "柬埔寨", "Cambodia"),
    ],
)
def test_countries_carry_the_names_chinas_forms_use(code: str, zh: str, en: str) -> None:
    country = reference.country(code)
    assert country is not None
    assert (country.zh, country.en) == (zh, en)


def test_a_message_names_the_country_not_only_its_code() -> None:
    problem = Problem(
        "tests.0.country",
        "test_wrong_country",
        {"kind": "nucleic_acid", "flight": "LH720", "expected": "DEU"},
    )
    assert "德国（DEU）" in i18n.problem_message(problem, "zh")
    assert "Germany (DEU)" in i18n.problem_message(problem, "en")
    assert i18n.country_label("XXX", "zh") == "XXX"


def test_the_chinese_country_list_follows_pinyin() -> None:
    from itdeclare.widgets.form.choices import _country_options

    names = [choice.label.split()[0] for choice in _country_options("zh")]
    assert names[:2] == ["阿尔巴尼亚", "阿尔及利亚"]
    assert names.index("德国") < names.index("法国") < names.index("韩国") < names.index("中国")
    english = [choice.value for choice in _country_options("en")]
    assert english.index("AFG") == 0


def test_the_stored_pinyin_is_pypinyins() -> None:
    stored = json.loads(country_names.DATA.read_text("utf-8"))
    assert stored == country_names.build(), "rebuild: python -m tests.models.country_names"


def test_the_too_early_message_names_the_departure_day_not_a_moment_to_wrap() -> None:
    """The window is in calendar days, so the message gives the day; a date and time there
    made a long line that wrapped between them."""
    problem = Problem(
        "tests.0.sampled_at",
        "test_too_early",
        {
            "kind": "nucleic_acid",
            "flight": "LH720",
            "departure": "2026-12-05T11:00:00+01:00",
            "sampled": "2026-12-01",
            "earliest": "2026-12-03",
        },
    )
    assert "起飞日期为2026年12月5日，" in i18n.problem_message(problem, "zh")
    assert "departing on 5 Dec 2026:" in i18n.problem_message(problem, "en")


def test_foreign_airports_are_found_by_their_citys_chinese_name() -> None:
    from itdeclare.journey.airports import describe_airport, search_airports

    assert search_airports("柏林")[0].code == "BER"
    assert "LHR" in [choice.code for choice in search_airports("伦敦", limit=10)]
    assert search_airports("东京")[0].label("zh").endswith("东京, 日本")
    assert describe_airport("JFK", "zh") == (
        "John F Kennedy International Airport · 纽约, 美国 · America/New_York"
    )


def test_a_city_is_its_zones_whatever_its_accents_or_district() -> None:
    """airportsdata writes Cancun and Arnavutköy, Istanbul; CLDR Cancún and Istanbul."""
    from itdeclare.journey.airports import search_airports
    from itdeclare.models import reference

    assert "IST" in [choice.code for choice in search_airports("伊斯坦布尔")]
    assert reference.airport("CUN").city_zh == "坎昆"  # type: ignore[union-attr]
    assert reference.airport("BER").city_zh == "柏林"  # type: ignore[union-attr]
    assert reference.airport("FRA").city_zh != "柏林"  # type: ignore[union-attr]  # its zone's


@pytest.mark.parametrize(
    ("typed", "code"),
    [("法兰克福", "FRA"), ("旧金山", "SFO"), ("大阪", "KIX"), ("多伦多", "YYZ"), ("普吉", "HKT")],
)
def test_a_gateway_city_that_is_not_its_zones_is_found_in_chinese(typed: str, code: str) -> None:
    from itdeclare.journey.airports import search_airports

    assert code in [choice.code for choice in search_airports(typed)][:3]


def test_the_gateway_city_names_fill_only_what_cldr_leaves_out() -> None:
    """Each listed airport exists, and CLDR gives its city no name of its own (or the list
    would be stale, or would contradict CLDR)."""
    from itdeclare.models import reference

    listed = json.loads((zone_cities.DATA.parent / "airport_cities_zh.json").read_text("utf-8"))
    assert len(listed) >= 40
    for code in listed:
        airport = reference.airport(code)
        assert airport is not None, code
        assert not reference._zone_city_zh(airport.city, airport.tz), code


def test_the_stored_city_names_are_cldrs() -> None:
    stored = json.loads(zone_cities.DATA.read_text("utf-8"))
    assert stored == zone_cities.build(), "rebuild: python -m tests.models.zone_cities"
