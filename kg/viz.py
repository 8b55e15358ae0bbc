"""Nodes and edges -> one self-contained HTML page (pyvis for the vis.js data and options).

`kg.graphview.network` turns a graph into nodes and edges; `kg.narrow.narrow` optionally
cuts them down (ego network, types, dates, support); here node size comes from
networkx degree centrality (`kg.analysis.importance`) and, above `LAYOUT_THRESHOLD`
nodes, positions from `kg.layout.positions` with physics off, so a big page is
usable at once. A pyvis `Network` gives the vis.js data and options; our own
template (`kg/templates/viz.html`) gets the vendored vis-network JS/CSS inlined,
so the page makes no request at all. Text from articles reaches the page only as
JSON in a `<script type="application/json">` block, read with `JSON.parse` and shown
with `textContent`; a Content-Security-Policy allows only our two inline scripts.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from rdflib import Graph

from kg.graphview import DATED, KINDS, OTHER, Evidence, network
from kg.store import write_atomic

__all__ = ["DATED", "KINDS", "LAYOUT_THRESHOLD", "OTHER", "STYLES", "Evidence", "network",
           "render_html", "render_page", "script_json", "write_html"]

#: Colour, vis.js shape, base node size and legend symbol per type.
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

#: Most layout iterations before drawing (fewer for big graphs); physics is then switched off.
STABILIZATION_ITERATIONS = 300
#: Above this many nodes, positions are computed in Python and the browser runs no physics.
LAYOUT_THRESHOLD = 400

_PLACEHOLDER = re.compile(r"@@([A-Z_]+)@@")


def render_html(ds: Graph, *, title: str = "diplograph", focus: str | None = None,
                depth: int = 2, types: Iterable[str] = (), since: str = "", until: str = "",
                min_support: int = 0) -> str:
    """Return one self-contained HTML page drawing `ds` (no external request, all text escaped).

    `focus`, `depth`, `types`, `since`, `until` and `min_support` narrow what is drawn
    (see `kg.narrow.narrow`, which raises OptionError / EntityNotFoundError).
    """
    nodes, edges = network(ds)
    if focus is not None or list(types) or since or until or min_support:
        from kg.narrow import narrow

        nodes, edges = narrow(nodes, edges, focus=focus, depth=depth, types=types,
                              since=since, until=until, min_support=min_support)
    return render_page(nodes, edges, title=title)


def render_page(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], *,
                title: str = "diplograph") -> str:
    """Return the page drawing `nodes` and `edges` as `kg.graphview.network` gives them."""
    from pyvis.network import Network  # imported here: pyvis pulls in IPython

    from kg.analysis import drawn_graph, importance

    graph = drawn_graph(nodes, edges)
    weight = importance(graph)
    large = len(nodes) > LAYOUT_THRESHOLD
    if large:
        from kg.layout import positions

        where = positions(graph)
    net = Network(height="100%", width="100%", directed=True)
    net.force_atlas_2based(gravity=-90, spring_length=140, spring_strength=0.05, overlap=0.5)
    for n in nodes:
        color, shape, size, _ = STYLES.get(n["type"], STYLES[OTHER])
        extra = {"x": where[n["id"]][0], "y": where[n["id"]][1]} if large else {}
        net.add_node(n["id"], label=n["label"], shape=shape, color=color,
                     size=round(size * (0.75 + 1.25 * math.sqrt(weight.get(n["id"], 0.0))), 1),
                     title=n["tooltip"], dgType=n["type"], alt=n["alt"], facts=n["facts"],
                     positions=n["positions"], when=n["when"], date=n["date"],
                     meetings=n["meetings"], agreements=n["agreements"], sources=n["sources"],
                     importance=round(weight.get(n["id"], 0.0), 4), **extra)
    for e in edges:
        arrows = {"to": {"enabled": e["kind"] != "partner", "scaleFactor": 0.5}}
        width = 1 + 0.75 * min(4, max(0, len(e["evidence"]) - 1))
        net.add_edge(e["from"], e["to"], id=e["id"], label=e["label"], title=e["tooltip"],
                     kind=e["kind"], evidence=e["evidence"], support=e["support"],
                     sources=e["sources"], confidence=e["confidence"], arrows=arrows,
                     width=width, dashes=e["kind"] == "partner")
    net_nodes, net_edges, _, _, _, options_json = net.get_network_data()
    options = _options(json.loads(options_json), len(nodes), large)
    kinds = sorted({e["kind"] for e in edges})
    payload = {"title": title, "nodes": net_nodes, "edges": net_edges, "options": options,
               "large": large, "dated": list(DATED),
               "types": [t for t in STYLES if any(n["type"] == t for n in nodes)],
               "kinds": [[k, KINDS.get(k, k)] for k in kinds]}
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


def write_html(ds: Graph, path: Path, *, title: str = "diplograph", **narrowing: Any) -> Path:
    """Write `render_html(ds, title=title, **narrowing)` to `path` atomically."""
    return write_atomic(Path(path), render_html(ds, title=title, **narrowing))


def _options(options: dict[str, Any], n: int, large: bool) -> dict[str, Any]:
    """Return pyvis's vis.js `options` completed for a page of `n` nodes (mutates `options`)."""
    options["physics"]["stabilization"].update(
        enabled=True, updateInterval=25, fit=True,
        iterations=max(50, min(STABILIZATION_ITERATIONS, 200_000 // max(1, n))))
    options["edges"].update(
        smooth={"enabled": True, "type": "continuous"},
        color={"color": "#9AA0A6", "highlight": "#202124", "inherit": False},
        font={"size": 10, "align": "middle", "strokeWidth": 3})
    options["nodes"] = {"font": {"size": 13, "face": "sans-serif"}, "borderWidth": 1,
                        "widthConstraint": {"maximum": 160}}
    options["interaction"].update(hover=True, tooltipDelay=150, multiselect=False)
    if large:  # positions come with the nodes: no physics, no smooth curves, lighter drag
        options["physics"] = {"enabled": False}
        options["layout"] = {"improvedLayout": False}
        options["edges"]["smooth"] = {"enabled": False}
        options["interaction"].update(hideEdgesOnDrag=True, hideEdgesOnZoom=True)
    return options


def script_json(data: Any) -> str:
    """Return `data` as JSON safe inside `<script type="application/json">`.

    ``<``, ``>``, ``&``, U+2028 and U+2029 only occur inside JSON strings, where their
    ``\\uXXXX`` escapes mean the same; so no ``</script>`` or ``<!--`` can close the block.
    """
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


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
