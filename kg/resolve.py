"""Entities of many articles -> one canonical node per real-world entity.

Every entity of every article first gets a *base*: its type and normalised name
(`kg.matching.match_key`), so the same name in fifty articles is one base.
Bases are then joined in explainable layers, cheapest and surest first; each
join is recorded with its rule and the two names it joined:

1. alias file: `same` entries (forced; see `kg.aliases`);
2. country-named bodies: "Kyrgyz Parliament" = "Parliament of Kyrgyzstan";
3. acronyms: defined in an article ("New Azerbaijan Party (YAP)"), carried as an
   alias ("SCO" of the Shanghai Cooperation Organisation), or expanded inside
   a name ("SCO Summit"); an acronym with two expansions joins nothing;
4. one title typed two ways ("X Summit" as an Organization and as an Event),
   and a short form of an initiative ("Open Balkan" of "Open Balkan initiative");
5. agreements: a title that ends by naming its parties ("... between A and B"),
   and an article's generic "the Communique" that can only be its one titled
   communique;
6. persons: spelling variants (`kg.matching.variant_names`), a person's name
   typed as something else in the same article, a quoted nickname after the
   full name, then partial names ("Xi", "Aliyev") that fit exactly one full name.

Guards hold for every automatic layer: a `different` entry of the alias file
is never joined, and a node never holds two full person names that are not
compatible (`kg.matching.compatible_persons`): Heydar and Ilham Aliyev stay two.
Otherwise generic agreements ("Joint Statement") are told apart by parties and date.
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kg import knowledge
from kg import matching as mt
from kg.aliases import NO_ALIASES, Aliases, AliasGroup
from kg.extract.patterns import GENERIC_NAMES
from kg.model import Extraction
from kg.names import fold, is_acronym, slugify


@dataclass(frozen=True)
class Merge:
    """One join: two names (as extracted) and the rule that joined them."""

    a: str
    b: str
    rule: str


@dataclass
class Node:
    """One canonical entity: its slug (for the IRI), type, preferred name and merges."""

    slug: str
    type: str
    name: str
    names: set[str] = field(default_factory=set)
    rules: set[str] = field(default_factory=set)
    members: list[str] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)


@dataclass
class Resolution:
    """(article id, entity key) -> canonical node."""

    nodes: dict[str, Node]
    of: dict[tuple[str, str], str]
    base_of: dict[tuple[str, str], str] = field(default_factory=dict)

    def node(self, article_id: str, key: str) -> Node:
        return self.nodes[self.of[(article_id, key)]]

    def to_json(self) -> dict[str, Any]:
        """The merges of this resolution, for DIR/resolution.json (sorted, stable)."""
        merged = [{"iri": n.slug, "type": n.type, "label": n.name, "names": sorted(n.names),
                   "articles": len(n.articles),
                   "merges": [{"names": [m.a, m.b], "rule": m.rule} for m in n.merges]}
                  for n in sorted(self.nodes.values(), key=lambda n: n.slug) if n.merges]
        rules = Counter(m.rule for n in self.nodes.values() for m in n.merges)
        return {"nodes": len(self.nodes), "merged_nodes": len(merged),
                "merges_by_rule": dict(sorted(rules.items())), "merged": merged}

    def members(self) -> dict[str, str]:
        """Base key (type and normalised name) -> node slug, for change logs."""
        return {m: n.slug for n in self.nodes.values() for m in n.members}


@dataclass
class _Base:
    """Every entity of one type and normalised name, across articles."""

    key: str
    type: str
    names: set[str] = field(default_factory=set)
    preferred: list[str] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)
    generic: bool = False

    @property
    def name(self) -> str:
        return max(sorted(set(self.preferred)), key=self.preferred.count)


class _Groups:
    """Union-find over bases that refuses joins the guards forbid and logs the others."""

    def __init__(self, bases: dict[str, _Base], aliases: Aliases) -> None:
        self.bases = bases
        self.parent = {k: k for k in bases}
        self.members: dict[str, list[str]] = {k: [k] for k in bases}
        self.tags: dict[str, set[tuple[int, int]]] = defaultdict(set)
        self.forced_type: dict[str, str] = {}
        self.label: dict[str, str] = {}
        self.log: list[tuple[str, Merge]] = []
        for g, group in enumerate(aliases.different):
            for k, b in bases.items():
                i = _alias_index(group, b)
                if i is not None and (group.type is None or group.type == b.type):
                    self.tags[k].add((g, i))

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str, rule: str, *, force: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb or (not force and self._blocked(ra, rb)):
            return False
        root, other = min(ra, rb), max(ra, rb)
        self.parent[other] = root
        self.members[root] += self.members.pop(other)
        self.tags[root] |= self.tags.pop(other, set())
        for d in (self.forced_type, self.label):
            if other in d:
                d.setdefault(root, d.pop(other))
        self.log.append((root, Merge(self.bases[a].name, self.bases[b].name, rule)))
        return True

    def _blocked(self, ra: str, rb: str) -> bool:
        ta, tb = self.tags.get(ra, set()), self.tags.get(rb, set())
        if any(g == h and i != j for g, i in ta for h, j in tb):
            return True
        pa = [self.bases[m].name for m in self.members[ra] if self.bases[m].type == "Person"]
        pb = [self.bases[m].name for m in self.members[rb] if self.bases[m].type == "Person"]
        return any(not mt.compatible_persons(x, y) for x in pa for y in pb)

    def groups(self) -> dict[str, list[str]]:
        return {r: sorted(ms) for r, ms in self.members.items()}


def resolve(extractions: Iterable[Extraction], aliases: Aliases = NO_ALIASES) -> Resolution:
    """Map every (article, entity) to one canonical node across the corpus.

    Deterministic: the same extractions, in any order, give the same nodes.
    """
    exs = sorted(extractions, key=lambda e: e.article.id)
    bases: dict[str, _Base] = {}
    local: dict[tuple[str, str], str] = {}
    for ex in exs:
        generic_keys = mt.generic_agreement_keys(ex)
        for e in ex.entities:
            key = f"{e.type}|{mt.match_key(e.type, e.name)}"
            if e.key in generic_keys:
                key = f"{key}|{generic_keys[e.key]}"
            b = bases.setdefault(key, _Base(key, e.type, generic=e.key in generic_keys))
            local[(ex.article.id, e.key)] = key
            b.preferred.append(e.name)
            b.names.update({e.name, *e.aliases})
            b.articles.add(ex.article.id)
    groups = _Groups(bases, aliases)
    _forced(groups, aliases)
    _country_scoped(groups)
    _acronyms(groups, exs, local)
    _named_things(groups, exs, local)
    _agreement_titles(groups, exs, local)
    _persons(groups, exs, local)
    return _nodes(groups, local)


# --- layers ----------------------------------------------------------------------------------
def _alias_index(group: AliasGroup, base: _Base) -> int | None:
    """Which name of an alias-file entry `base` was extracted under, or None."""
    found = [i for n in base.preferred if (i := group.index(n)) is not None]
    return min(found) if found else None


def _forced(groups: _Groups, aliases: Aliases) -> None:
    for group in aliases.same:
        hits = sorted(k for k, b in groups.bases.items() if _alias_index(group, b) is not None)
        by_type: dict[str | None, list[str]] = defaultdict(list)
        for k in hits:
            by_type[group.type or groups.bases[k].type].append(k)
        for typ, keys in by_type.items():
            for k in keys[1:]:
                groups.union(keys[0], k, "alias file: same", force=True)
            root = groups.find(keys[0])
            if group.type is not None and typ is not None:
                groups.forced_type[root] = typ
            if group.label:
                groups.label[root] = group.label


def _country_scoped(groups: _Groups) -> None:
    by_scope: dict[tuple[str, str], list[str]] = defaultdict(list)
    for k, b in sorted(groups.bases.items()):
        if b.type == "Organization":
            scope = mt.country_scoped(b.name)
            if scope:
                by_scope[scope].append(k)
    for keys in by_scope.values():
        for k in keys[1:]:
            groups.union(keys[0], k, "body named by its country")


def _named(groups: _Groups) -> list[tuple[str, _Base]]:
    return [(k, b) for k, b in sorted(groups.bases.items())
            if b.type in mt.NAMED_TYPES and not b.generic]


def _acronyms(groups: _Groups, exs: list[Extraction], local: dict[tuple[str, str], str]) -> None:
    bases = groups.bases
    # defined in an article's text: "New Azerbaijan Party (YAP)"
    for ex in exs:
        ents = [e for e in ex.entities if e.type in mt.NAMED_TYPES]
        short = {e.name: e for e in ents if is_acronym(e.name)}
        forms = {n: e for e in ents if not is_acronym(e.name) for n in (e.name, *e.aliases)}
        for long_name, acr in mt.defined_acronyms(ex.article.text, forms):
            if acr in short:
                groups.union(local[(ex.article.id, forms[long_name].key)],
                             local[(ex.article.id, short[acr].key)], "acronym defined in text")
    # an alias of one base is the name of another: of the same type for a name, of any
    # title type for an acronym; an acronym with expansions in two nodes joins nothing
    named = _named(groups)
    expansions: dict[str, set[str]] = defaultdict(set)
    for k, b in named:
        for alias in sorted(b.names - {b.name}):
            if is_acronym(alias):
                expansions[alias].add(k)
            elif ((target := f"{b.type}|{mt.match_key(b.type, alias)}") in bases
                  and not bases[target].generic):
                groups.union(target, k, "alias of one is the name of the other")
    acronym_named: dict[str, list[str]] = defaultdict(list)
    for k, b in named:
        if is_acronym(b.name):
            acronym_named[b.name].append(k)
    known: dict[str, str] = {}
    for acr, ks in sorted(expansions.items()):
        if len({groups.find(k) for k in ks}) != 1:
            continue  # ambiguous: two things abbreviate to it
        known[acr] = bases[min(ks)].name
        for target in acronym_named.get(acr, []):
            groups.union(min(ks), target, "acronym of the full name")
    # an acronym inside a name: "SCO Summit" is the "Shanghai Cooperation Organisation Summit"
    by_key = {mt.match_key(b.type, b.name): k for k, b in named}
    for k, b in named:
        for w in b.name.split():
            if is_acronym(w) and w not in known and (org := knowledge.organization(w)):
                known[w] = org.name
        expanded = mt.expand_acronyms(b.name, known)
        if expanded and (hit := by_key.get(mt.match_key(b.type, expanded))):
            groups.union(hit, k, "acronym expanded in the name")


def _named_things(groups: _Groups, exs: list[Extraction],
                  local: dict[tuple[str, str], str]) -> None:
    # one title, two types: "Shanghai Cooperation Organization Summit" (Organization, Event)
    by_key: dict[str, list[str]] = defaultdict(list)
    for k, b in _named(groups):
        by_key[mt.match_key(b.type, b.name)].append(k)
    for keys in by_key.values():
        for k in keys[1:]:
            groups.union(keys[0], k, "one title typed two ways")
    # "Belt and Road" is the "Belt and Road Initiative": across articles for initiatives,
    # within an article for a short form typed as a place or body
    initiatives = {fold(n): k for k, b in _named(groups) if b.type == "Initiative"
                   for n in b.names}
    for k, b in _named(groups):
        short = b.type == "Initiative" and not fold(b.name).endswith((" initiative", " policy"))
        if short and (target := initiatives.get(fold(b.name) + " initiative")) is not None:
            groups.union(target, k, "short form of an initiative")
    for ex in exs:
        inits = {fold(e.name): e for e in ex.entities if e.type == "Initiative"}
        for e in ex.entities:
            long_form = inits.get(fold(e.name) + " initiative")
            if e.type in ("Place", "Organization") and long_form is not None:
                groups.union(local[(ex.article.id, long_form.key)],
                             local[(ex.article.id, e.key)], "short form of an initiative")


def _agreement_titles(groups: _Groups, exs: list[Extraction],
                      local: dict[tuple[str, str], str]) -> None:
    # "the Joint Communique" of an article is the one titled joint communique it names
    for ex in exs:
        for generic, titled in mt.generic_to_titled(ex):
            groups.union(local[(ex.article.id, titled)], local[(ex.article.id, generic)],
                         "generic name of the article's one titled agreement")
    by_key = {mt.match_key(b.type, b.name): k for k, b in groups.bases.items()
              if b.type == "Agreement" and not b.generic}
    for k, b in sorted(groups.bases.items()):
        if b.type == "Agreement" and not b.generic:
            short = mt.without_parties(b.name)
            if short and (target := by_key.get(mt.match_key("Agreement", short))):
                groups.union(target, k, "agreement title naming its parties")


def _persons(groups: _Groups, exs: list[Extraction], local: dict[tuple[str, str], str]) -> None:
    bases = groups.bases
    persons = sorted(k for k, b in bases.items() if b.type == "Person")
    toks = {k: mt.person_tokens(bases[k].name) for k in persons}
    # spelling variants: bucket by every "all words but one" signature
    buckets: dict[tuple[int, int, tuple[str, ...]], list[str]] = defaultdict(list)
    for k in persons:
        t = toks[k]
        if len(t) >= 2:
            for i in range(len(t)):
                buckets[(len(t), i, t[:i] + t[i + 1:])].append(k)
    for keys in buckets.values():
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                if mt.variant_names(bases[a].name, bases[b].name):
                    groups.union(a, b, "spelling variant")
    # within an article: a person's name typed as a body or place, a quoted nickname
    for ex in exs:
        people = [e for e in ex.entities if e.type == "Person" and len(e.name.split()) >= 2]
        for e in ex.entities:
            if e.type in ("Person", "Country"):
                continue
            fits = [p for p in people if mt.person_name_tail(e.name, p.name)]
            if len(fits) == 1:
                groups.union(local[(ex.article.id, fits[0].key)], local[(ex.article.id, e.key)],
                             f"person's name typed as {e.type}")
                continue
            for p in people:
                if len(e.name.split()) == 1 and mt.quoted_after(ex.article.text, p.name, e.name):
                    groups.union(local[(ex.article.id, p.key)], local[(ex.article.id, e.key)],
                                 "nickname quoted after the full name")
    # partial names ("Xi", "Aliyev") that fit exactly one full name in the corpus
    having: dict[str, set[str]] = defaultdict(set)
    for k in persons:
        for tok in toks[k]:
            having[tok].add(k)
    for k in persons:
        words = set(toks[k])
        if not words:
            continue
        supersets = sorted(o for o in set.intersection(*(having[w] for w in words))
                           if len(set(toks[o])) > len(words))
        if supersets and len({groups.find(o) for o in supersets}) == 1:
            groups.union(supersets[0], k, "partial name of one full name")


# --- nodes ------------------------------------------------------------------------------------
def _nodes(groups: _Groups, local: dict[tuple[str, str], str]) -> Resolution:
    bases = groups.bases
    nodes: dict[str, Node] = {}
    merges: dict[str, list[Merge]] = defaultdict(list)
    for root, merge in groups.log:
        merges[groups.find(root)].append(merge)
    used: set[str] = set()
    for root, members in sorted(groups.groups().items()):
        typ = groups.forced_type.get(root) or _group_type([bases[m] for m in members])
        candidates = [n for m in members for n in bases[m].preferred
                      if bases[m].type == typ or typ != "Person"]
        name = groups.label.get(root) or _preferred(typ, candidates or
                                                    [n for m in members
                                                     for n in bases[m].preferred])
        slug = f"{typ.lower()}/{slugify(name)}"
        generic = sorted(m for m in members if bases[m].generic)
        if generic and fold(name) in {fold(g) for g in GENERIC_NAMES.values()}:
            slug += "-" + hashlib.sha1("\x1f".join(generic).encode()).hexdigest()[:8]
        while slug in used:
            slug += "-" + hashlib.sha1((slug + root).encode()).hexdigest()[:6]
        used.add(slug)
        node = Node(slug, typ, name, set().union(*(bases[m].names for m in members)),
                    members=members, merges=merges.get(root, []),
                    articles=set().union(*(bases[m].articles for m in members)))
        node.rules = {m.rule for m in node.merges}
        for m in members:
            nodes[m] = node
    of = {k: nodes[v].slug for k, v in local.items()}
    return Resolution({n.slug: n for n in nodes.values()}, of, dict(local))


def _group_type(members: list[_Base]) -> str:
    types = {b.type for b in members}
    if len(types) == 1:
        return members[0].type
    for typ in ("Person", "Country"):
        if typ in types:
            return typ
    heads = Counter(t for b in members for n in sorted(b.names) if (t := mt.head_type(n)))
    if heads:
        return max(sorted(heads), key=lambda t: (heads[t], -mt.TYPE_ORDER.index(t)))
    votes = Counter({t: sum(len(b.articles) for b in members if b.type == t) for t in types})
    return max(sorted(votes), key=lambda t: (votes[t], -mt.TYPE_ORDER.index(t)))


def _preferred(typ: str, names: list[str]) -> str:
    if typ == "Person":
        return max(sorted(set(names)), key=lambda n: (len(n.split()), names.count(n), len(n)))
    return max(sorted(set(names)), key=lambda n: (names.count(n), len(n)))
