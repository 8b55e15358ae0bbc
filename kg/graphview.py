"""Graph -> the nodes and edges a reader sees (pure): entities, meetings, labelled relations.

`network` reads the union of every graph in a Dataset and returns plain dicts:
entities and meetings become nodes; positions and partnerships collapse into
labelled edges; every edge carries the evidence sentences of its rdf:Statement
reifications (article title, date, link, confidence, support). Each node also
lists its names, positions, and the meetings and agreements it took part in
(directly, or for a country or body through the people holding a post in it).
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, TypedDict
from urllib.parse import unquote

from rdflib import BNode, ConjunctiveGraph, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from kg.vocab import DG

#: Drawn classes, most specific first (a Meeting is also an Event).
ENTITY_TYPES: dict[URIRef, str] = {
    DG.Meeting: "Meeting",
    DG.Person: "Person",
    DG.Country: "Country",
    DG.Organization: "Organization",
    DG.Place: "Place",
    DG.Agreement: "Agreement",
    DG.Initiative: "Initiative",
    DG.Event: "Event",
}
#: Type given to an edge endpoint that has none of the classes above.
OTHER = "Entity"
#: Types whose nodes carry a date (their own dg:date, else the date they were reported).
DATED = ("Meeting", "Agreement", "Event")

#: Plain relations drawn as they are: predicate -> (edge label, draw object -> subject).
SIMPLE_EDGES: dict[URIRef, tuple[str, bool]] = {
    DG.participant: ("met", True),
    DG.location: ("at", False),
    DG.partOf: ("part of", False),
    DG.party: ("party", False),
    DG.signatory: ("signed", True),
    DG.signedAt: ("signed at", False),
    DG.memberOf: ("member of", False),
    DG.supports: ("supports", False),
}
#: Every edge kind (predicate name) with what the page calls it.
KINDS: dict[str, str] = {
    "holds": "holds a post in", "participant": "met (took part in)", "location": "took place at",
    "partOf": "part of", "party": "party to", "signatory": "signed",
    "signedAt": "signed at", "memberOf": "member of", "supports": "supports",
    "partner": "partnership",
}


class Evidence(TypedDict):
    """One sentence supporting an edge, with the article it comes from."""

    sentence: str
    article: str
    date: str
    url: str
    confidence: float | None
    sources: int  # independent sources supporting the fact (dg:sourceCount), 0 if unknown
    support: int  # articles supporting the fact (dg:supportCount), 0 if unknown


Key = tuple[Node, Node, Node]


def network(ds: Graph) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return (nodes, edges) to draw for the union of every graph in `ds`; `ds` is not mutated.

    Node: ``id`` (IRI), ``label``, ``type``, ``alt`` (other names), ``positions`` ("President
    of France"), ``facts`` ("date: 2024-07-03", "status: signed"), ``date`` (its dg:date),
    ``when`` (that date, or for meetings, agreements and events without one the earliest
    publication date of an article supporting them; "" if unknown), ``meetings`` and
    ``agreements`` (dicts with ``id``, ``label``, ``date``, ``via``), ``sources`` (articles
    mentioning it) and a plain-text ``tooltip``. Edge: ``id``, ``from``, ``to``, ``label``,
    ``kind`` (predicate name), ``evidence`` (list of `Evidence`), ``support`` (articles),
    ``sources`` (independent sources), ``confidence`` (highest) and ``tooltip``.
    Output is sorted, so equal graphs give equal lists.
    """
    g = _union(ds)
    evidence = _evidence_index(g)
    nodes: dict[Node, dict[str, Any]] = {}
    edges: dict[tuple[str, str, str, str], dict[str, Any]] = {}

    def node(term: Node, kind: str = OTHER) -> str:
        if term not in nodes:
            nodes[term] = _node(g, term, kind)
        return str(nodes[term]["id"])

    def edge(a: Node, b: Node, kind: str, label: str, found: Iterable[Evidence]) -> None:
        key = (node(a), node(b), kind, label)
        item = edges.setdefault(key, {"from": key[0], "to": key[1], "kind": kind,
                                      "label": label, "evidence": []})
        item["evidence"] = _merge(item["evidence"], found)

    for cls in ENTITY_TYPES:
        for term in g.subjects(RDF.type, cls):
            if isinstance(term, URIRef | BNode):
                node(term, _entity_type(g, term))
    for pred, (label, reverse) in SIMPLE_EDGES.items():
        for s, o in g.subject_objects(pred):
            if not isinstance(o, Literal):
                a, b = (o, s) if reverse else (s, o)
                edge(a, b, _local(pred), label, evidence.get((s, pred, o), []))
    for person, pos in g.subject_objects(DG.holds):
        title = _first(g.objects(pos, DG.title)) or "holds"
        for post in g.objects(pos, DG.postIn):
            if not isinstance(post, Literal):
                edge(person, post, "holds", title, evidence.get((person, DG.holds, pos), []))
    for part in set(g.subjects(DG.partner, None)):
        level = _first(g.objects(part, DG.level)) or "partnership"
        partners = sorted((o for o in g.objects(part, DG.partner) if not isinstance(o, Literal)),
                          key=str)
        for i, a in enumerate(partners):
            for b in partners[i + 1:]:
                found = evidence.get((part, DG.partner, a), []) + evidence.get(
                    (part, DG.partner, b), [])
                edge(a, b, "partner", level, found)

    node_list = sorted(nodes.values(), key=lambda n: (n["type"], n["label"], n["id"]))
    edge_list = [edges[k] for k in sorted(edges)]
    _dates_and_involvement(node_list, edge_list)
    labels = {n["id"]: n["label"] for n in node_list}
    for i, e in enumerate(edge_list):
        ev = e["evidence"]
        e["id"] = f"e{i}"
        e["support"] = max([len({x["article"] for x in ev if x["article"]})]
                           + [x["support"] for x in ev])
        e["sources"] = max([0] + [x["sources"] for x in ev])
        e["confidence"] = max((x["confidence"] for x in ev if x["confidence"] is not None),
                              default=None)
        e["tooltip"] = _edge_tooltip(labels[e["from"]], e["label"], labels[e["to"]], ev)
    for n in node_list:
        n["tooltip"] = _node_tooltip(n)
    return node_list, edge_list


def in_range(when: str, since: str = "", until: str = "") -> bool:
    """True if the date `when` can fall within [since, until] (each YYYY, YYYY-MM or YYYY-MM-DD).

    A coarse date counts as its whole period: "2024" is within since=2024-06-01, and
    until=2024 means up to 2024-12-31. Empty bounds are open; an empty `when` is never
    within a bounded range.
    """
    if not since and not until:
        return True
    if not when:
        return False
    return ((not since or _period(when)[1] >= _period(since)[0])
            and (not until or _period(when)[0] <= _period(until)[1]))


def _period(date: str) -> tuple[str, str]:
    """Return the first and last day of a YYYY, YYYY-MM or YYYY-MM-DD date, as text."""
    date = date[:10]
    return date + "-01-01"[len(date) - 4:], date + "-12-31"[len(date) - 4:]


def _dates_and_involvement(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> None:
    """Fill each node's ``when``, ``meetings`` and ``agreements`` from the edges (mutates)."""
    by_id = {n["id"]: n for n in nodes}
    reported: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        dates = [ev["date"] for ev in e["evidence"] if ev["date"]]
        reported[e["from"]] += dates
        reported[e["to"]] += dates
    for n in nodes:
        n["when"] = n["date"]
        if not n["when"] and n["type"] in DATED:
            n["when"] = min(reported[n["id"]] + [s["date"] for s in n["sources"] if s["date"]],
                            default="")
    involved: dict[str, dict[str, dict[str, str]]] = {n["id"]: {} for n in nodes}
    holders: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        a, b = by_id[e["from"]], by_id[e["to"]]
        if e["kind"] == "holds":
            holders[b["id"]].append(a["id"])
        elif e["kind"] in ("participant", "signatory") and b["type"] in ("Meeting", "Agreement"):
            involved[a["id"]][b["id"]] = {"via": ""}
        elif e["kind"] == "party" and a["type"] == "Agreement":
            involved[b["id"]][a["id"]] = {"via": ""}
    for body, people in holders.items():
        for person in people:
            for item in involved[person]:
                involved[body].setdefault(item, {"via": by_id[person]["label"]})
    for n in nodes:
        items = sorted(({"id": i, "label": by_id[i]["label"], "date": by_id[i]["when"],
                         "via": v["via"]} for i, v in involved[n["id"]].items()),
                       key=lambda x: (x["date"], x["label"], x["id"]))
        n["meetings"] = [x for x in items if by_id[x["id"]]["type"] == "Meeting"]
        n["agreements"] = [x for x in items if by_id[x["id"]]["type"] != "Meeting"]


def _union(ds: Graph) -> Graph:
    """Return a plain Graph holding the triples of every graph of `ds` (default included)."""
    union = Graph()
    if isinstance(ds, ConjunctiveGraph):
        for s, p, o, _ in ds.quads((None, None, None, None)):
            union.add((s, p, o))
    else:
        for triple in ds:
            union.add(triple)
    return union


def _evidence_index(g: Graph) -> dict[Key, list[Evidence]]:
    """Map each reified (s, p, o) to its evidence, one item per (sentence, article)."""
    index: dict[Key, list[Evidence]] = defaultdict(list)
    for st in set(g.subjects(RDF.subject, None)):
        s, p, o = (g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object))
        if s is None or p is None or o is None:
            continue
        conf = _confidence(g.value(st, DG.confidence))
        n_sources, n_support = _count(g.value(st, DG.sourceCount)), _count(
            g.value(st, DG.supportCount))
        sentences = sorted({str(x) for x in g.objects(st, DG.evidence)}) or [""]
        derived: list[Node | None] = sorted(g.objects(st, PROV.wasDerivedFrom), key=str)
        sources = derived or [None]
        found = [
            Evidence(sentence=sentence, article=title, date=date, url=url, confidence=conf,
                     sources=n_sources, support=n_support)
            for title, date, url in (_article(g, src) for src in sources)
            for sentence in sentences
        ]
        index[(s, p, o)] = _merge(index[(s, p, o)], found)
    return index


def _merge(old: list[Evidence], new: Iterable[Evidence]) -> list[Evidence]:
    """Return `old` + `new` without repeats, sorted by date, article and sentence."""
    seen: dict[tuple[str, str, str, str], Evidence] = {}
    for ev in [*old, *new]:
        key = (ev["date"], ev["article"], ev["sentence"], ev["url"])
        kept = seen.get(key)
        if kept is None or (ev["confidence"] or 0) > (kept["confidence"] or 0):
            seen[key] = ev
    return [seen[k] for k in sorted(seen)]


def _article(g: Graph, art: Node | None) -> tuple[str, str, str]:
    """Return (title, publication date, URL) of article `art` ("" when unknown)."""
    if art is None:
        return ("", "", "")
    return (_first(g.objects(art, RDFS.label)), _first(g.objects(art, DG.published)),
            _first(g.objects(art, DG.url)))


def _node(g: Graph, term: Node, kind: str) -> dict[str, Any]:
    """Return the drawing data of one entity or meeting node (``when`` etc. filled later)."""
    label = _first(g.objects(term, RDFS.label)) or _first(g.objects(term, SKOS.prefLabel))
    date = _first(g.objects(term, DG.date))
    if not label:
        label = f"Meeting {date}".strip() if kind == "Meeting" else _local(term)
    alt = sorted({str(x) for x in g.objects(term, SKOS.altLabel)} - {label})
    facts = [f"date: {date}"] if date else []
    facts += [f"status: {s}" for s in sorted({str(x) for x in g.objects(term, DG.status)})]
    positions: list[str] = []
    for pos in g.objects(term, DG.holds):
        title = _first(g.objects(pos, DG.title))
        posts = sorted(_first(g.objects(p, RDFS.label)) or _local(p)
                       for p in g.objects(pos, DG.postIn))
        positions += [f"{title} of {p}" if title else f"post in {p}" for p in posts] or [title]
    sources = sorted({_article(g, a) for a in g.subjects(DG.mentions, term)},
                     key=lambda a: (a[1], a[0], a[2]))
    return {
        "id": str(term) if isinstance(term, URIRef) else f"_:{term}",
        "label": label,
        "type": kind,
        "alt": alt,
        "positions": sorted(p for p in set(positions) if p),
        "facts": facts,
        "date": date,
        "sources": [{"article": t, "date": d, "url": u} for t, d, u in sources],
    }


def _entity_type(g: Graph, term: Node) -> str:
    """Return the most specific drawn type of `term`."""
    types = set(g.objects(term, RDF.type))
    return next((name for cls, name in ENTITY_TYPES.items() if cls in types), OTHER)


def _node_tooltip(n: dict[str, Any]) -> str:
    """Return the hover text of a node: name, type, other names, posts, facts, sources."""
    lines = [n["label"], n["type"], *([f"also: {', '.join(n['alt'])}"] if n["alt"] else []),
             *n["positions"], *n["facts"]]
    if n["when"] and not n["date"]:
        lines.append(f"reported {n['when']}")
    if n["sources"]:
        k = len(n["sources"])
        lines.append(f"mentioned in {k} article{'s' if k > 1 else ''}")
    return "\n".join(lines)


def _edge_tooltip(a: str, label: str, b: str, evidence: list[Evidence]) -> str:
    """Return the hover text of an edge: who-what-whom, then the first evidence sentence."""
    lines = [f"{a} \u2014 {label} \u2192 {b}"]
    if evidence:
        n = len(evidence)
        lines.append(f"{n} source sentence{'s' if n > 1 else ''} (click for all)")
        lines.append(f"\u201c{_clip(evidence[0]['sentence'], 200)}\u201d")
    return "\n".join(lines)


def _first(values: Iterable[Node]) -> str:
    """Return the smallest of `values` as a string (deterministic pick), or ""."""
    return min((str(v) for v in values), default="")


def _count(value: Node | None) -> int:
    """Return a literal count as an int, 0 when absent or not a count."""
    return int(value) if isinstance(value, Literal) and str(value).isdigit() else 0


def _confidence(value: Node | None) -> float | None:
    """Return a literal confidence as a finite float, else None."""
    try:
        number = float(value.toPython()) if isinstance(value, Literal) else None
    except (TypeError, ValueError):
        return None
    return number if number is not None and math.isfinite(number) else None


def _local(term: Node) -> str:
    """Return the last segment of an IRI, readable, as a fallback name."""
    text = str(term).rstrip("/#")
    return unquote(re.split(r"[/#:]", text)[-1]).replace("_", " ") or text


def _clip(text: str, limit: int) -> str:
    """Return `text` cut to `limit` characters with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"
