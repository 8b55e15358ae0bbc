"""Check a graph against `ontology/shapes.ttl` with pySHACL.

The merged graph (the union of the article graphs) is validated, so a shape
sees every statement about a node whichever article made it.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, Namespace
from rdflib.namespace import RDF, RDFS

from kg.errors import KGError
from kg.store import union

log = logging.getLogger(__name__)

SH = Namespace("http://www.w3.org/ns/shacl#")
SHOWN = 5


class ShapesError(KGError):
    """The shapes file cannot be used (malformed shapes or an unsupported constraint)."""


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
def _shapes() -> Graph:
    return Graph().parse(shapes_path(), format="turtle")


@cache
def _ontology_classes() -> Graph:
    """The subclass axioms of the ontology (so dg:Person counts as a dg:Agent)."""
    from kg.vocab import ontology_path

    onto = Graph().parse(ontology_path(), format="turtle")
    g = Graph()
    for s, o in onto.subject_objects(RDFS.subClassOf):
        g.add((s, RDFS.subClassOf, o))
    return g


def validate(graph: Graph | Dataset, *, shown: int = SHOWN) -> ValidationReport:
    """Validate `graph` (a Dataset is validated as its union) against the shapes."""
    from pyshacl import validate as shacl

    data = union(graph) if isinstance(graph, Dataset) else graph
    conforms, report, _ = shacl(data, shacl_graph=_shapes(), ont_graph=_ontology_classes(),
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
