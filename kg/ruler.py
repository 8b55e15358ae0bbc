"""The model's attribute ruler, applied by table lookup instead of a token Matcher.

`en_core_web_sm`'s attribute_ruler sets POS, MORPH and some LEMMAs from about
180 patterns over TAG, LOWER, DEP and IS_SPACE; spaCy runs them through a
general Matcher, a tenth of the pipeline's time. Almost all patterns are one
token long, so what they set depends only on the token's (TAG, LOWER, DEP,
IS_SPACE): this component works that out once per distinct combination and
then looks it up; the few longer patterns ("gon na", without operators) are
tried only where their first token matches. Later patterns win, as in spaCy's
ruler. `from_ruler` returns None
when a pattern uses anything else, and the model's own ruler is kept.
tests/test_nlp.py checks that every token gets the same attributes as with
the model's ruler.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

# the token attributes single-token patterns may test, in the order of a lookup key
_KEYS = ("TAG", "LOWER", "DEP", "IS_SPACE")
# distinct keys remembered (a key is about 300 bytes); the table starts over past this
TABLE_LIMIT = 200_000
Test = Callable[[tuple[Any, ...]], bool]
Rule = tuple[int, dict[Any, Any]]  # a pattern's id (its rank) and the attributes it sets
Single = tuple[int, Test, dict[Any, Any]]  # a one-token pattern: id, its test, attributes
Multi = tuple[int, list[Test], int, dict[Any, Any]]  # id, a test per token, index, attributes
# what a token's key decides: merged attributes, their rules, longer patterns it may start,
# and the key's values as strings
Entry = tuple[dict[Any, Any], list[Rule], list[Multi], tuple[Any, ...]]


class TableRuler:
    """A spaCy component equal to an AttributeRuler whose patterns `from_ruler` accepted."""

    def __init__(self, vocab: Any, single: list[Single], multi: list[Multi],
                 tags: dict[int, str]) -> None:
        self.vocab = vocab
        self.multi = multi
        # the single-token patterns by the one TAG they require (None: any tag), in order
        self.by_tag: dict[str | None, list[Single]] = {}
        for rule in single:
            self.by_tag.setdefault(tags.get(rule[0]), []).append(rule)
        # (TAG, LOWER, DEP, IS_SPACE) -> the attributes single-token patterns set, the
        # rules they come from, and the longer patterns whose first token it matches
        self.table: dict[tuple[int, ...], Entry] = {}

    def __call__(self, doc: Doc) -> Doc:
        """Set the ruler's attributes on every token of `doc` (mutates it)."""
        rows = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()
        table = self.table
        entries = []
        for row in rows:
            key = tuple(row)
            entry = table.get(key)
            if entry is None:
                if len(table) >= TABLE_LIMIT:  # keep memory flat over any corpus
                    table.clear()
                entry = table[key] = self._entry(key)
            entries.append(entry)
        extra: dict[int, list[Rule]] = {}
        for i, (_, _, starts, _) in enumerate(entries):
            for pid, tests, index, attrs in starts:  # a longer pattern may start here
                end = i + len(tests)
                if end <= len(entries) and all(
                        test(entries[j][3]) for test, j in zip(tests[1:], range(i + 1, end),
                                                               strict=True)):
                    extra.setdefault(i + index % len(tests), []).append((pid, attrs))
        for i, (merged, rules, _, _) in enumerate(entries):
            if i in extra:  # every rule in pattern order, as spaCy's ruler applies them
                for _, attrs in sorted(rules + extra[i], key=lambda rule: rule[0]):
                    set_token_attrs(doc[i], attrs)
            elif merged:
                set_token_attrs(doc[i], merged)
        return doc

    def _entry(self, key: tuple[int, ...]) -> Entry:
        strings = self.vocab.strings
        values = tuple(strings[v] if name != "IS_SPACE" else bool(v)
                       for name, v in zip(_KEYS, key, strict=True))
        candidates = sorted(self.by_tag.get(str(values[0]), []) + self.by_tag.get(None, []),
                            key=lambda rule: rule[0])
        rules = [(pid, attrs) for pid, test, attrs in candidates if test(values)]
        merged: dict[Any, Any] = {}
        for _, attrs in rules:
            merged.update(attrs)  # a later pattern overrides an attribute
        starts = [m for m in self.multi if m[1][0](values)]
        return merged, rules, starts, values


def from_ruler(ruler: Any) -> TableRuler | None:
    """A TableRuler doing what spaCy's AttributeRuler `ruler` does, or None when one of
    its patterns tests something other than TAG, LOWER, DEP and IS_SPACE as supported."""
    single: list[Single] = []
    multi: list[Multi] = []
    tags: dict[int, str] = {}  # the TAG a one-token pattern requires, when it is one string
    for pid, (entry, attrs, index) in enumerate(zip(ruler.patterns, ruler.attrs, ruler.indices,
                                                    strict=True)):
        for pattern in entry["patterns"]:  # alternatives setting the same attributes
            if len(pattern) == 1:
                test = _test(pattern[0])
                if test is None or index not in (0, -1):
                    return None
                single.append((pid, test, attrs))
                if isinstance(pattern[0].get("TAG"), str) and len(entry["patterns"]) == 1:
                    tags[pid] = pattern[0]["TAG"]
            else:
                tests = [_test(token) for token in pattern]
                if any(t is None for t in tests) or not -len(tests) <= index < len(tests):
                    return None
                multi.append((pid, [t for t in tests if t is not None], index, attrs))
    return TableRuler(ruler.vocab, single, multi, tags)


def _test(token_pattern: dict[str, Any]) -> Test | None:
    """A function of (tag, lower, dep, is_space) true when a token matches `token_pattern`;
    None for a predicate this module does not handle."""
    checks: list[Callable[[Any], bool]] = []
    slots: list[int] = []
    for name, wanted in token_pattern.items():
        if name not in _KEYS:
            return None
        check = _predicate(wanted)
        if check is None:
            return None
        checks.append(check)
        slots.append(_KEYS.index(name))
    pairs = list(zip(slots, checks, strict=True))
    return lambda values: all(check(values[slot]) for slot, check in pairs)


def _predicate(wanted: Any) -> Callable[[Any], bool] | None:
    if isinstance(wanted, str | bool):
        return lambda value: value == wanted
    if isinstance(wanted, dict) and len(wanted) == 1:
        (op, arg), = wanted.items()
        if op == "IN" and isinstance(arg, list):
            allowed = frozenset(arg)
            return lambda value: value in allowed
        if op == "NOT_IN" and isinstance(arg, list):
            banned = frozenset(arg)
            return lambda value: value not in banned
        if op == "REGEX" and isinstance(arg, str):
            rx = re.compile(arg)
            return lambda value: isinstance(value, str) and rx.search(value) is not None
    return None
