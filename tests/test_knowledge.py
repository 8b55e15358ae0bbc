"""Tests of kg.knowledge and of scripts/make_knowledge.py, the script that builds its tables."""
from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg import knowledge as kn
from kg import offices as of

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "kg" / "data"


def _script() -> ModuleType:
    """Import scripts/make_knowledge.py as a module."""
    path = ROOT / "scripts" / "make_knowledge.py"
    spec = importlib.util.spec_from_file_location("make_knowledge", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------- countries

@pytest.mark.parametrize(("text", "name"), [
    ("China", "China"), ("PRC", "China"), ("People's Republic of China", "China"),
    ("Republic of China", "Taiwan"), ("Chinese Taipei", "Taiwan"), ("US", "United States"),
    ("U.S.", "United States"), ("USA", "United States"), ("U.S.A.", "United States"),
    ("the United States", "United States"), ("United States of America", "United States"),
    ("America", "United States"), ("UK", "United Kingdom"), ("U.K.", "United Kingdom"),
    ("Britain", "United Kingdom"), ("UAE", "United Arab Emirates"), ("DPRK", "North Korea"),
    ("Democratic People's Republic of Korea", "North Korea"), ("ROK", "South Korea"),
    ("Republic of Korea", "South Korea"), ("Korea, Republic of", "South Korea"),
    ("Türkiye", "Turkey"), ("Turkiye", "Turkey"), ("TÜRKIYE", "Turkey"), ("turkey", "Turkey"),
    ("Republic of Türkiye", "Turkey"), ("Ivory Coast", "Côte d'Ivoire"),
    ("Cote d'Ivoire", "Côte d'Ivoire"), ("Côte d’Ivoire", "Côte d'Ivoire"), ("Burma", "Myanmar"),
    ("Republic of the Union of Myanmar", "Myanmar"), ("Swaziland", "Eswatini"),
    ("Czechia", "Czech Republic"), ("Macedonia", "North Macedonia"),
    ("Zaire", "Democratic Republic of the Congo"), ("DRC", "Democratic Republic of the Congo"),
    ("DR Congo", "Democratic Republic of the Congo"),
    ("Democratic Republic of Congo", "Democratic Republic of the Congo"),
    ("Congo, The Democratic Republic of the", "Democratic Republic of the Congo"),
    ("Republic of Congo", "Republic of the Congo"), ("Congo-Brazzaville", "Republic of the Congo"),
    ("the Netherlands", "Netherlands"), ("Holland", "Netherlands"), ("Holy See", "Vatican City"),
    ("Vatican", "Vatican City"), ("Palestine, State of", "Palestine"), ("Viet Nam", "Vietnam"),
    ("Lao People's Democratic Republic", "Laos"), ("Syrian Arab Republic", "Syria"),
    ("Russian Federation", "Russia"), ("Islamic Republic of Iran", "Iran"),
    ("Kingdom of Saudi Arabia", "Saudi Arabia"), ("Hashemite Kingdom of Jordan", "Jordan"),
    ("Federal Republic of Germany", "Germany"), ("State of Qatar", "Qatar"),
    ("Sultanate of Oman", "Oman"), ("Kyrgyz Republic", "Kyrgyzstan"),
    ("St. Kitts and Nevis", "Saint Kitts and Nevis"),
    ("St Vincent & the Grenadines", "Saint Vincent and the Grenadines"),
    ("Guinea Bissau", "Guinea-Bissau"), ("Timor Leste", "Timor-Leste"),
    ("East Timor", "Timor-Leste"), ("Cape Verde", "Cabo Verde"),
    ("Sao Tome and Principe", "São Tomé and Príncipe"), ("Bosnia", "Bosnia and Herzegovina"),
    ("BiH", "Bosnia and Herzegovina"), ("China's", "China"), ("Philippines'", "Philippines"),
    ("CHINA", "China"), ("Kosovo", "Kosovo"), ("TRNC", "Northern Cyprus"),
    ("SADR", "Western Sahara"), ("Pridnestrovian Moldavian Republic", "Transnistria"),
])
def test_country_by_name_alias_or_acronym(text: str, name: str) -> None:
    found = kn.country(text)
    assert found is not None and found.name == name


@pytest.mark.parametrize("text", [
    "us", "u.s.", "IN", "IT", "in", "it", "Congo", "Korea", "Greenland", "Europe", "", "  ",
    "Republic of Nowhere", "Bih",
])
def test_country_rejects_words_codes_and_ambiguous_names(text: str) -> None:
    assert kn.country(text) is None


def test_country_fields() -> None:
    china = kn.country("China")
    assert china is not None
    assert (china.alpha2, china.alpha3, china.capital) == ("CN", "CHN", "Beijing")
    assert china.recognised and china.status == "member"
    taiwan = kn.country("Taiwan")
    assert taiwan is not None and not taiwan.recognised and taiwan.status == "limited"
    somaliland = kn.country("Somaliland")
    assert somaliland is not None and somaliland.alpha2 is None and not somaliland.recognised
    assert kn.country("Kosovo").alpha3 == "XKX"  # type: ignore[union-attr]


def test_every_un_member_state_is_present() -> None:
    members = [c for c in kn.countries() if c.status == "member"]
    assert len(members) == 193
    assert all(c.recognised for c in members)
    for c in members:
        iso = pycountry.countries.get(alpha_3=c.alpha3)
        assert iso is not None and iso.alpha_2 == c.alpha2, c.name
    for code in ("AFG", "BRA", "CHN", "COD", "COG", "FSM", "IND", "KIR", "MKD", "NGA", "PRK", "KOR",
                 "SSD", "SWZ", "TLS", "TUV", "USA", "VUT", "ZWE"):
        assert code in {c.alpha3 for c in members}, code
    observers = {c.name for c in kn.countries() if c.status == "observer"}
    assert observers == {"Vatican City", "Palestine"}
    limited = {c.name for c in kn.countries() if c.status == "limited"}
    assert {"Taiwan", "Kosovo", "Western Sahara", "Somaliland", "Northern Cyprus", "Abkhazia",
            "South Ossetia", "Transnistria"} <= limited


def test_no_country_alias_names_two_countries() -> None:
    owners: dict[str, set[str]] = {}
    for c in kn.countries():
        for alias in (c.name, *c.aliases):
            key = kn.acronym_key(alias) if kn.is_acronym(alias) else kn.place_key(alias)
            owners.setdefault(key, set()).add(c.name)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


def test_every_alias_finds_its_own_country() -> None:
    for c in kn.countries():
        for alias in (c.name, *c.aliases):
            assert kn.country(alias) == c, alias


def test_every_country_has_demonyms_and_a_capital() -> None:
    for c in kn.countries():
        assert c.demonyms and c.capital, c.name
        assert kn.capital_of(c.capital) in (c, None), c.name


# ---------------------------------------------------------------------- demonyms

@pytest.mark.parametrize(("word", "name"), [
    ("Chinese", "China"), ("chinese", "China"), ("Azerbaijani", "Azerbaijan"),
    ("Azeri", "Azerbaijan"), ("Azerbaijanis", "Azerbaijan"), ("Russian", "Russia"),
    ("American", "United States"), ("Americans", "United States"), ("British", "United Kingdom"),
    ("Britons", "United Kingdom"), ("Emirati", "United Arab Emirates"), ("Turkish", "Turkey"),
    ("Kyrgyz", "Kyrgyzstan"), ("Uzbek", "Uzbekistan"), ("Vietnamese", "Vietnam"),
    ("Malaysian", "Malaysia"), ("Nepalese", "Nepal"), ("Nepali", "Nepal"),
    ("Filipino", "Philippines"), ("Filipinos", "Philippines"), ("Philippine", "Philippines"),
    ("Dutch", "Netherlands"), ("Swiss", "Switzerland"), ("Ivorian", "Côte d'Ivoire"),
    ("Papua New Guinean", "Papua New Guinea"), ("Solomon Islander", "Solomon Islands"),
    ("South Korean", "South Korea"), ("North Korean", "North Korea"),
    ("Bissau-Guinean", "Guinea-Bissau"), ("Lao", "Laos"), ("Burmese", "Myanmar"),
    ("Sahrawi", "Western Sahara"), ("Kosovar", "Kosovo"), ("Turkish Cypriot", "Northern Cyprus"),
    ("Palestinian", "Palestine"), ("Taiwanese", "Taiwan"), ("Ni-Vanuatu", "Vanuatu"),
    ("I-Kiribati", "Kiribati"), ("Basotho", "Lesotho"), ("Burkinabè", "Burkina Faso"),
    ("Burkinabe", "Burkina Faso"), ("Nigerien", "Niger"), ("Nigerian", "Nigeria"),
    ("Saudi", "Saudi Arabia"),
])
def test_country_by_demonym(word: str, name: str) -> None:
    found = kn.country_by_demonym(word)
    assert found is not None and found.name == name


@pytest.mark.parametrize(
    "word", ["Congolese", "Korean", "Dominican", "Koreans", "European", "Arab", ""])
def test_ambiguous_or_unknown_demonym_gives_none(word: str) -> None:
    assert kn.country_by_demonym(word) is None


def test_ambiguous_demonyms_are_still_demonyms() -> None:
    assert kn.is_demonym("Congolese") and kn.is_demonym("Koreans") and not kn.is_demonym("Wang")


def test_unshared_demonyms_find_their_country() -> None:
    owners: dict[str, set[str]] = {}
    for c in kn.countries():
        for d in c.demonyms:
            owners.setdefault(kn.place_key(d), set()).add(c.name)
    for c in kn.countries():
        for d in c.demonyms:
            assert kn.country_by_demonym(d) == (c if len(owners[kn.place_key(d)]) == 1 else None), d


@pytest.mark.parametrize(("place", "name"), [
    ("Beijing", "China"), ("Kyiv", "Ukraine"), ("Kiev", "Ukraine"),
    ("Washington", "United States"), ("Washington, D.C.", "United States"),
    ("The Hague", "Netherlands"), ("Bogota", "Colombia"), ("Nur-Sultan", "Kazakhstan"),
    ("Astana", "Kazakhstan"), ("Naypyitaw", "Myanmar"), ("Nuku’alofa", "Tonga"),
    ("Ramallah", "Palestine"), ("Taipei", "Taiwan"), ("Hargeisa", "Somaliland"),
])
def test_capital_of(place: str, name: str) -> None:
    found = kn.capital_of(place)
    assert found is not None and found.name == name


def test_capital_of_unknown_place() -> None:
    assert kn.capital_of("Shanghai") is None


# ----------------------------------------------------------------- organisations

@pytest.mark.parametrize(("text", "name"), [
    ("SCO", "Shanghai Cooperation Organisation"),
    ("Shanghai Cooperation Organization", "Shanghai Cooperation Organisation"),
    ("ASEAN", "Association of Southeast Asian Nations"),
    ("Asean", "Association of Southeast Asian Nations"),
    ("Association of South East Asian Nations", "Association of Southeast Asian Nations"),
    ("the European Union", "European Union"), ("EU", "European Union"), ("E.U.", "European Union"),
    ("NATO", "North Atlantic Treaty Organization"), ("Nato", "North Atlantic Treaty Organization"),
    ("North Atlantic Treaty Organisation", "North Atlantic Treaty Organization"),
    ("UN", "United Nations"), ("U.N.", "United Nations"),
    ("U.N. Security Council", "United Nations Security Council"),
    ("UN General Assembly", "United Nations General Assembly"),
    ("UNGA", "United Nations General Assembly"), ("G7", "Group of Seven"),
    ("G-20", "Group of Twenty"), ("OTS", "Organization of Turkic States"),
    ("Organisation of Turkic States", "Organization of Turkic States"),
    ("Turkic Council", "Organization of Turkic States"), ("Arab League", "League of Arab States"),
    ("PIF", "Pacific Islands Forum"), ("MSG", "Melanesian Spearhead Group"),
    ("OECD", "Organisation for Economic Co-operation and Development"),
    ("Organization for Economic Cooperation and Development",
     "Organisation for Economic Co-operation and Development"),
    ("CEN-SAD", "Community of Sahel-Saharan States"), ("OPEC+", "OPEC+"), ("OPEC Plus", "OPEC+"),
    ("OPEC", "Organization of the Petroleum Exporting Countries"),
    ("Opec", "Organization of the Petroleum Exporting Countries"),
    ("AfDB", "African Development Bank"), ("World Bank", "World Bank"),
    ("NDB", "New Development Bank"), ("AIIB", "Asian Infrastructure Investment Bank"),
    ("Quad", "Quadrilateral Security Dialogue"), ("CARICOM", "Caribbean Community"),
    ("Mercosul", "Mercosur"),
    ("CICA", "Conference on Interaction and Confidence-Building Measures in Asia"),
    ("International Labor Organization", "International Labour Organization"),
    ("UN Refugee Agency", "United Nations High Commissioner for Refugees"),
])
def test_organization_lookup(text: str, name: str) -> None:
    found = kn.organization(text)
    assert found is not None and found.name == name


@pytest.mark.parametrize(
    "text", ["eu", "nato", "who", "un", "Guam", "", "Ministry of Foreign Affairs"])
def test_organization_acronyms_are_case_sensitive(text: str) -> None:
    assert kn.organization(text) is None


def test_organizations_table() -> None:
    orgs = kn.organizations()
    assert len(orgs) >= 150
    acronyms = {a for o in orgs for a in o.acronyms}
    required = {
        "SCO", "ASEAN", "EU", "NATO", "UN", "UNGA", "UNSC", "AU", "SADC", "ECOWAS", "GCC", "OIC",
        "CIS", "CSTO", "EAEU", "BRICS", "G7", "G20", "APEC", "OSCE", "WTO", "IMF", "WHO", "IAEA",
        "OPEC", "OTS", "CICA", "NAM", "LAS", "IGAD", "EAC", "COMESA", "CARICOM", "CELAC", "OAS",
        "PIF", "MSG", "SAARC", "BIMSTEC", "ADB", "AIIB", "NDB",
    }
    assert required <= acronyms
    for o in orgs:
        for text in (o.name, *o.aliases, *o.acronyms):
            assert kn.organization(text) == o, text


# ------------------------------------------------------------------------ titles

@pytest.mark.parametrize(("text", "canonical"), [
    ("FM", "Foreign Minister"), ("Minister of Foreign Affairs", "Foreign Minister"),
    ("minister for foreign affairs", "Foreign Minister"),
    ("Foreign Secretary", "Foreign Minister"), ("External Affairs Minister", "Foreign Minister"),
    ("foreign affairs minister", "Foreign Minister"),
    ("minister for foreign affairs and external trade", "Foreign Minister"),
    ("Minister for Europe and Foreign Affairs", "Foreign Minister"),
    ("Minister of Foreign Affairs of Japan", "Foreign Minister"),
    ("Chinese Foreign Minister", "Foreign Minister"), ("Union Home Minister", "Interior Minister"),
    ("Federal Minister", "Minister"),
    ("China's foreign minister", "Foreign Minister"), ("Foreign Ministers", "Foreign Minister"),
    ("Ministers of Foreign Affairs", "Foreign Minister"), ("PM", "Prime Minister"),
    ("P.M.", "Prime Minister"), ("Premier", "Prime Minister"),
    ("prime minister", "Prime Minister"), ("Prime Minister of Japan", "Prime Minister"),
    ("Vice Premier", "Deputy Prime Minister"), ("Deputy PM", "Deputy Prime Minister"),
    ("First Deputy Prime Minister", "First Deputy Prime Minister"),
    ("Secretary of State", "Secretary of State"),
    ("U.S. Secretary of State", "Secretary of State"), ("Minister of Defense", "Defence Minister"),
    ("Defense Minister", "Defence Minister"), ("Minister of National Defence", "Defence Minister"),
    ("Defense Secretary", "Secretary of Defense"),
    ("Deputy Foreign Minister", "Deputy Foreign Minister"),
    ("Vice Foreign Minister", "Deputy Foreign Minister"),
    ("Deputy Minister of Foreign Affairs", "Deputy Foreign Minister"),
    ("Home Minister", "Interior Minister"), ("Minister of Internal Affairs", "Interior Minister"),
    ("Minister of Economy", "Economy Minister"), ("Finance Minister", "Finance Minister"),
    ("Minister for Trade", "Trade Minister"), ("Commerce Minister", "Trade Minister"),
    ("Energy Minister", "Energy Minister"), ("Labor Minister", "Labour Minister"),
    ("Minister of Industry and Trade", "Minister of Industry and Trade"),
    ("industry and trade minister", "Minister of Industry and Trade"),
    ("minister for climate change and energy", "Minister of Climate Change and Energy"),
    ("Minister of Hajj and Umrah", "Minister of Hajj and Umrah"),
    ("Minister of State for Foreign Affairs", "Minister of State for Foreign Affairs"),
    ("Minister of State", "Minister of State"), ("State Secretary", "State Secretary"),
    ("President", "President"), ("Russian President", "President"),
    ("President of the United States", "President"), ("VP", "Vice President"),
    ("Vice-President", "Vice President"), ("Deputy President", "Deputy President"),
    ("Speaker of the Knesset", "Speaker"), ("Chairman of the National Assembly", "Speaker"),
    ("Deputy Chairman of the Cabinet of Ministers", "Vice Chair"),
    ("Chairman", "Chair"), ("Chairwoman", "Chair"), ("Vice Chairman", "Vice Chair"),
    ("Secretary General", "Secretary-General"), ("UN Secretary-General", "Secretary-General"),
    ("Secretary-General of the United Nations", "Secretary-General"),
    ("NATO Secretary General", "Secretary-General"),
    ("Director General of the IAEA", "Director-General"), ("Ambassador to China", "Ambassador"),
    ("Chargé d’Affaires", "Chargé d'Affaires"), ("charge d'affaires", "Chargé d'Affaires"),
    ("Special Envoy for Climate", "Special Envoy"),
    ("High Representative for Foreign Affairs and Security Policy", "High Representative"),
    ("Amir", "Emir"), ("Emir", "Emir"), ("Crown Prince", "Crown Prince"),
    ("Taoiseach", "Taoiseach"), ("Spokesman", "Spokesperson"), ("spokeswoman", "Spokesperson"),
    ("Foreign Ministry spokeswoman", "Foreign Ministry Spokesperson"),
    ("Heads of State", "Head of State"), ("Secretaries of State", "Secretary of State"),
    ("Chief of Staff of the Army", "Chief of Staff"), ("Supreme Leader", "Supreme Leader"),
    ("Chancellor", "Chancellor"), ("Premier.", "Prime Minister"),
])
def test_normalize_title(text: str, canonical: str) -> None:
    assert of.normalize_title(text) == canonical


@pytest.mark.parametrize(
    "text", ["pm", "fm", "Sheikh", "Mr", "Wang Yi", "Beijing", "", "former", "of"])
def test_normalize_title_rejects_non_titles(text: str) -> None:
    assert of.normalize_title(text) is None


def test_every_title_variant_normalises_to_its_title() -> None:
    for t in of.titles():
        for phrase in (t.canonical, *t.variants, *t.abbreviations):
            assert of.normalize_title(phrase) == t.canonical, phrase


def test_head_flags() -> None:
    by_name = {t.canonical: t for t in of.titles()}
    assert by_name["President"].head_of_state and not by_name["President"].head_of_government
    prime_minister = by_name["Prime Minister"]
    assert prime_minister.head_of_government and not prime_minister.head_of_state
    assert by_name["King"].head_of_state and not by_name["Foreign Minister"].head_of_state


def test_title_words_and_lexicon() -> None:
    assert of.is_title_word("Minister") and of.is_title_word("foreign") and of.is_title_word("PM")
    assert not any(of.is_title_word(w) for w in ("pm", "of", "Wang"))
    lexicon = of.title_lexicon()
    assert {"prime minister", "foreign minister", "minister of foreign affairs"} <= lexicon
    assert "secretary-general" in lexicon
    assert all(v == v.lower() for v in lexicon) and "pm" not in lexicon
    assert "former" in of.title_qualifiers() and "acting" in of.title_qualifiers()


# -------------------------------------------------------------------- honorifics

@pytest.mark.parametrize("text", [
    "H.E.", "HE", "His Excellency", "Mr.", "Mr", "Dr", "Sheikh", "sheikh", "Datuk Seri", "Tan Sri",
    "Dato'", "Dato’", "Sir", "Comrade", "Lt. Gen.", "Gen.", "Admiral", "Prof.", "Hon.",
])
def test_is_honorific(text: str) -> None:
    assert of.is_honorific(text)


@pytest.mark.parametrize("text", ["he", "President", "Minister", "Wang", ""])
def test_is_not_honorific(text: str) -> None:
    assert not of.is_honorific(text)


# ------------------------------------------------------------------- robustness

@given(st.text(max_size=80))
def test_lookups_never_crash(text: str) -> None:
    assert isinstance(kn.country(text), kn.Country | None)
    assert isinstance(kn.country_by_demonym(text), kn.Country | None)
    assert isinstance(kn.capital_of(text), kn.Country | None)
    assert isinstance(kn.organization(text), kn.Organization | None)
    assert isinstance(of.normalize_title(text), str | None)
    assert isinstance(of.is_honorific(text), bool) and isinstance(of.is_title_word(text), bool)


def test_import_does_no_work() -> None:
    code = ("import kg.knowledge as k, kg.offices as o; "
            "assert k.countries.cache_info().currsize == 0; "
            "assert o.titles.cache_info().currsize == 0")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


# ------------------------------------------------------------------- the script

def test_generated_files_are_up_to_date_and_deterministic(tmp_path: Path) -> None:
    script = _script()
    for out in (tmp_path / "a", tmp_path / "b"):
        assert script.main(["--out", str(out)]) == 0
    for name in ("countries.json", "organizations.json", "titles.json", "honorifics.json"):
        fresh = (tmp_path / "a" / name).read_bytes()
        assert fresh == (tmp_path / "b" / name).read_bytes(), name
        assert fresh == (DATA / name).read_bytes(), f"stale {name}: run scripts/make_knowledge.py"


def test_script_refuses_an_alias_of_two_countries(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    curated = tmp_path / "curated"
    shutil.copytree(DATA / "curated", curated)
    spec = json.loads((curated / "countries.json").read_text(encoding="utf-8"))
    spec["countries"][0]["aliases"].append("Persia")  # already Iran's
    (curated / "countries.json").write_text(json.dumps(spec), encoding="utf-8")
    assert _script().main(["--curated", str(curated), "--out", str(tmp_path / "out")]) == 1
    assert "Persia" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
