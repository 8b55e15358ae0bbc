"""A read-only query engine over a built graph: the one seam between serving and storage.

`kg.server` talks only to an `Engine`, so a faster store (an on-disk Oxigraph
store) can replace the rdflib Dataset behind it without touching the HTTP
layer. An engine parses a query, refuses what a public read-only endpoint must
not run (updates, SERVICE, FROM), evaluates it and hands back an `Answer` of
rdflib terms, capped at `max_rows` rows or triples.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from pyparsing import ParseResults
from rdflib import Graph, Namespace
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import ResultRow
from rdflib.term import Identifier
from rdflib.term import Literal as RdfLiteral

from kg.errors import QueryError, QueryRefusedError, ResultTooLargeError

Kind = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]
PREFIXES: dict[str, Namespace] = {
    "dg": Namespace("https://w3id.org/diplograph/ontology#"),
    "id": Namespace("https://w3id.org/diplograph/id/"),
    "rdf": Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    "rdfs": Namespace("http://www.w3.org/2000/01/rdf-schema#"),
    "skos": Namespace("http://www.w3.org/2004/02/skos/core#"),
    "prov": Namespace("http://www.w3.org/ns/prov#"),
    "xsd": Namespace("http://www.w3.org/2001/XMLSchema#"),
}
READ_ONLY = ("this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, "
             "CREATE, ADD, MOVE, COPY) is refused")
NO_SERVICE = ("federated queries are refused: this endpoint does not run SERVICE clauses "
              "(it never calls other servers)")
NO_FROM = ("FROM and FROM NAMED are refused: the dataset is fixed (the union of every "
           "article's named graph); use GRAPH patterns to select articles")
# the first keyword of an update operation, after any PREFIX/BASE declarations
_UPDATE_START = re.compile(
    r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>|#[^\n]*)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.I)


@dataclass
class Answer:
    """What a query gave: rows for SELECT, a boolean for ASK, a graph for CONSTRUCT/DESCRIBE."""

    kind: Kind
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Identifier | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None


class Engine(Protocol):
    """A read-only SPARQL engine. `run` raises QueryError and its subclasses."""

    def run(self, sparql: str, bindings: dict[str, Any] | None = None, *,
            max_rows: int = 100_000, timeout: float | None = None) -> Answer:
        """Evaluate `sparql` with `bindings` (values, never text) and return at most max_rows;
        an engine that can stop a query itself does so past `timeout` seconds."""
        ...


def refuse_updates(sparql: str) -> None:
    """Raise QueryRefusedError if `sparql` is a SPARQL Update request (however malformed)."""
    if _UPDATE_START.match(sparql):
        raise QueryRefusedError(READ_ONLY)
    try:
        parseUpdate(sparql)
    except Exception:  # noqa: BLE001 - not an update: the caller reports the query's own error
        return
    raise QueryRefusedError(READ_ONLY)


def _walk(node: object) -> Any:
    """Every CompValue in a parse tree (depth first)."""
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple | ParseResults):
        for item in node:
            yield from _walk(item)


def check_parsed(tree: object) -> None:
    """Refuse what a read-only endpoint must not run: SERVICE (federation) and FROM clauses."""
    for node in _walk(tree):
        if node.name == "ServiceGraphPattern":
            raise QueryRefusedError(NO_SERVICE)
        if node.name.endswith("Query") and dict.get(node, "datasetClause"):
            raise QueryRefusedError(NO_FROM)


def _term(value: Any) -> Identifier:
    return value if isinstance(value, Identifier) else RdfLiteral(value)


class RdflibEngine:
    """An Engine over an rdflib graph (a Dataset with default_union=True for built folders)."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    @classmethod
    def from_folder(cls, folder: Path) -> RdflibEngine:
        """Load a built folder (or RDF file) with `kg.store.load`. Raises GraphNotFoundError."""
        from kg.store import load

        return cls(load(Path(folder)))

    def __len__(self) -> int:
        return len(self.graph)

    def prepare(self, sparql: str) -> Query:
        """Parse and check a query. Raises QueryRefusedError or QueryError (malformed)."""
        from rdflib.plugins.sparql.algebra import translateQuery

        try:
            tree = parseQuery(sparql)
        except Exception as exc:  # pyparsing raises its own errors
            refuse_updates(sparql)
            raise QueryError(f"malformed SPARQL query: {exc}") from exc
        check_parsed(tree)
        try:
            return translateQuery(tree, initNs=dict(PREFIXES))
        except Exception as exc:  # unknown prefix and other translation errors
            raise QueryError(f"malformed SPARQL query: {exc}") from exc

    def run(self, sparql: str, bindings: dict[str, Any] | None = None, *,
            max_rows: int = 100_000, timeout: float | None = None) -> Answer:
        """Evaluate a query; raises ResultTooLargeError past `max_rows` rows or triples.

        rdflib evaluates in Python: `timeout` is left to the caller's thread interrupt
        (`kg.server.Runner`)."""
        query = self.prepare(sparql)
        init = {k: _term(v) for k, v in (bindings or {}).items()}
        try:
            result = self.graph.query(query, initBindings=init)
            kind: Kind = result.type  # type: ignore[assignment]
            if kind == "ASK":
                return Answer(kind, boolean=bool(result.askAnswer))
            if kind in ("CONSTRUCT", "DESCRIBE"):
                graph = result.graph if result.graph is not None else Graph()
                if len(graph) > max_rows:
                    raise ResultTooLargeError(max_rows, "triples")
                return Answer(kind, graph=graph)
            rows: list[tuple[Identifier | None, ...]] = []
            for row in result:
                if len(rows) == max_rows:
                    raise ResultTooLargeError(max_rows)
                if isinstance(row, ResultRow):
                    rows.append(tuple(row))
            return Answer(kind, [str(v) for v in result.vars or []], rows)
        except QueryError:
            raise
        except Exception as exc:  # evaluation errors of rdflib
            raise QueryError(f"SPARQL error: {exc}") from exc
