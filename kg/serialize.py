"""Canonical TriG and Turtle: the same triples always give the same bytes.

rdflib's serialisers order output by its store's insertion order, so two builds
of the same corpus could differ in layout. These writers sort everything:
graphs by IRI, subjects by IRI, `rdf:type` first and then predicates by IRI,
objects by kind and value. Literals keep their exact lexical form, so parsing
the output gives back the same terms. Blank nodes are written by their ids
(the pipeline mints none).
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from rdflib import RDF, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import DCTERMS, PROV, RDFS, SKOS, XSD
from rdflib.term import Node

from kg.vocab import DG, ID

ID_KINDS = ("agreement", "article", "country", "event", "initiative", "meeting", "organization",
            "partnership", "person", "place", "position", "statement")
PREFIXES: tuple[tuple[str, str], ...] = (
    ("dcterms", str(DCTERMS)), ("dg", str(DG._NS)), ("id", str(ID)), ("prov", str(PROV)),
    ("rdf", str(RDF)), ("rdfs", str(RDFS)), ("skos", str(SKOS)), ("xsd", str(XSD)),
    *((kind, f"{ID}{kind}/") for kind in ID_KINDS),
)
_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_\-]*[A-Za-z0-9_])?")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b",
            "\f": "\\f"}
_BY_LENGTH = sorted(PREFIXES, key=lambda p: len(p[1]), reverse=True)


def bind_prefixes(graph: Graph) -> None:
    """Bind the prefixes the canonical writers use on `graph` (mutated)."""
    for prefix, ns in PREFIXES:
        graph.bind(prefix, Namespace(ns), override=True)


def term(t: Node) -> str:
    """One term in Turtle syntax: a prefixed name where one is safe, else <IRI>."""
    if isinstance(t, URIRef):
        s = str(t)
        for prefix, ns in _BY_LENGTH:
            if s.startswith(ns) and _LOCAL.fullmatch(s[len(ns):]):
                return f"{prefix}:{s[len(ns):]}"
        return "<" + "".join(c if c not in '<>"{}|^`\\ ' else f"\\u{ord(c):04X}"
                             for c in s) + ">"
    if isinstance(t, Literal):
        text = '"' + "".join(_ESCAPES.get(c, c) for c in str(t)) + '"'
        if t.language:
            return f"{text}@{t.language}"
        if t.datatype is not None:
            return f"{text}^^{term(t.datatype)}"
        return text
    if isinstance(t, BNode):
        return f"_:{t}"
    raise TypeError(f"cannot write {t!r} as Turtle")


def _sort_key(t: Node) -> tuple[int, str, str, str]:
    rank = 0 if isinstance(t, URIRef) else 1 if isinstance(t, BNode) else 2
    if isinstance(t, Literal):
        return rank, str(t), str(t.datatype or ""), t.language or ""
    return rank, str(t), "", ""


def _block(triples: Iterable[tuple[Node, Node, Node]], indent: str) -> list[str]:
    by_subject: dict[Node, dict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
    for s, p, o in triples:
        by_subject[s][p].add(o)
    lines: list[str] = []
    for s in sorted(by_subject, key=_sort_key):
        preds = sorted(by_subject[s], key=lambda p: (p != RDF.type, str(p)))
        parts = []
        for p in preds:
            objs = " , ".join(term(o) for o in sorted(by_subject[s][p], key=_sort_key))
            parts.append(f"{'a' if p == RDF.type else term(p)} {objs}")
        lines.append(f"{indent}{term(s)} " + f" ;\n{indent}    ".join(parts) + " .")
    return lines


def _header() -> list[str]:
    return [f"@prefix {prefix}: <{ns}> ." for prefix, ns in sorted(PREFIXES)] + [""]


def turtle(graph: Graph | Iterable[tuple[Node, Node, Node]]) -> str:
    """The canonical Turtle of a graph (or of any iterable of triples, deduplicated)."""
    triples = set(graph)
    return "\n".join(_header() + _block(triples, "")) + "\n"


def trig(ds: Dataset) -> str:
    """The canonical TriG of a dataset: default-graph triples first, then each non-empty
    named graph in IRI order."""
    graphs: dict[Node, set[tuple[Node, Node, Node]]] = defaultdict(set)
    for s, p, o, c in ds.quads((None, None, None, None)):
        name = getattr(c, "identifier", c)
        graphs[name if name is not None else DATASET_DEFAULT_GRAPH_ID].add((s, p, o))
    lines = _header()
    default = graphs.pop(DATASET_DEFAULT_GRAPH_ID, set())
    if default:
        lines += _block(default, "") + [""]
    for name in sorted(graphs, key=_sort_key):
        lines.append(f"{term(name)} {{")
        lines += _block(graphs[name], "    ")
        lines += ["}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"
