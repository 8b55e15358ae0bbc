"""Check a graph against `ontology/shapes.ttl`.

The merged graph (the union of the article graphs) is validated, so a shape
sees every statement about a node whichever article made it. The shapes are
compiled to SPARQL (kg/shacl.py) and run by Oxigraph: on a built folder's
on-disk store directly, whatever its size; an rdflib graph is copied into an
in-memory store first. `engine="pyshacl"` runs pySHACL instead (the reference
the compiled checks are tested against; slow past a few hundred thousand triples).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from rdflib import Dataset, Graph
from rdflib.namespace import RDF, RDFS

from kg.shacl import SH, ShapesError, default_checks, run
from kg.store import union

log = logging.getLogger(__name__)

SHOWN = 5
Engine = Literal["oxigraph", "pyshacl"]

__all__ = ["SHOWN", "ShapesError", "ValidationReport", "shapes_path", "validate",
           "validate_store"]


@dataclass
class ValidationReport:
    """The outcome of one validation: how many violations, and the first few, readable."""

    conforms: bool
    violations: int
    messages: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"conforms": self.conforms, "violations": self.violations,
                "messages": self.messages}

    def summary(self) -> str:
        if self.conforms:
            return "valid (ontology/shapes.ttl): no violation"
        return f"{self.violations} SHACL violation(s)"


def shapes_path() -> Path:
    """Return the path of `shapes.ttl`: the repository's `ontology/`, else the package's."""
    package_dir = Path(__file__).resolve().parent
    repo_copy = package_dir.parent / "ontology" / "shapes.ttl"
    if repo_copy.is_file():
        return repo_copy
    return package_dir / "ontology" / "shapes.ttl"


@cache
def shapes_graph() -> Graph:
    """The shapes of ontology/shapes.ttl (parsed once per process)."""
    try:
        return Graph().parse(shapes_path(), format="turtle")
    except Exception as exc:  # rdflib raises several kinds on bad Turtle
        raise ShapesError(f"{shapes_path()}: not readable Turtle: {exc}") from exc


@cache
def ontology_classes() -> Graph:
    """The subclass axioms of the ontology (so dg:Person counts as a dg:Agent)."""
    from kg.vocab import ontology_path

    onto = Graph().parse(ontology_path(), format="turtle")
    g = Graph()
    for s, o in onto.subject_objects(RDFS.subClassOf):
        g.add((s, RDFS.subClassOf, o))
    return g


def validate_store(store: Any, *, shown: int = SHOWN) -> ValidationReport:
    """Validate the default (merged) graph of a pyoxigraph Store against the shapes."""
    messages = sorted(run(store, default_checks()))
    return ValidationReport(not messages, len(messages), messages[:shown])


def validate(graph: Graph | Dataset, *, shown: int = SHOWN,
             engine: Engine = "oxigraph") -> ValidationReport:
    """Validate `graph` (a Dataset is validated as its union) against the shapes."""
    if engine == "pyshacl":
        return _pyshacl(graph, shown)
    import pyoxigraph as ox

    from kg.sparqltext import term

    triples = ((s, p, o) for s, p, o, _ in graph.quads((None, None, None, None))) \
        if isinstance(graph, Dataset) else iter(graph)
    st = ox.Store()  # the merged graph in the default graph, as a build's store holds it
    st.bulk_extend(ox.Quad(term(s), term(p), term(o), ox.DefaultGraph())  # type: ignore[arg-type]
                   for s, p, o in triples)
    return validate_store(st, shown=shown)


def _pyshacl(graph: Graph | Dataset, shown: int) -> ValidationReport:
    from pyshacl import validate as shacl

    data = union(graph) if isinstance(graph, Dataset) else graph
    conforms, report, _ = shacl(data, shacl_graph=shapes_graph(), ont_graph=ontology_classes(),
                                inference="none", advanced=True, allow_warnings=True)
    if not isinstance(report, Graph):  # pySHACL could not run the shapes
        raise ShapesError(f"{shapes_path()}: {report}")
    results = sorted(report.subjects(RDF.type, SH.ValidationResult), key=str)
    messages = sorted(_message(report, r) for r in results)
    return ValidationReport(bool(conforms), len(results), messages[:shown])


def _message(report: Graph, result: Any) -> str:
    focus = report.value(result, SH.focusNode)
    path = report.value(result, SH.resultPath)
    text = report.value(result, SH.resultMessage)
    where = f"{focus}" + (f" {str(path).rsplit('#', 1)[-1]}" if path is not None else "")
    return f"{where}: {text}"
