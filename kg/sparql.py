"""SPARQL over a built graph: ad-hoc queries and named ones from kg/queries/*.rq.

User values enter a query only as bindings (`initBindings`), never by string
formatting: news text and command-line values are untrusted.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.query import Result, ResultRow
from rdflib.term import Identifier

from kg.engine import Answer, Kind
from kg.errors import QueryError

PREFIXES = """PREFIX dg: <https://w3id.org/diplograph/ontology#>
PREFIX id: <https://w3id.org/diplograph/id/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


@dataclass(frozen=True)
class Table:
    """A SELECT result as plain strings: column names and rows."""

    columns: list[str]
    rows: list[list[str | None]]

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(self.columns)
        w.writerows([["" if v is None else v for v in r] for r in self.rows])
        return buf.getvalue()

    def to_json(self) -> str:
        return json.dumps([dict(zip(self.columns, r, strict=True)) for r in self.rows],
                          ensure_ascii=False, indent=1)


def named_queries() -> dict[str, str]:
    """Name -> SPARQL text of every query shipped in kg/queries."""
    folder = resources.files("kg") / "queries"
    return {p.name[:-3]: p.read_text(encoding="utf-8")
            for p in sorted(folder.iterdir(), key=lambda p: p.name) if p.name.endswith(".rq")}


def describe(text: str) -> str:
    """The header comment of a .rq file (what it answers, its parameters)."""
    lines = [ln[1:].strip() for ln in text.splitlines() if ln.startswith("#")]
    return " ".join(lines)


def run(graph: Graph, sparql: str, bindings: dict[str, Any] | None = None) -> Result:
    """Run a SPARQL query; common prefixes are predeclared. Raises QueryError."""
    text = sparql if re.search(r"^\s*PREFIX\s+dg:", sparql, re.I | re.M) else PREFIXES + sparql
    init = {k: v if isinstance(v, URIRef | Literal) else Literal(v)
            for k, v in (bindings or {}).items()}
    try:
        return graph.query(text, initBindings=init)
    except Exception as exc:  # rdflib raises pyparsing and assorted errors
        raise QueryError(f"SPARQL error: {exc}") from exc


def answer_table(answer: Answer) -> Table:
    """An engine's SELECT or ASK answer as a Table (ASK gives one boolean column)."""
    if answer.kind == "ASK":
        return Table(["ask"], [[str(bool(answer.boolean)).lower()]])
    if answer.kind != "SELECT":
        raise QueryError("only SELECT and ASK results can be shown as a table; use CONSTRUCT "
                         "through the Python API")
    return Table(list(answer.variables),
                 [[None if v is None else str(v) for v in row] for row in answer.rows])


def table(result: Result) -> Table:
    """An rdflib SELECT or ASK result as a Table (ASK gives one boolean column)."""
    rows: list[tuple[Identifier | None, ...]] = []
    if result.type == "SELECT":
        rows = [tuple(row) for row in result if isinstance(row, ResultRow)]
    kind: Kind = result.type  # type: ignore[assignment]
    return answer_table(Answer(kind, [str(v) for v in result.vars or []], rows,
                               boolean=result.askAnswer))
