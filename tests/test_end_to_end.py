"""End to end: the seed articles through the real model into a graph on disk.

The extractor is being improved, so these tests assert only facts that any reasonable
version must find in the seeds, and the invariants of the provenance contract
(/work/shared/eval/CONTRACT.md) that hold for whatever it finds.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, XSD, BNode, Literal, URIRef
from rdflib.namespace import PROV

from kg import api, store
from kg.build import article_iri
from kg.vocab import CORE_FACT_PREDICATES, DG, ENTITY_CLASSES, ID

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def seeds(seed_build):
    result, out = seed_build
    return result, out, store.load(out)


@pytest.fixture(scope="module")
def article_texts(seeds):
    """Article IRI -> its text, read from the extractions written beside the graph."""
    _, out, _ = seeds
    texts = {}
    for path in (out / "extractions").glob("*.json"):
        article = json.loads(path.read_text("utf-8"))["article"]
        texts[article_iri(article["id"])] = article["text"]
    return texts


def labelled(ds, cls: URIRef, label: str) -> list[URIRef]:
    return [s for s in ds.subjects(RDFS.label, Literal(label)) if (s, RDF.type, cls) in ds]


def one(ds, cls: URIRef, label: str) -> URIRef:
    found = labelled(ds, cls, label)
    assert len(found) == 1, f"{label!r} as {cls}: {found}"
    return found[0]


def core_statements(ds):
    """(graph IRI, statement, s, p, o) of every rdf:Statement about a core fact."""
    for g in ds.graphs():
        for st in g.subjects(RDF.type, RDF.Statement):
            p = g.value(st, RDF.predicate)
            if p in CORE_FACT_PREDICATES:
                yield g.identifier, st, g.value(st, RDF.subject), p, g.value(st, RDF.object)


# --- the build -------------------------------------------------------------------------------
def test_every_seed_is_an_article_and_the_files_are_written(seeds, article_texts):
    result, out, ds = seeds
    assert len(list(SEEDS.glob("*.txt"))) == 5
    assert result.summary()["articles"] == 5 and result.problems == []
    articles = set(ds.subjects(RDF.type, DG.Article))
    assert articles == set(article_texts)
    assert articles == {g.identifier for g in ds.graphs() if len(g)}
    for name in ("graph.trig", "graph.ttl", "graph.html", "manifest.json"):
        assert (out / name).is_file()
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert {article_iri(a) for a in manifest["articles"]} == articles


def test_the_graph_on_disk_is_the_graph_in_memory(seeds, same_dataset):
    result, _, ds = seeds
    assert same_dataset(ds, result.dataset)


# --- robust facts of the seeds ----------------------------------------------------------------
@pytest.mark.parametrize("name", ["Ilham Aliyev", "Xi Jinping"])
def test_leaders_are_people_with_that_label(seeds, name):
    _, _, ds = seeds
    one(ds, DG.Person, name)


def _person(ds, name: str) -> URIRef:
    """The Person labelled `name`, or else the one Person whose label starts with it."""
    exact = labelled(ds, DG.Person, name)
    if exact:
        return exact[0]
    loose = [s for s in set(ds.subjects(RDF.type, DG.Person))
             if any(str(label).startswith(name) for label in ds.objects(s, RDFS.label))]
    assert len(loose) == 1, f"{name}: {loose}"
    return loose[0]


def test_aliyev_and_xi_met(seeds):
    _, _, ds = seeds
    aliyev, xi = _person(ds, "Ilham Aliyev"), _person(ds, "Xi Jinping")
    meetings = [m for m in set(ds.subjects(RDF.type, DG.Meeting))
                if {aliyev, xi} <= set(ds.objects(m, DG.participant))]
    assert meetings


@pytest.mark.xfail(strict=False, reason=(
    "the extractor finds the Astana meeting of seed 003 ('A meeting between Ilham Aliyev ... "
    "and Xi Jinping ... was held today in Astana') but not its date: seed 003 has no "
    "publication date to resolve 'today', and seed 001's 'Shanghai Cooperation Organization "
    "Summit in Astana on July 3, 2024' is not linked to the meeting"))
def test_aliyev_and_xi_met_in_astana_on_3_july_2024(seeds):
    _, _, ds = seeds
    aliyev, xi = _person(ds, "Ilham Aliyev"), _person(ds, "Xi Jinping")
    astana = {s for s in ds.subjects(RDFS.label, Literal("Astana"))}
    assert astana
    meetings = [m for m in set(ds.subjects(RDF.type, DG.Meeting))
                if {aliyev, xi} <= set(ds.objects(m, DG.participant))
                and Literal("2024-07-03", datatype=XSD.date) in set(ds.objects(m, DG.date))
                and astana & set(ds.objects(m, DG.location))]
    assert meetings


def test_azerbaijan_and_china_are_countries(seeds):
    _, _, ds = seeds
    one(ds, DG.Country, "Azerbaijan")
    one(ds, DG.Country, "China")


def test_a_memorandum_of_understanding_binds_azerbaijan_and_china(seeds):
    _, _, ds = seeds
    parties = {one(ds, DG.Country, "Azerbaijan"), one(ds, DG.Country, "China")}
    mous = [a for a in set(ds.subjects(RDF.type, DG.Agreement))
            if any("Memorandum of Understanding" in str(label)
                   for label in ds.objects(a, RDFS.label))
            and parties <= set(ds.objects(a, DG.party))]
    assert mous


# --- the provenance contract, for whatever was extracted -------------------------------------
def test_every_core_triple_has_a_statement_from_an_article_of_the_dataset(seeds, article_texts):
    _, _, ds = seeds
    graphs = {g.identifier for g in ds.graphs() if len(g)}
    covered = {(s, p, o) for _, _, s, p, o in core_statements(ds)}
    triples = {(s, p, o) for p in CORE_FACT_PREDICATES for s, o in ds.subject_objects(p)}
    assert len(triples) >= 5
    assert triples <= covered, triples - covered
    for _, st, *_ in core_statements(ds):
        sources = set(ds.objects(st, PROV.wasDerivedFrom))
        assert sources and sources <= graphs and sources <= set(article_texts)


def test_evidence_is_a_sentence_of_the_source_article(seeds, article_texts):
    _, _, ds = seeds
    for _, st, *_ in core_statements(ds):
        article = ds.value(st, PROV.wasDerivedFrom)
        evidence = [str(e) for e in ds.objects(st, DG.evidence)]
        assert evidence and all(e.strip() for e in evidence), st
        for e in evidence:
            assert e in article_texts[article], (st, e)


def test_confidence_is_between_0_and_1(seeds):
    _, _, ds = seeds
    for _, st, *_ in core_statements(ds):
        values = list(ds.objects(st, DG.confidence))
        assert len(values) == 1
        assert 0.0 <= float(values[0].toPython()) <= 1.0


def test_each_fact_lives_in_its_articles_named_graph(seeds):
    _, _, ds = seeds
    for graph, st, s, p, o in core_statements(ds):
        assert ds.graph(graph).value(st, PROV.wasDerivedFrom) == graph
        assert (s, p, o) in ds.graph(graph)


def test_entities_have_minted_iris_and_no_blank_nodes(seeds):
    _, _, ds = seeds
    for cls in ENTITY_CLASSES.values():
        for s in ds.subjects(RDF.type, cls):
            assert str(s).startswith(str(ID)), s
    assert not any(isinstance(t, BNode) for t in (t for q in ds.quads() for t in q[:3]))


# --- determinism and de-duplication ----------------------------------------------------------
def test_building_twice_gives_isomorphic_graphs(seeds, same_dataset):
    result, _, _ = seeds
    again = api.build([SEEDS], None, html=False)
    assert same_dataset(again.dataset, result.dataset)


def test_a_renamed_copy_of_an_article_adds_no_article(tmp_path):
    first = sorted(SEEDS.glob("*.txt"))[0]
    shutil.copy(first, tmp_path / first.name)
    shutil.copy(first, tmp_path / "zz-copy-of-the-same-story.txt")
    result = api.build([tmp_path], None, html=False)
    assert len(result.extractions) == 1 and result.problems == []
    assert len(set(result.dataset.subjects(RDF.type, DG.Article))) == 1
