"""Mentions -> entities of one article: names clustered, one key per real-world thing.

Persons: a full name absorbs its shorter forms (surname alone, initial and
surname), the nearest preceding full name winning when a surname is shared
(Heydar Aliyev and Ilham Aliyev stay two). Other types cluster by their
normalised name; acronyms were bound to their expansions in `mentions`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from spacy.tokens import Doc

from kg import offices
from kg.extract.mentions import Mention
from kg.extract.text import doc_text
from kg.model import Entity
from kg.names import fold

INITIAL = re.compile(r"^([A-Z])\.\s?([A-Z][\w’'\-]+)$")


@dataclass
class Cluster:
    type: str
    names: list[str] = field(default_factory=list)  # every surface form, in order
    first: int = 10**9  # char offset of the first mention

    @property
    def name(self) -> str:
        if self.type == "Person":
            best = max(enumerate(self.names), key=lambda x: (len(_tokens(x[1])), len(x[1]), -x[0]))
            return best[1]
        return self.names[0]

    def key(self) -> str:
        return f"{self.type}:{fold(self.name)}"


@lru_cache(maxsize=4096)
def _tokens(name: str) -> tuple[str, ...]:
    return tuple(fold(name).split())


def add_surname_mentions(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Add person mentions the NER missed: a known person's name part or
    "A.Surname" found in untagged text (or in a span the NER mistyped)."""
    parts: dict[str, str] = {}
    for m in mentions:
        if m.type == "Person" and len(m.name.split()) >= 2:
            for p in m.name.split():
                if len(p) > 2 and p[0].isupper() and not offices.is_title_word(p):
                    parts[p] = m.name
    if not parts:
        return mentions
    covered = [(m.start, m.end) for m in mentions]
    out = list(mentions)
    rx = re.compile(r"(?<![\w.])(?:[A-Z]\.\s?)?(" + "|".join(
        re.escape(p) for p in sorted(parts, key=len, reverse=True)) + r")(?![\w])")
    for hit in rx.finditer(doc_text(doc)):
        start, end, text = hit.start(), hit.end(), hit.group(0)
        if [c for c in covered if c[0] < end and start < c[1]]:
            # a one-word span the NER gave another type ("Chinh" as PRODUCT) is re-typed
            mistyped = [x for x in out if (x.start, x.end) == (start, end)
                        and x.type != "Person" and x.source == "ner"]
            if not mistyped:
                continue
            out.remove(mistyped[0])
        out.append(Mention(start, end, "Person", text, "surname", text))
    return sorted(out, key=lambda x: x.start)


TYPE_ORDER = ("Person", "Country", "Place", "Organization", "Event", "Initiative", "Agreement")


def unify_types(mentions: list[Mention]) -> list[Mention]:
    """One type per name within an article: the NER may call "Niamey" a place in one
    sentence and an organisation in the next. Gazetteer and pattern evidence outweighs
    the NER; ties go to the more specific type."""
    votes: dict[str, dict[str, int]] = {}
    for m in mentions:
        weight = 1 if m.source == "ner" else 3
        votes.setdefault(fold(m.name), {}).setdefault(m.type, 0)
        votes[fold(m.name)][m.type] += weight
    best = {name: max(v, key=lambda t: (v[t], -TYPE_ORDER.index(t))) for name, v in votes.items()}
    return [m if m.type == best[fold(m.name)] else replace(m, type=best[fold(m.name)])
            for m in mentions]


def cluster(mentions: list[Mention]) -> tuple[list[Entity], list[str]]:
    """Group mentions into entities; return the entities and each mention's entity key."""
    clusters: list[Cluster] = []
    assigned: list[Cluster | None] = [None] * len(mentions)
    by_name: dict[tuple[str, str], Cluster] = {}
    persons = sorted((i for i, m in enumerate(mentions) if m.type == "Person"),
                     key=lambda i: (-len(_tokens(mentions[i].name)), mentions[i].start))
    for i in persons:
        m = mentions[i]
        c = _person_cluster(m, clusters, mentions, assigned)
        if c is None:
            c = Cluster("Person")
            clusters.append(c)
        c.names.append(m.name)
        c.first = min(c.first, m.start)
        assigned[i] = c
    for i, m in enumerate(mentions):
        if m.type == "Person":
            continue
        k = (m.type, fold(m.name))
        c = by_name.get(k)
        if c is None:
            c = by_name[k] = Cluster(m.type)
            clusters.append(c)
        c.names.append(m.name)
        c.first = min(c.first, m.start)
        assigned[i] = c
    aliases: dict[int, set[str]] = {}
    for m, c in zip(mentions, assigned, strict=True):
        assert c is not None
        aliases.setdefault(id(c), set()).update({m.name, m.text} - {""})
    entities = []
    keys = [c.key() for c in assigned if c is not None]
    seen = set()
    for c in sorted(clusters, key=lambda c: c.first):
        if c.key() in seen:
            continue
        seen.add(c.key())
        alts = sorted(a for a in aliases[id(c)] if fold(a) != fold(c.name) or a != c.name)
        entities.append(Entity(c.key(), c.type, c.name, tuple(a for a in alts if a != c.name)))
    return entities, keys


def _person_cluster(m: Mention, clusters: list[Cluster], mentions: list[Mention],
                    assigned: list[Cluster | None]) -> Cluster | None:
    """The existing person cluster a mention belongs to, or None for a new person."""
    toks = _tokens(m.name)
    initial = INITIAL.match(m.name.strip())
    candidates = []
    for c in clusters:
        if c.type != "Person":
            continue
        full = _tokens(c.name)
        if initial:
            first, last = initial.group(1).lower(), fold(initial.group(2))
            if full and full[-1] == last and full[0].startswith(first):
                candidates.append(c)
        elif toks and set(toks) <= set(full) and (len(toks) > 1 or toks[0] in full):
            candidates.append(c)
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0]
    # shared surname: the nearest full name mentioned before this mention
    before = [(mm.start, c) for mm, c in zip(mentions, assigned, strict=True)
              if c in candidates and mm.start < m.start]
    if before:
        return max(before, key=lambda x: x[0])[1]
    return min(candidates, key=lambda c: c.first)
