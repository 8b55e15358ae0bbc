"""Doc -> typed entity mentions: spaCy NER repaired with gazetteers and patterns.

Candidates come from four sources (gazetteers of countries and organisations,
title patterns for agreements, initiatives and events, acronym definitions,
and spaCy's NER, repaired in `kg.extract.repair`) and are reconciled so that no
two mentions overlap.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from functools import cache
from typing import Any

from spacy.tokens import Doc

from kg import knowledge, offices
from kg.extract import patterns as pat
from kg.extract.mention import Mention
from kg.extract.repair import ner_mentions, post_words
from kg.extract.text import doc_text

__all__ = ["Mention", "find_mentions", "reconcile"]

# higher wins on overlap when lengths tie; a longer span wins otherwise,
# except that a spaCy span may not cut through a gazetteer or pattern match
PRIORITY = {"pattern": 4, "gazetteer": 3, "acronym": 3, "title": 2, "surname": 2, "ner": 1}


def find_mentions(doc: Doc) -> list[Mention]:
    """Every entity mention of `doc`, non-overlapping, in text order."""
    text = doc_text(doc)
    cands: list[Mention] = []
    cands += _gazetteer(text)
    cands += _patterns(text)
    cands += ner_mentions(doc)
    chosen = reconcile(cands)
    chosen = _acronyms(text, chosen)
    return sorted(chosen, key=lambda m: m.start)


# ------------------------------------------------------------------ sources

@cache
def _gazetteer_regex() -> tuple[re.Pattern[str], dict[str, tuple[str, str]], re.Pattern[str]]:
    """One regex over every country and organisation name (case-insensitive) and one
    over acronyms (case-sensitive), with a lookup from the lower-cased form."""
    lookup: dict[str, tuple[str, str]] = {}
    for c in knowledge.countries():
        for n in (c.name, *c.aliases):
            if len(n) > 3 or n.isupper():
                lookup.setdefault(_fold(n), ("Country", c.name))
    for c in knowledge.countries():
        # capitals (and seats of government) are places: "Kyiv", "The Hague", "Vilnius"
        for city in (c.capital, *c.capital_aliases):
            if city and len(city) > 3 and knowledge.country(city) is None:
                lookup.setdefault(_fold(city), ("Place", city))
    acr: dict[str, tuple[str, str]] = {}
    for o in knowledge.organizations():
        for n in (o.name, *o.aliases):
            lookup.setdefault(_fold(n), ("Organization", o.name))
        for a in o.acronyms:
            acr[a] = ("Organization", o.name)
    for c in knowledge.countries():
        for n in (c.name, *c.aliases):
            if n.isupper() and len(n) <= 5:
                acr.setdefault(n.replace(".", ""), ("Country", c.name))
    rx = re.compile(r"(?<![\w-])" + trie_pattern(lookup) + r"(?![\w-])", re.I)
    acr_rx = re.compile(r"(?<![\w-])" + trie_pattern(acr) + r"(?![\w-])")
    lookup.update({"\x00" + k: v for k, v in acr.items()})
    return rx, lookup, acr_rx


def trie_pattern(words: Iterable[str]) -> str:
    """A regex matching any of `words`, the longest first, written as a trie of shared
    prefixes ("niger(?:ia)?"): the same matches as their alternation sorted longest first,
    without trying every word at every position."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(c) + pattern(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body  # a word may end here

    return "(?:" + pattern(trie) + ")"


def _fold(s: str) -> str:
    """Lower-case, straight apostrophes, accents dropped, one character for one."""
    return s.translate(_FOLD_TABLE)


class _FoldTable(dict[int, str]):
    """str.translate's table for `_fold`, filled in as characters are first seen."""

    def __missing__(self, code: int) -> str:
        c = chr(code)
        if c in "’‘`´":
            folded = "'"
        else:
            base = unicodedata.normalize("NFKD", c)[:1].lower()
            folded = base if len(base) == 1 and base.isascii() else c.lower()[:1] or c
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def _gazetteer(text: str) -> list[Mention]:
    rx, lookup, acr_rx = _gazetteer_regex()
    folded = _fold(text)
    out = []
    for m in rx.finditer(folded):
        if not text[m.start()].isupper() and text[m.start():m.start() + 4].lower() != "the ":
            continue  # "male", "turkey", "chad": names are capitalised
        typ, name = lookup[m.group(0)]
        out.append(Mention(m.start(), m.end(), typ, name, "gazetteer", text[m.start():m.end()]))
    for m in acr_rx.finditer(text):
        typ, name = lookup["\x00" + m.group(0)]
        out.append(Mention(m.start(), m.end(), typ, name, "gazetteer", m.group(0)))
    return out


def _patterns(text: str) -> list[Mention]:
    out = []
    for m in pat.QUOTED.finditer(text):
        inner = m.group(1).strip(" ,.;")
        start = m.start(1) + m.group(1).find(inner)
        words = inner.split()
        titled = sum(w[:1].isupper() for w in words) >= 0.5 * len(words)
        early = pat.agreement_head(" ".join(words[:5]))
        # a quoted title, not a quoted sentence that mentions a document
        if pat.agreement_head(inner) and inner[:1].isupper() and len(words) >= 2 and (
                titled or early):
            out.append(Mention(start, start + len(inner), "Agreement", inner, "pattern", inner))
    for start, end, run in pat.title_runs(text):
        out += _typed_run(text, start, end, run)
    for m in ACRONYM_EVENT.finditer(text):
        # "the Group of 20 (G20) Summit": the event is named by the acronym and its head
        name = f"{m.group(1)} {m.group(2)}"
        out.append(Mention(m.start(1), m.end(), "Event", name, "pattern", m.group(0)))
    for m in pat.COP.finditer(text):
        out.append(Mention(m.start(), m.end(), "Event", m.group(0), "pattern", m.group(0)))
    out += _distributed_heads(text)
    for m in LIST_ITEM.finditer(text):
        # a line that is a document's title, as in "the following documents were signed:"
        item = re.split(r",\s+and\s+(?:[a-z]+(?:ed|s)|gave|held|made|met|took|spoke|told|"
                        r"said|went)\b", m.group(1))[0].rstrip(" ,;.")
        out.append(Mention(m.start(1), m.start(1) + len(item), "Agreement", item, "pattern",
                           item))
    for m in re.finditer(r"\b([a-z]+-[A-Z][\w]*)\s+(policy|principle)\b", text):
        # "the one-China principle"
        name = f"{m.group(1)} {m.group(2)}"
        out.append(Mention(m.start(), m.end(), "Initiative", name, "pattern", m.group(0)))
    for m in re.finditer(r"[“\"]([A-Z][\w\- ]{1,40})[”\"]\s+(policy|principle)\b", text):
        name = f"{m.group(1)} {m.group(2)}"
        out.append(Mention(m.start(), m.end(), "Initiative", name, "pattern", m.group(0)))
    return out


DISTRIBUTED = re.compile(r"\b(initiatives|corridors|programmes|programs|strategies)\s+(?:on|of)\s+",
                         re.I)
ITEM = re.compile(r"([A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){0,4})(\s*,\s*(?:and\s+)?|\s+and\s+)?")


ACRONYM_EVENT = re.compile(r"\(([A-Z][A-Za-z0-9&\-]{1,10})\)\s+(" + "|".join(pat.EVENT_HEADS)
                           + r")\b")
_LIST_HEADS = (r"(?:Agreement|Memorandum|Memoranda|Plan|Protocol|Treaty|Programme|Program|"
               r"Roadmap|Declaration|Convention|Contract|Statement|Action Plan)\b")
LIST_ITEM = re.compile(
    r"(?m)^[ \t]*(?:[-•*·]\s*|\d{1,2}[.)]\s*)?((?:(?:Intergovernmental|Bilateral|Joint|Trilateral)"
    rf"\s+(?i:{_LIST_HEADS})|{_LIST_HEADS})[^\n]{{5,300}}?)[ \t]*[,;.]?[ \t]*$")


def _distributed_heads(text: str) -> list[Mention]:
    """"initiatives on Global Security, Global Development and Global Civilization":
    one initiative per item, the plural head word given to each."""
    out = []
    for m in DISTRIBUTED.finditer(text):
        head = m.group(1)[:-1].rstrip("e").capitalize()
        head = {"Initiative": "Initiative", "Corridor": "Corridor", "Programm": "Programme",
                "Program": "Program", "Strategi": "Strategy"}.get(head, "Initiative")
        pos, items = m.end(), []
        while (item := ITEM.match(text, pos)) is not None:
            items.append((item.start(1), item.end(1), item.group(1)))
            pos = item.end()
            if not item.group(2):
                break
        if len(items) >= 2:
            out += [Mention(a, b, "Initiative", f"{name} {head}", "pattern", name)
                    for a, b, name in items]
    return out


# capitalised words that start a sentence before a name, not part of it ("Under the ...")
LEADING_WORDS = {"The", "A", "An", "This", "That", "Under", "In", "At", "During", "After",
                 "Following", "With", "By", "From", "Through", "Within", "Since", "Before",
                 "Amid", "Despite", "As", "And", "But", "Both", "Its", "Their"}


TWO_TITLES = re.compile(r"\s+and\s+(?:the\s+|an?\s+)?(?=(?:Agreement|Memorandum|Treaty|Protocol|"
                        r"Convention|Declaration|Joint\s+(?:Statement|Declaration)|Charter)\b)")


def _typed_run(text: str, start: int, end: int, run: str) -> list[Mention]:
    """Agreement, initiative or event mentions inside one title-cased run."""
    two = TWO_TITLES.search(run)
    if two:
        # "The Agreement on X and the Agreement on Y": two documents; "Laos and Vietnam and
        # the Agreement": the document starts after the "and"
        second = start + two.end()
        return (_typed_run(text, start, start + two.start(), run[:two.start()])
                + _typed_run(text, second, end, run[two.end():]))
    if "," in run and not (pat.agreement_head(run.split(",")[0])
                           and pat.agreement_like(run.split(",")[0].split())
                           and re.search(r"\band\b", run.split(",")[-1])):
        out = []
        offset = start
        for piece in run.split(","):
            at = text.index(piece.strip(), offset) if piece.strip() else offset
            if piece.strip():
                out += _typed_run(text, at, at + len(piece.strip()), piece.strip())
            offset = at + len(piece.strip())
        return out
    words = run.split()
    # drop a leading "The"/"A" and a possessive prefix ("China's Belt and Road Initiative")
    lead = 0
    while lead < len(words) - 1 and (words[lead] in LEADING_WORDS
                                     or words[lead].endswith(("'s", "’s"))):
        lead += 1
    if lead:
        offset = run.index(words[lead])
        start, run, words = start + offset, run[offset:], words[lead:]
    # trailing lower-case "policy"/"initiative"/"summit" right after the run
    tail = re.match(r"\s+(policy|initiative|principle|summit|corridor)\b", text[end:end + 14])
    if tail and not pat.agreement_head(run):
        typ = "Event" if tail.group(1) == "summit" else "Initiative"
        end2 = end + tail.end()
        if len(words) >= 1 and not knowledge.country_by_demonym(run):
            return [Mention(start, end2, typ, text[start:end2], "pattern", text[start:end2])]
    if re.search(r"\b(Treaty|Agreement|Convention|Charter|Pact)\s+(Organi[sz]ation|Secretariat|"
                 r"Alliance|Council|Commission|Authority)\b", run):
        return []  # "North Atlantic Treaty Organization" names a body (the gazetteer's)
    if pat.agreement_head(run) and pat.agreement_like(words):
        run = _cut_place_and_date(run)
        return [Mention(start, start + len(run), "Agreement", run, "pattern", run)]
    if pat.has_head(run, pat.INITIATIVE_HEADS) and len(words) >= 2 and words[0] not in {
            "Privacy", "Cookie", "Cookies", "Editorial", "Refund"}:  # site boilerplate
        return [Mention(start, start + len(run), "Initiative", run, "pattern", run)]
    if pat.has_head(run, pat.EVENT_HEADS) and len(words) >= 2:
        return [Mention(start, start + len(run), "Event", run, "pattern", run)]
    # "G20 Summit in Rio de Janeiro on Monday": the name ends before where and when
    for cut in re.finditer(r"\s+(?:in|at|on)\s+", run):
        head = run[:cut.start()]
        if len(head.split()) >= 2 and (pat.has_head(head, pat.EVENT_HEADS)
                                       or pat.has_head(head, pat.INITIATIVE_HEADS)):
            return _typed_run(text, start, start + len(head), head)
    return []


def _cut_place_and_date(run: str) -> str:
    """"Treaty on Allied Relations in Tashkent on 22 December 2022" -> the title alone: a
    trailing "in/at <country or capital>" or "on <date>" is where and when, not the name."""
    m = re.search(r"\s+(?:on|in)\s+(?:\d|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
                  r"Sunday|January|February|March|April|May|June|July|August|September|"
                  r"October|November|December)\b)", run)
    if m:
        run = run[:m.start()]
    for m in re.finditer(r"\s+(?:in|at)\s+((?:[A-Z][\w'’\-]*\s?){1,3})$", run):
        place = m.group(1).strip()
        if knowledge.country(place) or knowledge.capital_of(place):
            return run[:m.start()]
    return run


# ---------------------------------------------------------------- reconcile

def reconcile(cands: list[Mention]) -> list[Mention]:
    """The candidates that survive overlap: longest first, a spaCy span never cutting
    through a gazetteer or pattern match."""
    cands = [_no_article(c) for c in cands]
    strong = [c for c in cands if c.source != "ner"]
    ner = [c for c in cands if c.source == "ner"]
    # a spaCy span may contain a strong match, or sit inside one, but not cut through one;
    # one that swallowed a name ("Ministry of Foreign Relations Ravinath Aryasinha") is cut
    index = _Spans(strong)
    cut = [_cut_before_person(n, index) for n in ner]
    ner = [n for n in cut if n is not None
           and not any(_crosses(n, s) for s in index.overlapping(n.start, n.end))]
    ordered = sorted(strong + ner, key=lambda m: (-(m.end - m.start), -PRIORITY[m.source],
                                                  m.start))
    # the chosen spans never overlap, so sorted by start they are sorted by end too: a new
    # span overlaps one of them only if it overlaps the last one starting before its end
    starts: list[int] = []
    ends: list[int] = []
    chosen: list[Mention] = []
    for m in ordered:
        i = bisect.bisect_left(starts, m.end)
        if i and ends[i - 1] > m.start:
            continue
        starts.insert(i, m.start)
        ends.insert(i, m.end)
        chosen.append(m)
    return chosen


class _Spans:
    """Mentions sorted by start, for overlap look-ups without a scan of them all."""

    def __init__(self, mentions: list[Mention]) -> None:
        self.sorted = sorted(mentions, key=lambda m: m.start)
        self.starts = [m.start for m in self.sorted]
        self.longest = max((m.end - m.start for m in mentions), default=0)

    def overlapping(self, start: int, end: int) -> list[Mention]:
        """The mentions that share a character with [start, end)."""
        hi = bisect.bisect_left(self.starts, end)
        lo = bisect.bisect_left(self.starts, start - self.longest)
        return [m for m in self.sorted[lo:hi] if m.end > start]


def _cut_before_person(n: Mention, index: _Spans) -> Mention | None:
    if n.type == "Person":
        return n
    inner = [s for s in index.overlapping(n.start, n.end)
             if s.type == "Person" and n.start < s.start and s.end <= n.end]
    if not inner:
        return n
    cut = min(s.start for s in inner)
    text = n.text[:cut - n.start].rstrip(" ,;:-–")
    words = text.split()
    if len(text) < 3 or words and words[-1].lower() in post_words() and all(
            offices.is_title_word(w) or knowledge.country_by_demonym(w) for w in words):
        return None  # "Kazakh President" left of "Kazakh President Kassym-Jomart Tokayev"
    return replace(n, end=n.start + len(text), name=text, text=text)


def _no_article(m: Mention) -> Mention:
    """"The Joint Declaration ..." -> "Joint Declaration ..." (the scorer and users ignore it)."""
    if m.type != "Person" and m.name[:4] in {"The ", "the "} and m.text[:4] == m.name[:4]:
        return replace(m, start=m.start + 4, name=m.name[4:], text=m.text[4:])
    return m


def _crosses(a: Mention, b: Mention) -> bool:
    overlap = a.start < b.end and b.start < a.end
    nested = (a.start <= b.start and b.end <= a.end) or (b.start <= a.start and a.end <= b.end)
    return overlap and not nested


def _acronyms(text: str, mentions: list[Mention]) -> list[Mention]:
    """Bind "Long Name (ACR)" and re-type every later bare ACR as the long name's entity."""
    bound: dict[str, Mention] = {}
    by_end = {m.end: m for m in mentions}
    for m in pat.ACRONYM_DEF.finditer(text):
        acr = m.group(1)
        prev = by_end.get(m.start() - 1) or by_end.get(m.start())
        if prev and prev.type in {"Organization", "Agreement", "Initiative", "Event", "Place"} \
                and (pat.acronym_matches(acr, prev.text) or prev.type == "Agreement"):
            bound[acr] = prev
    if not bound:
        return mentions
    out = [m for m in mentions if m.text not in bound]
    taken = [(m.start, m.end) for m in out]
    for acr, long in bound.items():
        for m in re.finditer(rf"(?<![\w-]){re.escape(acr)}s?(?![\w-])", text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            out.append(replace(long, start=m.start(), end=m.end(), source="acronym",
                               text=m.group(0)))
    return out
