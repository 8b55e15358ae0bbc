"""Surface patterns for things the small NER model misses or mislabels.

Agreements, initiatives and events are found from their head words in
title-cased sequences or quotations; acronyms from "Long Name (ACR)". All
patterns are general: head words of document and programme types, never
names from particular articles.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

AGREEMENT_HEADS = (
    "memorandum of understanding", "memoranda of understanding", "memorandum", "memoranda",
    "mou", "mous", "agreement", "agreements", "treaty", "treaties", "declaration",
    "joint statement", "joint communique", "joint communiqué", "communique", "communiqué",
    "protocol", "accord", "accords", "convention", "charter", "roadmap", "road map",
    "action plan", "pact", "deal", "exchange of notes", "letter of intent",
)
# canonical names for generic mentions ("six MoUs" -> Memorandum of Understanding)
GENERIC_NAMES = {
    "memorandum of understanding": "Memorandum of Understanding",
    "memoranda of understanding": "Memorandum of Understanding",
    "memorandum": "Memorandum", "memoranda": "Memorandum",
    "mou": "Memorandum of Understanding", "mous": "Memorandum of Understanding",
    "agreement": "Agreement", "agreements": "Agreement", "treaty": "Treaty",
    "treaties": "Treaty", "declaration": "Declaration", "joint declaration": "Joint Declaration",
    "joint statement": "Joint Statement", "joint communique": "Joint Communique",
    "joint communiqué": "Joint Communique", "communique": "Communique",
    "communiqué": "Communique", "protocol": "Protocol", "accord": "Accord",
    "convention": "Convention", "charter": "Charter", "roadmap": "Roadmap",
    "action plan": "Action Plan", "pact": "Pact", "deal": "Deal",
}
# pre-modifiers of a generic document that say what kind it is ("a defence cooperation
# agreement"), as opposed to ones that only qualify it ("a new", "a landmark")
TOPICAL_MODIFIERS = {"bilateral", "trilateral", "intergovernmental", "cooperation", "framework",
                     "trade", "defence", "defense", "economic", "investment", "security",
                     "peace", "border", "strategic"}
INITIATIVE_HEADS = ("Initiative", "Policy", "Corridor", "Programme", "Program", "Strategy",
                    "Agenda", "Vision", "Route", "Routes", "Project", "Road", "Principle",
                    "Framework", "Doctrine")
EVENT_HEADS = ("Summit", "Forum", "Conference", "Session", "Congress", "Dialogue", "Expo",
               "Games", "Olympics", "Olympiad", "Exhibition", "Fair", "Festival", "Week",
               "Meeting", "Talks", "Consultations", "Cabinet")
CONNECTORS = {"of", "on", "the", "and", "between", "for", "in", "to", "a", "an", "&", "de",
              "with", "against", "at", "by", "its", "their"}

_WORD = r"[A-Z0-9][\w’'\-–.]*"
_CONN = r"(?:of|on|the|and|between|for|in|to|a|an|&|with|against|at|by|its|their)"
# a title-cased run: Capitalised words with lower-case connectors inside
# a title-cased run; a comma may join its words ("Easing Imports, Exports and Movement of
# Goods"): runs with commas are split again unless they name a document
TITLE_RUN = re.compile(rf"{_WORD}(?:(?:[ \t]+|,[ \t]+)(?:{_CONN}[ \t]+)*{_WORD})*")
QUOTED = re.compile(r"[“\"«]([^”\"»\n]{3,400}?)[”\"»]")
ACRONYM_DEF = re.compile(r"\(([A-Z][A-Za-z0-9&.\-]{1,11})\)")
COP = re.compile(r"\bCOP\s?-?\d{1,2}\b")
GENERIC_AGREEMENT = re.compile(
    r"\b(?:(?:a|an|the|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several"
    r"|\d+|these|those|this|that|both|all)\s+)"
    # one more lower-case word right after "the"/"a": "the accession treaty", not "that
    # numerous agreements"
    r"(?:(?:(?<=\bthe\s)|(?<=\ba\s)|(?<=\ban\s))(?!(?:numerous|many|various|previous|"
    r"earlier|existing|future|possible|proposed|draft|same|above)\b)"
    r"(?-i:[a-z][a-z\-]{3,})\s+)?"
    r"(?:(?:new|bilateral|trilateral|joint|intergovernmental|cooperation|framework|"
    r"landmark|historic|relevant|important|strategic|trade|defence|defense|economic|"
    r"investment|security|peace|border|several|other|key|major)\s+){0,3}"
    r"(memorand(?:um|a) of understanding|mous?|agreements?|treat(?:y|ies)|joint statement|"
    r"joint declaration|declaration|joint communiqu[eé]|communiqu[eé]|protocols?|accords?|"
    r"conventions?|roadmap|action plan|pacts?|deals?|memorand(?:um|a))\b",
    re.I,
)


def title_runs(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield (start, end, text) of every title-cased run, connectors trimmed at both ends."""
    for m in TITLE_RUN.finditer(text):
        offset = m.start()
        # a run never crosses a sentence end ("... 2024. The Declaration")
        for piece in re.split(r"(?<=\.)\s+", m.group(0)):
            start = text.index(piece, offset)
            offset = start + len(piece)
            piece = piece.rstrip(".,")
            if piece:
                yield start, start + len(piece), piece


def has_head(text: str, heads: tuple[str, ...], *, case: bool = True) -> str | None:
    """The head word of `text` if it ends (or, for agreements, contains) one of `heads`."""
    words = text.split()
    if not words:
        return None
    last = words[-1].strip(".,;:’'s")
    for head in heads:
        if (last == head) if case else (last.lower() == head.lower()):
            return head
    return None


@cache
def _head_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each agreement head with a case-insensitive whole-word pattern, in AGREEMENT_HEADS order."""
    return tuple((h, re.compile(rf"\b{re.escape(h)}\b", re.I)) for h in AGREEMENT_HEADS)


def agreement_head(text: str) -> str | None:
    """The agreement type named in `text` (lower-cased head phrase), or None."""
    low = text.lower()
    for head, rx in _head_patterns():
        if rx.search(low):
            return head
    return None


def agreement_like(words: list[str]) -> bool:
    """A title run names a document when a head word is capitalised in it."""
    joined = " ".join(words)
    for head, rx in _head_patterns():
        found = rx.search(joined)
        if found:
            return found.group(0)[:1].isupper() and (len(words) >= 2 or head in {"mou"})
    return False


def acronym_matches(acronym: str, name: str) -> bool:
    """True when `acronym` could abbreviate `name` (initials of its capitalised words)."""
    letters = [c for c in acronym if c.isalpha()]
    words = [w for w in re.split(r"[\s\-–]+", name) if w and w[0].isalnum()]
    initials = "".join(w[0] for w in words if w[0].isupper() or w[0].isdigit())
    all_initials = "".join(w[0] for w in words)
    target = "".join(letters).upper()
    return bool(target) and (
        target == initials.upper()
        or target == all_initials.upper()
        or _subsequence(target, initials.upper())
        and len(target) >= 2
        and target[0] == initials[:1].upper()
    )


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)
