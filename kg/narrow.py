"""Narrow the nodes and edges of `kg.graphview.network` (pure): dates, support, ego network, types.

`narrow` is what `kg viz --focus/--depth/--type/--since/--until/--min-support` does.
Steps, in this order: meetings, agreements and events dated outside [since, until]
go; fact edges supported by fewer than `min_support` articles go; with `focus`,
only nodes within `depth` hops of the entities of that name stay; with `types`,
only nodes of those types (and the focus) stay. Finally an edge stays only if
both its ends do, and a node that lost every edge to narrowing goes.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from kg.errors import EntityNotFoundError, OptionError
from kg.graphview import DATED, ENTITY_TYPES, OTHER, in_range

#: Edge kinds that are facts with evidence (the others are structure: where, part of).
FACT_KINDS = ("holds", "participant", "party", "signatory", "memberOf", "supports", "partner")
TYPES = (*ENTITY_TYPES.values(), OTHER)
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")

Nodes = list[dict[str, Any]]
Edges = list[dict[str, Any]]


def narrow(nodes: Nodes, edges: Edges, *, focus: str | None = None, depth: int = 2,
           types: Iterable[str] = (), since: str = "", until: str = "",
           min_support: int = 0) -> tuple[Nodes, Edges]:
    """Return the (nodes, edges) left after the filters above; the inputs are not mutated.

    Raises OptionError for a malformed date, an unknown type or a negative depth, and
    EntityNotFoundError (with close names) when no node is called `focus`.
    """
    wanted = _check_types(types)
    since, until = _check_date("since", since), _check_date("until", until)
    if since and until and since > until:
        raise OptionError(f"--since {since} is after --until {until}")
    if depth < 0:
        raise OptionError(f"--depth must be 0 or more, not {depth}")
    keep = {n["id"] for n in nodes
            if n["type"] not in DATED or in_range(n["when"], since, until)}
    kept_edges = [e for e in edges if e["kind"] not in FACT_KINDS or e["support"] >= min_support]
    centre: set[str] = set()
    if focus is not None:
        centre = find(nodes, focus)
        keep = _within(centre & keep, depth, kept_edges, keep)
    if wanted:
        keep = {n["id"] for n in nodes if n["id"] in keep and (n["type"] in wanted
                                                               or n["id"] in centre)}
    kept_edges = [e for e in kept_edges if e["from"] in keep and e["to"] in keep]
    linked = {x for e in edges for x in (e["from"], e["to"])}
    still = {x for e in kept_edges for x in (e["from"], e["to"])}
    keep = {x for x in keep if x in still or x in centre or x not in linked}
    return [n for n in nodes if n["id"] in keep], kept_edges


def find(nodes: Nodes, name: str) -> set[str]:
    """Return the ids of the nodes called `name` (any of their names; case and accents ignored).

    Without an exact match, a name whose words include `name` is used if it is only one
    entity's. Raises EntityNotFoundError with up to five close names otherwise.
    """
    key = _norm(name)
    names: dict[str, set[str]] = defaultdict(set)
    shown: dict[str, str] = {}
    for n in nodes:
        for label in (n["label"], *n["alt"]):
            names[_norm(label)].add(n["id"])
            shown.setdefault(_norm(label), label)
    if key in names:
        return names[key]
    words = f" {key} "
    partial = {k for k in names if key and words in f" {k} "}
    if len(set().union(*(frozenset(names[k]) for k in partial))) == 1:
        return names[next(iter(partial))]  # "Akhannouch": the one entity with that word
    close = difflib.get_close_matches(key, list(names), n=5, cutoff=0.6)
    close += sorted(k for k in partial | {k for k in names if key and key in k}
                    if k not in close)[: 5 - len(close)]
    raise EntityNotFoundError(name, [shown[k] for k in close])


def _within(start: set[str], depth: int, edges: Edges, allowed: set[str]) -> set[str]:
    """Return the nodes of `allowed` at most `depth` hops from `start` along `edges`."""
    around: dict[str, set[str]] = defaultdict(set)
    for e in edges:
        if e["from"] in allowed and e["to"] in allowed:
            around[e["from"]].add(e["to"])
            around[e["to"]].add(e["from"])
    seen, frontier = set(start), set(start)
    for _ in range(depth):
        frontier = {m for x in frontier for m in around[x]} - seen
        seen |= frontier
    return seen


def _check_types(types: Iterable[str]) -> set[str]:
    """Return the type names asked for, spelled as `TYPES` spells them (case ignored)."""
    known = {t.lower(): t for t in TYPES}
    wanted = set()
    for t in types:
        if t.lower() not in known:
            raise OptionError(f"unknown type {t!r}; known: {', '.join(TYPES)}")
        wanted.add(known[t.lower()])
    return wanted


def _check_date(option: str, value: str | None) -> str:
    """Return `value` if it is YYYY, YYYY-MM or YYYY-MM-DD (or empty); else raise OptionError."""
    value = (value or "").strip()
    if value and not _DATE.fullmatch(value):
        raise OptionError(f"--{option} {value!r}: expected a date as YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def _norm(text: str) -> str:
    """Return `text` without accents, case-folded, spaces collapsed."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())
