"""Graph -> nodes and edges to draw (pure) -> one self-contained HTML page.

`network` reads the union of every graph in a Dataset and returns plain dicts:
entities and meetings become nodes; positions and partnerships collapse into
labelled edges; every edge carries the evidence sentences of its rdf:Statement
reifications. `render_html` hands those to a pyvis `Network` for the vis.js
data and options, then fills our own template (`kg/templates/viz.html`) with the
vendored vis-network JS/CSS inlined, so the page makes no request at all. Text
from articles reaches the page only as JSON in a `<script type="application/json">`
block, read with `JSON.parse` and shown with `textContent`.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, TypedDict
from urllib.parse import unquote

from rdflib import BNode, ConjunctiveGraph, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS
from rdflib.term import Node

# TODO: switch to kg.vocab.DG once it lands.
DG = Namespace("https://w3id.org/diplograph/ontology#")

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

#: Colour, vis.js shape, node size and legend symbol per type.
STYLES: dict[str, tuple[str, str, int, str]] = {
    "Person": ("#4E79A7", "dot", 16, "\u25cf"),
    "Country": ("#E15759", "diamond", 20, "\u25c6"),
    "Organization": ("#F28E2B", "square", 16, "\u25a0"),
    "Place": ("#59A14F", "triangle", 15, "\u25b2"),
    "Agreement": ("#B07AA1", "star", 18, "\u2605"),
    "Initiative": ("#76B7B2", "triangleDown", 15, "\u25bc"),
    "Event": ("#EDC948", "hexagon", 16, "\u2b22"),
    "Meeting": ("#9C755F", "dot", 7, "\u2022"),
    OTHER: ("#BAB0AC", "dot", 12, "\u25cb"),
}

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

#: Most layout iterations before drawing (fewer for big graphs); physics is then switched off.
STABILIZATION_ITERATIONS = 300

_PLACEHOLDER = re.compile(r"@@([A-Z_]+)@@")


class Evidence(TypedDict):
    """One sentence supporting an edge, with the article it comes from."""

    sentence: str
    article: str
    date: str
    url: str
    confidence: float | None
    sources: int  # independent sources supporting the fact (dg:sourceCount), 0 if unknown


Key = tuple[Node, Node, Node]


def network(ds: Graph) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return (nodes, edges) to draw for the union of every graph in `ds`; `ds` is not mutated.

    Node: ``id`` (IRI), ``label``, ``type``, ``alt`` (other names), ``facts`` (lines such as
    "date: 2024-07-03"), ``sources`` (articles mentioning it) and a plain-text ``tooltip``.
    Edge: ``id``, ``from``, ``to``, ``label``, ``kind`` (predicate name), ``evidence``
    (list of `Evidence`) and ``tooltip``. Output is sorted, so equal graphs give equal lists.
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
    labels = {n["id"]: n["label"] for n in node_list}
    edge_list = [edges[k] for k in sorted(edges)]
    for i, e in enumerate(edge_list):
        e["id"] = f"e{i}"
        e["tooltip"] = _edge_tooltip(labels[e["from"]], e["label"], labels[e["to"]], e["evidence"])
    return node_list, edge_list


def render_html(ds: Graph, *, title: str = "diplograph") -> str:
    """Return one self-contained HTML page drawing `ds` (no external request, all text escaped)."""
    from pyvis.network import Network  # imported here: pyvis pulls in IPython

    nodes, edges = network(ds)
    net = Network(height="100%", width="100%", directed=True)
    net.force_atlas_2based(gravity=-90, spring_length=140, spring_strength=0.05, overlap=0.5)
    for n in nodes:
        color, shape, size, _ = STYLES.get(n["type"], STYLES[OTHER])
        net.add_node(n["id"], label=n["label"], shape=shape, color=color, size=size,
                     title=n["tooltip"], dgType=n["type"], alt=n["alt"], facts=n["facts"],
                     sources=n["sources"])
    for e in edges:
        arrows = {"to": {"enabled": e["kind"] != "partner", "scaleFactor": 0.5}}
        width = 1 + 0.75 * min(4, max(0, len(e["evidence"]) - 1))
        net.add_edge(e["from"], e["to"], id=e["id"], label=e["label"], title=e["tooltip"],
                     kind=e["kind"], evidence=e["evidence"], arrows=arrows, width=width,
                     dashes=e["kind"] == "partner")
    net_nodes, net_edges, _, _, _, options_json = net.get_network_data()
    options = json.loads(options_json)
    options["physics"]["stabilization"].update(
        enabled=True, updateInterval=25, fit=True,
        iterations=max(50, min(STABILIZATION_ITERATIONS, 200_000 // max(1, len(nodes)))))
    options["edges"].update(
        smooth={"enabled": True, "type": "continuous"},
        color={"color": "#9AA0A6", "highlight": "#202124", "inherit": False},
        font={"size": 10, "align": "middle", "strokeWidth": 3})
    options["nodes"] = {"font": {"size": 13, "face": "sans-serif"}, "borderWidth": 1,
                        "widthConstraint": {"maximum": 160}}
    options["interaction"].update(hover=True, tooltipDelay=150, multiselect=False)
    payload = {"title": title, "nodes": net_nodes, "edges": net_edges, "options": options}

    vis_js, app_js = _asset("static", "vis-network.min.js"), _asset("templates", "viz.js")
    values = {
        "CSP": _csp(vis_js, app_js),
        "TITLE": html.escape(title),
        "VIS_CSS": _asset("static", "vis-network.css"),
        "APP_CSS": _asset("templates", "viz.css"),
        "LEGEND": _legend(nodes),
        "DATA": script_json(payload),
        "VIS_JS": vis_js,
        "APP_JS": app_js,
    }
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], _asset("templates", "viz.html"))


def write_html(ds: Graph, path: Path, *, title: str = "diplograph") -> Path:
    """Write `render_html(ds)` to `path` atomically (temp file in the same dir, then os.replace)."""
    page = render_html(ds, title=title)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(page)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def script_json(data: Any) -> str:
    """Return `data` as JSON safe inside `<script type="application/json">`.

    ``<``, ``>``, ``&``, U+2028 and U+2029 only occur inside JSON strings, where their
    ``\\uXXXX`` escapes mean the same; so no ``</script>`` or ``<!--`` can close the block.
    """
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


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
        counted = g.value(st, DG.sourceCount)
        n_sources = int(counted) if isinstance(counted, Literal) and str(counted).isdigit() else 0
        sentences = sorted({str(x) for x in g.objects(st, DG.evidence)}) or [""]
        derived: list[Node | None] = sorted(g.objects(st, PROV.wasDerivedFrom), key=str)
        sources = derived or [None]
        found = [
            Evidence(sentence=sentence, article=title, date=date, url=url, confidence=conf,
                     sources=n_sources)
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
    """Return the drawing data of one entity or meeting node."""
    label = _first(g.objects(term, RDFS.label)) or _first(g.objects(term, SKOS.prefLabel))
    date = _first(g.objects(term, DG.date))
    if not label:
        label = f"Meeting {date}".strip() if kind == "Meeting" else _local(term)
    alt = sorted({str(x) for x in g.objects(term, SKOS.altLabel)} - {label})
    facts = [f"date: {date}"] if date else []
    facts += [f"status: {s}" for s in sorted({str(x) for x in g.objects(term, DG.status)})]
    for pos in g.objects(term, DG.holds):
        title = _first(g.objects(pos, DG.title))
        posts = sorted(_first(g.objects(p, RDFS.label)) or _local(p)
                       for p in g.objects(pos, DG.postIn))
        facts += [f"{title} of {p}" if title else f"post in {p}" for p in posts] or [title]
    facts = [f for f in dict.fromkeys(facts) if f]
    sources = sorted({_article(g, a) for a in g.subjects(DG.mentions, term)},
                     key=lambda a: (a[1], a[0], a[2]))
    lines = [label, kind, *([f"also: {', '.join(alt)}"] if alt else []), *facts]
    if sources:
        lines.append(f"mentioned in {len(sources)} article{'s' if len(sources) > 1 else ''}")
    return {
        "id": str(term) if isinstance(term, URIRef) else f"_:{term}",
        "label": label,
        "type": kind,
        "alt": alt,
        "facts": facts,
        "sources": [{"article": t, "date": d, "url": u} for t, d, u in sources],
        "tooltip": "\n".join(lines),
    }


def _entity_type(g: Graph, term: Node) -> str:
    """Return the most specific drawn type of `term`."""
    types = set(g.objects(term, RDF.type))
    return next((name for cls, name in ENTITY_TYPES.items() if cls in types), OTHER)


def _edge_tooltip(a: str, label: str, b: str, evidence: list[Evidence]) -> str:
    """Return the hover text of an edge: who-what-whom, then the first evidence sentence."""
    lines = [f"{a} \u2014 {label} \u2192 {b}"]
    if evidence:
        n = len(evidence)
        lines.append(f"{n} source sentence{'s' if n > 1 else ''} (click for all)")
        lines.append(f"\u201c{_clip(evidence[0]['sentence'], 200)}\u201d")
    return "\n".join(lines)


def _legend(nodes: list[dict[str, Any]]) -> str:
    """Return the legend's HTML: one item per drawn type, with its colour, symbol and count."""
    counts: dict[str, int] = defaultdict(int)
    for n in nodes:
        counts[n["type"]] += 1
    items = []
    for kind, (color, _, _, symbol) in STYLES.items():
        if counts[kind]:
            items.append(
                f'<li data-type="{html.escape(kind)}"><span class="swatch" '
                f'style="color:{html.escape(color)}">{symbol}</span>{html.escape(kind)} '
                f'<span class="count">{counts[kind]}</span></li>')
    if not items:
        items.append("<li>empty graph</li>")
    hint = '<li class="edge-hint">click an edge for its evidence</li>'
    return "<ul>" + "".join(items) + hint + "</ul>"


def _csp(*scripts: str) -> str:
    """Return a Content-Security-Policy allowing only our inline scripts and no request at all."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
        for s in scripts)
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; "
            "img-src data:; base-uri 'none'; form-action 'none'")


@cache
def _asset(folder: str, name: str) -> str:
    """Return the text of kg/<folder>/<name>; refuse JS/CSS that could close its element."""
    text = (files("kg") / folder / name).read_text(encoding="utf-8")
    if name.endswith((".js", ".css")) and re.search(r"</(script|style)", text, re.IGNORECASE):
        raise ValueError(f"kg/{folder}/{name} contains a closing tag and cannot be inlined")
    return text


def _first(values: Iterable[Node]) -> str:
    """Return the smallest of `values` as a string (deterministic pick), or ""."""
    return min((str(v) for v in values), default="")


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
