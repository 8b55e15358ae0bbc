"""SHACL shapes compiled to SPARQL and run by Oxigraph, on a store of any size.

`ontology/shapes.ttl` uses a small part of SHACL: node shapes with class
targets or a SPARQL target; property shapes on a single predicate with
minCount, maxCount, datatype, class, minInclusive, maxInclusive and `or` of
datatypes; SPARQL constraints. Each constraint becomes one SELECT whose rows
are its violations (one per focus node for counts, one per value node for the
others, one per row for SPARQL constraints, as SHACL reports them). A shape
using anything else is refused with ShapesError, never silently skipped.
tests/test_shacl.py checks that the results equal pySHACL's on graphs that
break every constraint.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD

from kg.errors import KGError

SH = Namespace("http://www.w3.org/ns/shacl#")

# the SHACL words this compiler understands; anything else in a shape is refused
_NODE_WORDS = {RDF.type, SH.targetClass, SH.target, SH.property, SH.sparql, SH.message,
               RDFS.comment, RDFS.label}
_PROPERTY_WORDS = {SH.path, SH.minCount, SH.maxCount, SH.datatype, SH["class"],
                   SH.minInclusive, SH.maxInclusive, SH["or"], SH.message, RDFS.comment,
                   SH.name, SH.description}
# datatypes whose lexical form Oxigraph can check with a cast (an ill-formed literal fails)
_CASTABLE = {XSD.date, XSD.gYear, XSD.gYearMonth, XSD.dateTime, XSD.decimal, XSD.integer,
             XSD.double, XSD.float, XSD.boolean}


class ShapesError(KGError):
    """The shapes file cannot be used (malformed shapes or an unsupported constraint)."""


@dataclass(frozen=True)
class Check:
    """One constraint as SPARQL: each row of `query` (?this, and ?p ?value for SPARQL
    constraints) is one violation, reported with `message` at `path`."""

    query: str
    message: str
    path: str | None = None


def compile_shapes(shapes: Graph, ontology: Graph) -> list[Check]:
    """Every constraint of the node shapes of `shapes`, as Checks (subclasses from
    `ontology`'s rdfs:subClassOf). Raises ShapesError for what it does not support."""
    checks: list[Check] = []
    for shape in sorted(shapes.subjects(RDF.type, SH.NodeShape), key=str):
        _only(shapes, shape, _NODE_WORDS, "node shape")
        target = _target(shapes, shape, ontology)
        for prop in sorted(shapes.objects(shape, SH.property), key=str):
            checks += _property_checks(shapes, prop, target, ontology)
        for constraint in shapes.objects(shape, SH.sparql):
            select = shapes.value(constraint, SH.select)
            if select is None:
                raise ShapesError(f"{_name(shape)}: a sh:sparql constraint without sh:select")
            inner = re.sub(r"\$this\b", "?this", str(select))
            checks.append(Check(f"SELECT ?this ?p ?value WHERE {{ {target} {{ {inner} }} }}",
                                _text(shapes, constraint, shape)))
    return checks


def run(store: Any, checks: Iterable[Check]) -> Iterator[str]:
    """The message of every violation of `checks` in `store` (a pyoxigraph Store whose
    default graph is the merged graph): "FOCUS [path]: message"."""
    from kg.oxstore import OX_PREFIXES

    for check in checks:
        for row in store.query(check.query, prefixes=OX_PREFIXES):
            focus = row["this"].value
            where = focus if check.path is None else f"{focus} {check.path}"
            yield f"{where}: {_fill(check.message, row)}"


@cache
def default_checks() -> tuple[Check, ...]:
    """The compiled checks of ontology/shapes.ttl (compiled once per process)."""
    from kg.validate import ontology_classes, shapes_graph

    return tuple(compile_shapes(shapes_graph(), ontology_classes()))


# --- compiling ------------------------------------------------------------------------------
def _target(shapes: Graph, shape: Any, ontology: Graph) -> str:
    """A group binding ?this to each focus node of `shape`, once."""
    classes = sorted({c for t in shapes.objects(shape, SH.targetClass)
                      for c in _subclasses(ontology, t)}, key=str)
    parts = []
    if classes:
        values = " ".join(f"<{c}>" for c in classes)
        parts.append(f"{{ SELECT DISTINCT ?this WHERE {{ VALUES ?cls {{ {values} }} "
                     f"?this a ?cls }} }}")
    for target in shapes.objects(shape, SH.target):
        select = shapes.value(target, SH.select)
        if (target, RDF.type, SH.SPARQLTarget) not in shapes or select is None:
            raise ShapesError(f"{_name(shape)}: only class targets and SPARQL targets "
                              "(sh:SPARQLTarget with sh:select) are supported")
        parts.append(f"{{ {select} }}")
    if not parts:
        raise ShapesError(f"{_name(shape)}: a node shape without a target")
    return parts[0] if len(parts) == 1 else "{ " + " UNION ".join(parts) + " }"


def _property_checks(shapes: Graph, prop: Any, target: str, ontology: Graph) -> list[Check]:
    """One Check per constraint of the property shape `prop`."""
    _only(shapes, prop, _PROPERTY_WORDS, "property shape")
    path = shapes.value(prop, SH.path)
    if not isinstance(path, URIRef):
        raise ShapesError(f"{_name(prop)}: only single-predicate sh:path is supported")
    message = _text(shapes, prop, prop)
    local = str(path).rsplit("#", 1)[-1].rsplit("/", 1)[-1]

    def check(query: str) -> Check:
        return Check(query, message, local)

    def values(condition: str) -> Check:  # one violation per value node failing `condition`
        return check(f"SELECT ?this ?value WHERE {{ {target} ?this <{path}> ?value "
                     f"FILTER(!COALESCE({condition}, false)) }}")

    out = []
    low, high = shapes.value(prop, SH.minCount), shapes.value(prop, SH.maxCount)
    if low is not None and int(low) > 0:
        out.append(check(f"SELECT ?this WHERE {{ {target} OPTIONAL {{ ?this <{path}> ?v }} }} "
                         f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {int(low)})"))
    if high is not None:
        out.append(check(f"SELECT ?this WHERE {{ {target} ?this <{path}> ?v }} "
                         f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {int(high)})"))
    datatype = shapes.value(prop, SH.datatype)
    if datatype is not None:
        out.append(values(_datatype_ok(datatype)))
    alternatives = shapes.value(prop, SH["or"])
    if alternatives is not None:
        out.append(values(" || ".join(_datatype_ok(_or_datatype(shapes, a, prop))
                                      for a in Collection(shapes, alternatives))))
    cls = shapes.value(prop, SH["class"])
    if cls is not None:
        kinds = " ".join(f"<{c}>" for c in sorted(_subclasses(ontology, cls), key=str))
        out.append(values(f"EXISTS {{ VALUES ?kind {{ {kinds} }} ?value a ?kind }}"))
    for word, op in ((SH.minInclusive, ">="), (SH.maxInclusive, "<=")):
        bound = shapes.value(prop, word)
        if bound is not None:
            out.append(values(f"?value {op} {_literal(bound)}"))
    return out


def _datatype_ok(datatype: Any) -> str:
    """A SPARQL condition: ?value is a well-formed literal of `datatype`."""
    condition = f"(isLITERAL(?value) && DATATYPE(?value) = <{datatype}>"
    if datatype in _CASTABLE:  # the lexical form must parse too ("2024-02-30" is no date)
        condition += f" && STRLEN(STR(<{datatype}>(STR(?value)))) >= 0"
    return condition + ")"


def _or_datatype(shapes: Graph, alternative: Any, prop: Any) -> Any:
    """The datatype of one sh:or alternative (only `[ sh:datatype X ]` is supported)."""
    datatype = shapes.value(alternative, SH.datatype)
    extra = set(shapes.predicates(alternative)) - {SH.datatype}
    if datatype is None or extra:
        raise ShapesError(f"{_name(prop)}: sh:or is supported only over [ sh:datatype X ]")
    return datatype


def _subclasses(ontology: Graph, cls: Any) -> set[Any]:
    """`cls` and all its subclasses (transitively)."""
    found, todo = {cls}, [cls]
    while todo:
        for sub in ontology.subjects(RDFS.subClassOf, todo.pop()):
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


def _only(shapes: Graph, node: Any, allowed: set[Any], what: str) -> None:
    for word in set(shapes.predicates(node)) - allowed:
        raise ShapesError(f"{_name(node)}: {word} in a {what} is not supported by the "
                          "store validator (kg/shacl.py)")


def _literal(value: Any) -> str:
    if not isinstance(value, Literal) or not isinstance(value.toPython(), int | float):
        raise ShapesError(f"a numeric bound was expected, not {value!r}")
    return str(value.toPython())


def _text(shapes: Graph, node: Any, shape: Any) -> str:
    message = shapes.value(node, SH.message)
    return str(message) if message is not None else f"violates {_name(shape)}"


def _name(node: Any) -> str:
    return "a blank-node shape" if isinstance(node, BNode) else str(node)


def _fill(message: str, row: Any) -> str:
    """`message` with {$this} and {?var} replaced by the row's values."""
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        term = row[name] if name in _VARS else None
        return term.value if term is not None else match.group(0)

    return _PLACEHOLDER.sub(value, message)


_VARS = ("this", "p", "value")
_PLACEHOLDER = re.compile(r"\{[$?](\w+)\}")
