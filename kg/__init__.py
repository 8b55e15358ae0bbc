"""diplograph: news about international relations -> an RDF knowledge graph with evidence.

The public API (see `kg.api`):

- `build(sources, out=None)` read, extract, resolve and build a graph
- `open_graph(folder)`       the rdflib Dataset of a built folder
- `query(graph, sparql)`     run SPARQL, get a Table of strings
- `query_named(graph, name, params)`  run a query of kg/queries with bindings
- `render(graph, path)`      write the self-contained HTML page (optionally narrowed)
- `stats(graph)`             counts, most central entities, communities (networkx)
- `timeline(graph)`          meetings and agreements per pair of countries, by date
- `entity_network(graph)`    the drawn graph as a networkx Graph, for your own analysis
"""
from __future__ import annotations

__version__ = "0.1.0"

from kg.api import (
    BuildResult,
    build,
    entity_network,
    open_graph,
    query,
    query_named,
    render,
    stats,
    timeline,
)

__all__ = ["BuildResult", "build", "entity_network", "open_graph", "query", "query_named",
           "render", "stats", "timeline", "__version__"]
