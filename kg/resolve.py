"""Entities of many articles -> one canonical node per real-world entity.

Layers, cheapest first, each merge explainable:
1. same type and same normalised name (countries and known organisations are
   already canonical from the gazetteers);
2. an organisation's acronym or alias equal to another's name;
3. a partial person name ("Xi", "Aliyev") that is a subset of exactly one full
   name in the corpus; never merged when the surname is shared by two people;
4. generic agreements ("Joint Statement") are told apart by parties and date.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.extract.patterns import GENERIC_NAMES
from kg.model import Extraction
from kg.names import fold


@dataclass
class Node:
    """One canonical entity: its slug (for the IRI), type, preferred name and merges."""

    slug: str
    type: str
    name: str
    names: set[str] = field(default_factory=set)
    rules: set[str] = field(default_factory=set)


@dataclass
class Resolution:
    """(article id, entity key) -> canonical node."""

    nodes: dict[str, Node]
    of: dict[tuple[str, str], str]

    def node(self, article_id: str, key: str) -> Node:
        return self.nodes[self.of[(article_id, key)]]


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(text) > 80:
        text = text[:60].rstrip("-") + "-" + hashlib.sha1(text.encode()).hexdigest()[:8]
    return text or hashlib.sha1(text.encode()).hexdigest()[:8]


def resolve(extractions: Iterable[Extraction]) -> Resolution:
    """Map every (article, entity) to one canonical node across the corpus."""
    exs = list(extractions)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    local: dict[tuple[str, str], str] = {}
    names: dict[str, set[str]] = defaultdict(set)
    types: dict[str, str] = {}
    preferred: dict[str, list[str]] = defaultdict(list)
    for ex in exs:
        generic_keys = _generic_keys(ex)
        for e in ex.entities:
            base = f"{e.type}|{fold(e.name)}"
            if e.key in generic_keys:
                base = f"{base}|{generic_keys[e.key]}"
            local[(ex.article.id, e.key)] = base
            types[base] = e.type
            preferred[base].append(e.name)
            names[base].update({e.name, *e.aliases})
            find(base)
    # layer 2: organisation aliases and acronyms
    by_alias: dict[tuple[str, str], list[str]] = defaultdict(list)
    for base, typ in types.items():
        if typ in {"Organization", "Initiative", "Event"}:
            for n in names[base]:
                by_alias[(typ, fold(n))].append(base)
    for (typ, n), bases in list(by_alias.items()):
        # "Belt and Road" is the "Belt and Road Initiative"
        if typ == "Initiative" and not n.endswith((" initiative", " policy")):
            by_alias[(typ, n + " initiative")] += bases
    for (typ, n), bases in by_alias.items():
        exact = f"{typ}|{n}"
        if exact in types:
            for b in bases:
                union(exact, b)
    # layer 3: partial person names that fit exactly one full name
    persons = [b for b, t in types.items() if t == "Person"]
    full = {b: set(b.split("|", 1)[1].split()) for b in persons}
    for b in persons:
        toks = full[b]
        supersets = [o for o in persons if o != b and toks < full[o]]
        if len(supersets) == 1 or (supersets and len({find(o) for o in supersets}) == 1):
            union(b, supersets[0])
    # canonical nodes
    nodes: dict[str, Node] = {}
    groups: dict[str, list[str]] = defaultdict(list)
    for base in types:
        groups[find(base)].append(base)
    used: set[str] = set()
    for root, members in sorted(groups.items()):
        typ = types[root]
        candidates = [n for m in members for n in preferred[m]]
        name = _preferred(typ, candidates)
        slug = f"{typ.lower()}/{slugify(name)}"
        if root.count("|") >= 2:  # generic agreement: parties and date tell it apart
            slug += "-" + hashlib.sha1(root.encode()).hexdigest()[:8]
        while slug in used:
            slug += "-" + hashlib.sha1((slug + root).encode()).hexdigest()[:6]
        used.add(slug)
        node = Node(slug, typ, name, set().union(*(names[m] for m in members)))
        if len(members) > 1:
            node.rules.add("merged: " + "; ".join(sorted(members)))
        for m in members:
            nodes[m] = node
    of = {k: nodes[v].slug for k, v in local.items()}
    return Resolution({n.slug: n for n in nodes.values()}, of)


def _preferred(typ: str, names: list[str]) -> str:
    if typ == "Person":
        return max(sorted(set(names)), key=lambda n: (len(n.split()), names.count(n), len(n)))
    return max(sorted(set(names)), key=lambda n: (names.count(n), len(n)))


def _generic_keys(ex: Extraction) -> dict[str, str]:
    """Generic agreements of an article keyed by their parties and date, so that two
    articles' "Joint Statement"s are one node only when they agree on both."""
    out: dict[str, str] = {}
    generic = {e.key for e in ex.entities if e.type == "Agreement"
               and e.name in set(GENERIC_NAMES.values())}
    names = {e.key: f"{e.type}:{fold(e.name)}" for e in ex.entities}
    for f in ex.facts:
        if f.kind == "agreement" and f.role("agreement")[0] in generic:
            parties = ",".join(sorted(names.get(p, p) for p in f.role("party")))
            out[f.role("agreement")[0]] = f"{parties}@{f.value('date') or ex.article.id}"
    for key in generic - set(out):
        out[key] = ex.article.id
    return out
