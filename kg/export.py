"""A built graph -> files in other formats: RDF serialisations, GraphML, GEXF, CSV."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import networkx as nx
from rdflib import RDF, RDFS, Dataset, Graph
from rdflib.namespace import PROV
from rdflib.term import Node

from kg.errors import KGError
from kg.store import union, write_atomic
from kg.vocab import CORE_FACT_PREDICATES, DG

RDF_FORMATS = {"ttl": "turtle", "trig": "trig", "nq": "nquads", "jsonld": "json-ld"}


def export_graph(ds: Dataset, fmt: str, output: Path) -> Path:
    """Write `ds` to `output` in `fmt` (ttl trig nq jsonld graphml gexf csv), atomically."""
    if fmt in {"ttl"}:
        data = union(ds).serialize(format="turtle")
    elif fmt in RDF_FORMATS:
        data = ds.serialize(format=RDF_FORMATS[fmt])
    elif fmt in ("graphml", "gexf"):
        buf = io.BytesIO()
        write = nx.write_graphml if fmt == "graphml" else nx.write_gexf
        write(_xml_safe(entity_graph(ds)), buf)
        return write_atomic(Path(output), buf.getvalue())
    elif fmt == "csv":
        data = facts_csv(ds)
    else:
        raise KGError(f"unknown export format {fmt!r}; known: ttl, trig, nq, jsonld, graphml, "
                      "gexf, csv")
    return write_atomic(Path(output), data)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """`G` with the characters XML 1.0 cannot hold replaced by spaces in every string
    attribute (mutated and returned): a label with a control character stays exportable."""
    def clean(attrs: dict[str, object]) -> None:
        for k, v in attrs.items():
            if isinstance(v, str) and _NOT_XML.search(v):
                attrs[k] = _NOT_XML.sub(" ", v)

    for _, attrs in G.nodes(data=True):
        clean(attrs)
    for _, _, attrs in G.edges(data=True):
        clean(attrs)
    return G


def _label(g: Graph, node: Node | None) -> str:
    return str(g.value(node, RDFS.label) or node)


def _type(g: Graph, node: Node) -> str:
    types = sorted(str(t).rsplit("#", 1)[-1] for t in g.objects(node, RDF.type)
                   if str(t).startswith(str(DG._NS)))
    return types[0] if types else ""


def entity_graph(ds: Dataset) -> nx.MultiDiGraph:
    """The graph of entities and facts for network analysis (Gephi, Cytoscape, networkx).

    Positions become person -> body edges labelled with the title, partnerships an
    edge between the two countries; meetings stay nodes linked to participants.
    """
    g = union(ds)
    G = nx.MultiDiGraph()

    def node(n: Node) -> str:
        key = str(n)
        if key not in G:
            G.add_node(key, label=_label(g, n), type=_type(g, n))
        return key

    for person, pos in g.subject_objects(DG.holds):
        titles = "; ".join(sorted(str(t) for t in g.objects(pos, DG.title)))
        for body in g.objects(pos, DG.postIn):
            G.add_edge(node(person), node(body), relation="holds", label=titles)
    for p in set(g.subjects(RDF.type, DG.Partnership)):
        partners = sorted(g.objects(p, DG.partner), key=str)
        if len(partners) == 2:
            G.add_edge(node(partners[0]), node(partners[1]), relation="partner",
                       label=str(g.value(p, DG.level) or ""))
    for pred in (DG.participant, DG.party, DG.signatory, DG.memberOf, DG.supports,
                 DG.location):
        name = str(pred).rsplit("#", 1)[-1]
        for s, o in g.subject_objects(pred):
            G.add_edge(node(s), node(o), relation=name, label=name)
    return G


def facts_csv(ds: Dataset) -> str:
    """One row per supporting sentence of every core fact."""
    g = union(ds)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["subject", "predicate", "object", "evidence", "article", "confidence"])
    rows = []
    for st in g.subjects(RDF.type, RDF.Statement):
        p = g.value(st, RDF.predicate)
        if p not in CORE_FACT_PREDICATES:
            continue
        s, o = g.value(st, RDF.subject), g.value(st, RDF.object)
        art = g.value(st, PROV.wasDerivedFrom)
        rows.append([_label(g, s), str(p).rsplit("#", 1)[-1], _label(g, o),
                     str(g.value(st, DG.evidence) or ""), str(art or ""),
                     str(g.value(st, DG.confidence) or "")])
    w.writerows(sorted(rows))
    return buf.getvalue()
