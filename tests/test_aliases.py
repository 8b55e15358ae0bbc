"""Tests of kg.aliases: the alias file's format and its errors."""
from __future__ import annotations

import pytest

from kg.aliases import AliasFileError, AliasGroup, load_aliases, parse_aliases
from kg.errors import KGError

EXAMPLE = """\
# merges the rules cannot make, and merges they must not make
same:
  - [Recep Tayyip Erdoğan, Tayyip Erdogan]
  - names: [Open Balkan, Open Balkan Initiative]
    type: Initiative
    label: Open Balkan Initiative
different:
  - [Heydar Aliyev, Aliyev]
"""


def test_the_documented_format_loads(tmp_path):
    path = tmp_path / "aliases.yaml"
    path.write_text(EXAMPLE, encoding="utf-8")
    rules = load_aliases(path)
    assert rules.same == (
        AliasGroup(("recep tayyip erdogan", "tayyip erdogan")),
        AliasGroup(("open balkan", "open balkan initiative"), "Initiative",
                   "Open Balkan Initiative"))
    assert rules.different == (AliasGroup(("heydar aliyev", "aliyev")),)
    assert rules.same[0].index("RECEP TAYYIP ERDOGAN") == 0
    assert rules.same[0].index("Erdogan") is None


def test_no_file_and_an_empty_file_give_no_aliases(tmp_path):
    assert not load_aliases(None)
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    assert not load_aliases(empty)


@pytest.mark.parametrize(("text", "says"), [
    ("- [a, b]\n", "mapping"),
    ("merge: [[a, b]]\n", "unknown key"),
    ("same: [a, b]\n", "entry 1"),
    ("same:\n  - [only-one]\n", "at least two names"),
    ("same:\n  - names: [a, b]\n    type: Treaty\n", "Treaty"),
    ("different:\n  - names: [a, b]\n    kind: Person\n", "kind"),
    ("same: {\n", "not valid YAML"),
])
def test_a_malformed_file_names_itself_and_the_entry(tmp_path, text, says):
    path = tmp_path / "aliases.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AliasFileError) as info:
        load_aliases(path)
    assert says in str(info.value) and str(path) in str(info.value)
    assert isinstance(info.value, KGError)


def test_a_missing_file_is_an_alias_file_error(tmp_path):
    with pytest.raises(AliasFileError, match="cannot read"):
        load_aliases(tmp_path / "nope.yaml")


def test_parsed_aliases_round_trip_through_the_manifest_form():
    rules = parse_aliases({"same": [{"names": ["A b", "a-B", "C"], "type": "Person"}]})
    assert rules.same[0].names == ("a b", "c")  # folded, duplicates dropped
    again = parse_aliases({"same": [{"names": list(rules.same[0].names), "type": "Person"}]})
    assert again == rules
