"""Tests of the benchmark's inputs (benchmarks/synth.py) and of its store comparison being fair:
the library queries give the same rows on rdflib (initBindings) and on kg's Oxigraph engine
(VALUES), with the benchmark's parameters and without."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from rdflib import RDF, Dataset

from kg import api
from kg.vocab import CORE_FACT_PREDICATES, DG

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
SEEDS = Path(__file__).resolve().parents[1] / "seeds"
sys.path.insert(0, str(BENCH))

from run import _runs  # noqa: E402
from synth import make_corpus, synthetic_nquads  # noqa: E402


def test_corpus_articles_are_distinct_and_counted(tmp_path):
    path, words = make_corpus(SEEDS, 12, tmp_path / "c.jsonl")
    texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8")]
    assert len(texts) == len(set(texts)) == 12
    assert words == sum(len(t.split()) for t in texts)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    nq = tmp_path_factory.mktemp("synth") / "g.nq"
    samples = synthetic_nquads(nq, 4000)
    ds = Dataset(default_union=True)
    ds.parse(nq, format="nquads")
    return nq, samples, ds


def test_synthetic_graph_has_the_shape_of_a_build(synthetic):
    _, samples, ds = synthetic
    assert 3000 <= samples.triples <= 6000  # about the size asked for
    assert len([g for g in ds.graphs() if len(g)]) >= samples.articles
    statements = {(s, p, o) for st in ds.subjects(RDF.type, RDF.Statement)
                  for s in ds.objects(st, RDF.subject) for p in ds.objects(st, RDF.predicate)
                  for o in ds.objects(st, RDF.object)}
    for pred in CORE_FACT_PREDICATES:
        for s, o in ds.subject_objects(pred):
            assert (s, pred, o) in statements
    # each entity's degree, as kg build stores it (the rows of most_connected depend on it)
    from kg.build import add_degrees

    stored = set(ds.quads((None, DG.degree, None, None)))
    assert stored
    for _, _, _, g in stored:
        ds.graph(g).remove((None, DG.degree, None))
    add_degrees(ds)
    assert set(ds.quads((None, DG.degree, None, None))) == stored


def test_library_queries_agree_on_rdflib_and_pyoxigraph(synthetic, tmp_path):
    ox = pytest.importorskip("pyoxigraph")
    from kg.oxstore import OxigraphEngine
    from kg.sparql import named_queries

    nq, samples, ds = synthetic
    store = ox.Store(str(tmp_path / "store"))
    store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    store.bulk_load(path=str(nq.with_suffix(".nt")), format=ox.RdfFormat.N_TRIPLES)
    engine = OxigraphEngine(store)
    for name, text in named_queries().items():
        for run_name, params in _runs(samples.params[name]).items():
            expected = api.query(ds, text, params)
            got = api.query(engine, text, params)
            assert got.columns == expected.columns, (name, run_name)
            assert _canonical(got.rows) == _canonical(expected.rows), (name, run_name)
            if run_name == "bound" or name not in ("office_holders", "timeline"):
                assert expected.rows, (name, run_name)  # required parameters: none without


def _canonical(rows):
    """Rows with "; "-joined lists (GROUP_CONCAT, whose order SPARQL leaves open) sorted."""
    return [[";".join(sorted(v.split("; "))) if v else v for v in r] for r in rows]
