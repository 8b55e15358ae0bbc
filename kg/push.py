"""Push a built graph into any SPARQL 1.1 Graph Store, one named graph per article (`kg push`).

Each article's named graph is sent as N-Triples with an HTTP PUT to
`GRAPH_STORE?graph=<article IRI>` (SPARQL 1.1 Graph Store HTTP Protocol,
indirect graph identification), so pushing again replaces rather than
duplicates. Afterwards the SPARQL endpoint is asked how many triples each
graph holds, and any difference is an error.

Graph Store URLs of common servers: Oxigraph `http://HOST:7878/store` (its
query endpoint is `/query`), Jena Fuseki `http://HOST:3030/DATASET/data`,
GraphDB `http://HOST:7200/repositories/REPO/rdf-graphs/service`.
"""
from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from rdflib import Dataset, Graph

from kg.errors import PushError

log = logging.getLogger(__name__)
COUNT_QUERY = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@dataclass(frozen=True)
class PushReport:
    """What was pushed: graphs and triples sent, where, and whether the endpoint confirmed it."""

    graphs: int
    triples: int
    graph_store: str
    verified: bool


def graph_store_url(endpoint: str) -> str:
    """The Graph Store URL beside a query endpoint, Oxigraph-style: `.../query` -> `.../store`.

    The endpoint's last path segment is replaced by `store`; give the URL
    explicitly for servers laid out otherwise (Fuseki's `/DATASET/data`).
    """
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PushError(f"{endpoint}: not an http(s) URL of a SPARQL endpoint")
    head = parts.path.rstrip("/").rsplit("/", 1)[0] if parts.path.strip("/") else ""
    return urlunsplit((parts.scheme, parts.netloc, f"{head}/store", "", ""))


def _graph_url(graph_store: str, iri: str) -> str:
    return graph_store + ("&" if "?" in graph_store else "?") + urlencode({"graph": iri})


def _send(request: urllib.request.Request, timeout: float, what: str) -> bytes:
    """The response body of `request`. Raises PushError naming `what` and the server's answer."""
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return bytes(response.read())
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", "replace").strip()[:300]
        raise PushError(f"{what}: the server answered {exc.code} {exc.reason}: {body}") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise PushError(f"{what}: cannot reach {request.full_url}: {reason}") from exc


def article_graphs(ds: Dataset) -> list[Graph]:
    """The non-empty named graphs of `ds` (the articles), in IRI order; not the default graph."""
    default = ds.default_graph.identifier
    graphs = [g for g in ds.graphs() if g.identifier != default and len(g)]
    return sorted(graphs, key=lambda g: str(g.identifier))


def remote_counts(endpoint: str, *, timeout: float = 60.0) -> dict[str, int]:
    """Named graph IRI -> triple count, as the SPARQL endpoint at `endpoint` reports them."""
    request = urllib.request.Request(
        endpoint + ("&" if "?" in endpoint else "?") + urlencode({"query": COUNT_QUERY}),
        headers={"Accept": "application/sparql-results+json"})
    body = _send(request, timeout, "counting the pushed triples")
    try:
        rows = json.loads(body)["results"]["bindings"]
        return {r["g"]["value"]: int(r["n"]["value"]) for r in rows}
    except (ValueError, KeyError, TypeError) as exc:
        raise PushError(f"{endpoint}: not a SPARQL JSON answer to a COUNT query") from exc


@dataclass(frozen=True)
class Outgoing:
    """One named graph to send: its IRI, its triple count and how to get its N-Triples."""

    iri: str
    triples: int
    ntriples: Callable[[], bytes]


def dataset_graphs(ds: Dataset) -> list[Outgoing]:
    """The article graphs of an rdflib Dataset, to send."""
    return [Outgoing(str(g.identifier), len(g),
                     lambda g=g: g.serialize(format="nt", encoding="utf-8"))  # type: ignore[misc]
            for g in article_graphs(ds)]


def store_graphs(store: Any) -> list[Outgoing]:
    """The named graphs of a pyoxigraph Store (a built folder's), to send: each dumped as
    N-Triples when it is sent, so the graph is never whole in memory."""
    import pyoxigraph as ox

    counts = {row["g"].value: int(row["n"].value) for row in store.query(COUNT_QUERY)}

    def dump(iri: str) -> bytes:
        return bytes(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(iri)))

    return [Outgoing(iri, n, lambda iri=iri: dump(iri))  # type: ignore[misc]
            for iri, n in sorted(counts.items()) if n]


def push(source: Dataset | list[Outgoing], graph_store: str, *, endpoint: str | None = None,
         timeout: float = 60.0, progress: Callable[[int, int], None] | None = None
         ) -> PushReport:
    """PUT every article's named graph of `source` (a Dataset, or `store_graphs` of a built
    folder's store) into `graph_store`, then verify through `endpoint`.

    Replaces those graphs on the server (other graphs are left alone); the local
    graph is not changed. `progress(done, total)` is called after each graph.
    Raises PushError on the first graph refused, or if the counts differ.
    """
    graphs = dataset_graphs(source) if isinstance(source, Dataset) else source
    for i, graph in enumerate(graphs, start=1):
        request = urllib.request.Request(
            _graph_url(graph_store, graph.iri), data=graph.ntriples(), method="PUT",
            headers={"Content-Type": "application/n-triples"})
        _send(request, timeout, f"graph <{graph.iri}>")
        if progress:
            progress(i, len(graphs))
    triples = sum(g.triples for g in graphs)
    log.info("pushed %d graphs, %d triples to %s", len(graphs), triples, graph_store)
    if endpoint is None:
        return PushReport(len(graphs), triples, graph_store, verified=False)
    counts = remote_counts(endpoint, timeout=timeout)
    wrong = [(g.iri, g.triples, counts.get(g.iri, 0)) for g in graphs
             if counts.get(g.iri, 0) != g.triples]
    if wrong:
        iri, mine, theirs = wrong[0]
        raise PushError(f"{endpoint}: {len(wrong)} graph(s) differ after the push, e.g. <{iri}> "
                        f"has {theirs} triples there, {mine} here")
    return PushReport(len(graphs), triples, graph_store, verified=True)
