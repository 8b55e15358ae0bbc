"""Tests of kg.export: every format writes a file that parses back to the same graph."""
from __future__ import annotations

import csv

import networkx as nx
import pytest
from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV

from kg import store
from kg.build import article_iri
from kg.errors import KGError
from kg.export import RDF_FORMATS, export_graph
from kg.vocab import CORE_FACT_PREDICATES, DG, ID

DATASET_FORMATS = {"trig": "trig", "nq": "nquads", "jsonld": "json-ld"}
ALL_FORMATS = ["ttl", "trig", "nq", "jsonld", "graphml", "csv"]


@pytest.fixture()
def hard_dataset(tiny_dataset):
    """The tiny dataset plus labels that are hard to serialise: quotes, newlines, accents."""
    g = tiny_dataset.graph(article_iri("lisbon-2025"))
    for iri, cls, label in [
        (ID["person/odd-1"], DG.Person, Literal('Luís "Lulu" Montenegro\n(caretaker)')),
        (ID["country/odd-2"], DG.Country, Literal("Côte d'Ivoire \\ Türkiye — 北京 🇵🇹")),
        (ID["place/lisbon"], DG.Place, Literal("Lisbonne", lang="fr")),
    ]:
        g.add((iri, RDF.type, cls))
        g.add((iri, RDFS.label, label))
    return tiny_dataset


def _labels(g: Graph) -> set[tuple[object, object]]:
    return set(g.subject_objects(RDFS.label))


def test_every_format_is_listed():
    assert set(RDF_FORMATS) | {"graphml", "csv"} == set(ALL_FORMATS)


def test_turtle_is_the_union_of_the_named_graphs(tmp_path, hard_dataset):
    out = export_graph(hard_dataset, "ttl", tmp_path / "g.ttl")
    back = Graph().parse(out, format="turtle")
    assert isomorphic(back, store.union(hard_dataset))
    assert _labels(back) == _labels(store.union(hard_dataset))


@pytest.mark.parametrize("fmt", DATASET_FORMATS)
def test_dataset_formats_keep_every_article_graph(tmp_path, hard_dataset, same_dataset, fmt):
    out = export_graph(hard_dataset, fmt, tmp_path / f"g.{fmt}")
    back = Dataset(default_union=True)
    back.parse(out, format=DATASET_FORMATS[fmt])
    assert same_dataset(back, hard_dataset)
    assert isomorphic(store.union(back), store.union(hard_dataset))
    assert _labels(store.union(back)) == _labels(store.union(hard_dataset))


def test_graphml_has_labelled_nodes_and_fact_edges(tmp_path, hard_dataset):
    out = export_graph(hard_dataset, "graphml", tmp_path / "g.graphml")
    G = nx.read_graphml(out)
    union = store.union(hard_dataset)
    labels = {s: {str(o) for o in union.objects(URIRef(s), RDFS.label)} for s in G.nodes}
    for key, data in G.nodes(data=True):
        assert data["label"] in (labels[key] or {key})
    relations = {d["relation"] for _, _, d in G.edges(data=True)}
    assert {"holds", "partner", "participant", "party", "signatory", "memberOf",
            "supports"} <= relations
    holds = [(u, v, d) for u, v, d in G.edges(data=True) if d["relation"] == "holds"]
    assert {(G.nodes[v]["type"], d["label"]) for _, v, d in holds} >= {
        ("Country", "Prime Minister"), ("Country", "President")}


def test_csv_has_a_header_and_one_row_per_statement_with_evidence(tmp_path, tiny_dataset):
    out = export_graph(tiny_dataset, "csv", tmp_path / "facts.csv")
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    assert header == ["subject", "predicate", "object", "evidence", "article", "confidence"]
    union = store.union(tiny_dataset)
    statements = [st for st in union.subjects(RDF.type, RDF.Statement)
                  if union.value(st, RDF.predicate) in CORE_FACT_PREDICATES]
    assert len(body) == len(statements) > 0
    articles = {str(a) for a in union.objects(None, PROV.wasDerivedFrom)}
    for row in body:
        record = dict(zip(header, row, strict=True))
        assert record["evidence"]
        assert record["article"] in articles
        assert 0.0 <= float(record["confidence"]) <= 1.0
    assert ["Kenya", "memberOf", "African Union"] in [r[:3] for r in body]


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_export_is_atomic_and_replaces_an_old_file(tmp_path, tiny_dataset, fmt):
    target = tmp_path / f"export.{fmt}"
    target.write_text("stale", encoding="utf-8")
    export_graph(tiny_dataset, fmt, target)
    assert target.read_text(encoding="utf-8") != "stale"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_unknown_format_raises_a_kg_error(tmp_path, tiny_dataset):
    with pytest.raises(KGError, match="xml"):
        export_graph(tiny_dataset, "xml", tmp_path / "g.xml")
    assert not (tmp_path / "g.xml").exists()


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_exports_stay_valid_xml_with_control_characters_in_labels(tmp_path,
                                                                         tiny_dataset, fmt):
    (person,) = {s for s, o in tiny_dataset.subject_objects(RDFS.label)
                 if str(o) == "Aziz Akhannouch"}
    for g in tiny_dataset.graphs():
        if (person, RDFS.label, None) in g:
            g.set((person, RDFS.label, Literal("Bell\x07 and\x1b escape")))
    path = export_graph(tiny_dataset, fmt, tmp_path / f"g.{fmt}")
    read = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    labels = {str(a.get("label")) for _, a in read(path).nodes(data=True)}
    assert "Bell  and  escape" in labels
