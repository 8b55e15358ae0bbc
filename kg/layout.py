"""Node positions computed in Python for graphs too big to lay out in the browser.

`positions` places every connected component on its own, packs them in rows, largest
first. A component of up to `SMALL` nodes gets a force-directed layout
(`networkx.spring_layout`); a bigger one is split into Louvain communities, the
communities are laid out as one node each, then each community inside its own disc.
Cost grows about linearly with the graph (each spring layout is of at most `SMALL`
nodes), so 5,000 nodes take seconds, not minutes. Seeded: same graph, same picture.
"""
from __future__ import annotations

import math
from collections.abc import Hashable
from typing import Any

import networkx as nx

#: Largest group laid out with one spring layout (its cost grows with the square of it).
SMALL = 250
#: Distance between neighbouring nodes, in vis-network canvas units.
UNIT = 45.0
SEED = 0

Pos = dict[Hashable, tuple[float, float]]


def positions(G: nx.Graph, *, seed: int = SEED) -> dict[Any, tuple[float, float]]:
    """Return an (x, y) canvas position for every node of `G`; `G` is not mutated."""
    parts = sorted(nx.connected_components(G), key=lambda c: (-len(c), min(map(str, c))))
    laid = [_layout(G.subgraph(c), seed) for c in parts]
    return _pack(laid)


def _radius(n: int) -> float:
    """Return the radius of the disc that `n` nodes are spread over."""
    return UNIT * math.sqrt(max(n, 1))


def _layout(H: nx.Graph, seed: int) -> Pos:
    """Return positions of a connected graph centred on (0, 0) within `_radius(len(H))`."""
    n = len(H)
    if n == 1:
        return {next(iter(H)): (0.0, 0.0)}
    if n <= SMALL:
        return _scaled(nx.spring_layout(H, seed=seed, iterations=60), _radius(n))
    groups = [sorted(c, key=str) for c in nx.community.louvain_communities(H, seed=seed)]
    if len(groups) == 1:  # no community structure: a spiral in breadth-first order
        order = list(nx.bfs_tree(H, min(H, key=str)))
        return _scaled(dict(zip(order, nx.spiral_layout(order).values(), strict=True)),
                       _radius(n))
    groups.sort(key=lambda c: (-len(c), str(c[0])))
    quotient = nx.Graph()
    quotient.add_nodes_from(range(len(groups)))
    where = {v: i for i, c in enumerate(groups) for v in c}
    for a, b in H.edges():
        if where[a] != where[b]:
            quotient.add_edge(where[a], where[b])
    centres = _layout(quotient, seed) if nx.is_connected(quotient) else positions(quotient)
    spread = _radius(n) / max(_radius(len(quotient)), 1.0) * 1.2
    placed: Pos = {}
    for i, group in enumerate(groups):
        cx, cy = centres[i]
        sub = H.subgraph(group)
        inner = _layout(sub, seed) if nx.is_connected(sub) else positions(sub, seed=seed)
        for v, (x, y) in inner.items():
            placed[v] = (cx * spread + x, cy * spread + y)
    return _centred(placed)


def _scaled(pos: dict[Any, Any], radius: float) -> Pos:
    """Return `pos` centred on (0, 0) and scaled so its farthest node is at `radius`."""
    centred = _centred({v: (float(p[0]), float(p[1])) for v, p in pos.items()})
    far = max((math.hypot(x, y) for x, y in centred.values()), default=0.0) or 1.0
    return {v: (x * radius / far, y * radius / far) for v, (x, y) in centred.items()}


def _centred(pos: Pos) -> Pos:
    """Return `pos` moved so the middle of its bounding box is (0, 0)."""
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    mx, my = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return {v: (x - mx, y - my) for v, (x, y) in pos.items()}


def _pack(parts: list[Pos]) -> Pos:
    """Return the components `parts` (largest first) placed side by side in rows."""
    boxes = []
    for pos in parts:
        xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
        boxes.append((max(xs) - min(xs) + 2 * UNIT, max(ys) - min(ys) + 2 * UNIT))
    width = max([math.sqrt(sum(w * h for w, h in boxes)) * 1.3] + [w for w, _ in boxes])
    placed: Pos = {}
    x = y = row = 0.0
    for pos, (w, h) in zip(parts, boxes, strict=True):
        if x > 0 and x + w > width:
            x, y, row = 0.0, y + row, 0.0
        for v, (px, py) in pos.items():
            placed[v] = (round(x + w / 2 + px, 1), round(y + h / 2 + py, 1))
        x, row = x + w, max(row, h)
    return placed
