"""Network analysis of a graph (networkx): importance, communities, counts, a timeline.

Used by `kg stats`, by the page (node size is `importance`) and by the analysis
notebook. Everything here is deterministic: the same graph gives the same numbers
(community detection and sampled betweenness use a fixed seed).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations
from typing import Any

import networkx as nx
from rdflib import Graph

from kg.graphview import network

#: Above this many nodes, betweenness centrality is estimated from this many sampled sources.
BETWEENNESS_SAMPLE = 500
SEED = 0


def drawn_graph(nodes: Iterable[dict[str, Any]], edges: Iterable[dict[str, Any]]) -> nx.Graph:
    """Return the undirected simple graph of `nodes` and `edges` as `kg.graphview.network` gives.

    Node attributes: ``label``, ``type``; parallel edges are merged (``weight`` counts them).
    """
    G = nx.Graph()
    for n in nodes:
        G.add_node(n["id"], label=n["label"], type=n["type"])
    for e in edges:
        if e["from"] == e["to"]:
            continue
        if G.has_edge(e["from"], e["to"]):
            G[e["from"]][e["to"]]["weight"] += 1
        else:
            G.add_edge(e["from"], e["to"], weight=1)
    return G


def entity_network(graph: Graph) -> nx.Graph:
    """Return the undirected graph of entities and meetings of a built graph (see `drawn_graph`)."""
    return drawn_graph(*network(graph))


def importance(G: nx.Graph) -> dict[str, float]:
    """Return each node's degree centrality scaled so the most connected node has 1.0."""
    if not len(G):
        return {}
    degree = nx.degree_centrality(G) if len(G) > 1 else {n: 0.0 for n in G}
    top = max(degree.values()) or 1.0
    return {n: value / top for n, value in degree.items()}


def central(G: nx.Graph, top: int = 10, *, skip: Iterable[str] = ("Meeting",)
            ) -> list[dict[str, Any]]:
    """Return the `top` nodes by degree centrality, with betweenness, label, type and degree.

    Centrality is computed on the whole of `G`; nodes of a type in `skip` are not listed.
    Betweenness is exact up to `BETWEENNESS_SAMPLE` nodes, estimated from that many
    sampled sources above (seeded).
    """
    if not len(G):
        return []
    degree = nx.degree_centrality(G) if len(G) > 1 else {n: 0.0 for n in G}
    k = BETWEENNESS_SAMPLE if len(G) > BETWEENNESS_SAMPLE else None
    between = nx.betweenness_centrality(G, k=k, seed=SEED)
    skipped = set(skip)
    listed = (n for n in G if G.nodes[n]["type"] not in skipped)
    ranked = sorted(listed, key=lambda n: (-degree[n], -between[n], G.nodes[n]["label"], n))[:top]
    return [{"id": n, "label": G.nodes[n]["label"], "type": G.nodes[n]["type"],
             "degree": G.degree(n), "degree_centrality": round(degree[n], 4),
             "betweenness": round(between[n], 4)} for n in ranked]


def communities(G: nx.Graph, *, min_size: int = 2) -> list[list[str]]:
    """Return communities (Louvain, seeded) of at least `min_size` nodes, largest first.

    Each community is a list of node ids, most connected first.
    """
    if not G.number_of_edges():
        return []
    found = nx.community.louvain_communities(G, weight="weight", seed=SEED)
    groups = [sorted(c, key=lambda n: (-G.degree(n), G.nodes[n]["label"], n))
              for c in found if len(c) >= min_size]
    return sorted(groups, key=lambda c: (-len(c), G.nodes[c[0]]["label"], c[0]))


def stats(graph: Graph, *, top: int = 10, members: int = 8) -> dict[str, Any]:
    """Return counts, the `top` most central entities and the communities of a built graph.

    Keys: ``nodes``, ``edges``, ``types`` (nodes per type), ``relations`` (edges per kind),
    ``components``, ``largest_component``, ``density``, ``central`` (see `central`) and
    ``communities`` (size, and the labels of up to `members` most connected members that
    are not meetings).
    """
    nodes, edges = network(graph)
    G = drawn_graph(nodes, edges)
    parts = list(nx.connected_components(G))
    groups = communities(G)
    return {
        "nodes": len(nodes),
        "edges": len(edges),
        "types": dict(sorted(Counter(n["type"] for n in nodes).items())),
        "relations": dict(sorted(Counter(e["kind"] for e in edges).items())),
        "components": len(parts),
        "largest_component": max((len(p) for p in parts), default=0),
        "density": round(nx.density(G), 6) if len(G) > 1 else 0.0,
        "central": central(G, top),
        "communities": [{"size": len(c), "members": [G.nodes[n]["label"] for n in c
                                                     if G.nodes[n]["type"] != "Meeting"][:members]}
                        for c in groups],
    }


def timeline(graph: Graph) -> list[dict[str, str]]:
    """Return one row per (meeting or agreement, pair of countries involved), by date.

    A meeting involves the countries among its participants and the countries where its
    participants hold a post; an agreement, its party countries and its signatories'
    countries. Row keys: ``date`` (the node's date, or the date it was first reported),
    ``kind`` ("meeting" or "agreement"), ``a`` and ``b`` (country names, a < b), ``pair``
    ("a \u2013 b"), ``label`` and ``id`` of the meeting or agreement. Undated ones are left out.
    """
    nodes, edges = network(graph)
    by_id = {n["id"]: n for n in nodes}
    countries_of: dict[str, set[str]] = defaultdict(set)  # person -> countries of their posts
    involved: dict[str, set[str]] = defaultdict(set)  # meeting/agreement -> countries
    for e in edges:
        a, b = by_id[e["from"]], by_id[e["to"]]
        if e["kind"] == "holds" and b["type"] == "Country":
            countries_of[a["id"]].add(b["label"])
    for e in edges:
        a, b = by_id[e["from"]], by_id[e["to"]]
        if e["kind"] in ("participant", "signatory"):
            thing, who = b, a
        elif e["kind"] == "party":
            thing, who = a, b
        else:
            continue
        if who["type"] == "Country":
            involved[thing["id"]].add(who["label"])
        involved[thing["id"]] |= countries_of[who["id"]]
    rows = []
    for thing_id, names in involved.items():
        item = by_id[thing_id]
        if not item["when"] or item["type"] not in ("Meeting", "Agreement"):
            continue
        for one, two in combinations(sorted(names), 2):
            rows.append({"date": item["when"], "kind": item["type"].lower(), "a": one,
                         "b": two, "pair": f"{one} \u2013 {two}", "label": item["label"],
                         "id": thing_id})
    return sorted(rows, key=lambda r: (r["date"], r["pair"], r["kind"], r["id"]))
