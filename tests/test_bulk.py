"""kg.bulk: a folder build streams its graph into the store and gets the in-memory graph."""
from __future__ import annotations

import json

from kg import api, store
from kg.aliases import load_aliases
from kg.incremental import Cache
from kg.oxstore import dump_trig, dump_turtle, quads, write_store


def _in_memory(extractions):
    return api._finish(list(extractions), None, Cache.open(None), min_confidence=0.0,
                       aliases=load_aliases(None), html=False, validate=False)


def test_streamed_store_equals_the_in_memory_graph_byte_for_byte(seed_build, tmp_path):
    result, out = seed_build
    memory = _in_memory(result.extractions)
    st = write_store(quads(memory.dataset), tmp_path / "store")
    assert dump_trig(st) == (out / store.GRAPH_TRIG).read_bytes()
    assert dump_turtle(st) == (out / store.GRAPH_TTL).read_bytes()


def test_store_counts_equal_the_rdflib_counts(seed_build):
    result, out = seed_build
    memory = _in_memory(result.extractions)
    manifest = json.loads((out / store.MANIFEST).read_text("utf-8"))
    assert manifest["summary"] == memory.counts == api.summarize(memory.dataset,
                                                                 len(result.extractions))
    assert result.summary()["triples"] == memory.counts["triples"] > 0


def test_corroboration_counts_reach_statements_and_fact_nodes(seed_build):
    _, out = seed_build
    engine = api.open_store(out)
    unsupported = engine.run("""SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?st a rdf:Statement }
        FILTER NOT EXISTS { GRAPH ?g { ?st dg:supportCount ?c ; dg:sourceCount ?k } } }""")
    assert int(unsupported.rows[0][0]) == 0
    counted = engine.run("SELECT (COUNT(*) AS ?n) WHERE { ?m a dg:Meeting ; dg:supportCount ?c }")
    meetings = engine.run("SELECT (COUNT(*) AS ?n) WHERE { ?m a dg:Meeting }")
    assert int(counted.rows[0][0]) == int(meetings.rows[0][0]) > 0


def test_a_large_graph_is_validated_on_the_store_and_skips_the_page_with_a_message(
        seed_build, tmp_path, monkeypatch, caplog):
    result, _ = seed_build
    monkeypatch.setattr(api, "IN_MEMORY_LIMIT", 10)
    out = tmp_path / "out"
    again = api._finish(list(result.extractions), out, Cache.open(out), min_confidence=0.0,
                        aliases=load_aliases(None), html=True, validate=True)
    assert again.validation is not None and again.validation.conforms
    assert "html" not in again.paths and "--focus" in caplog.text
    assert (out / store.GRAPH_TRIG).exists() and not (out / store.GRAPH_HTML).exists()
    assert again.summary()["triples"] == result.summary()["triples"]


def test_entity_degrees_in_the_store_count_their_distinct_neighbours(seed_build):
    from collections import defaultdict

    import pyoxigraph as ox
    from rdflib import RDF

    from kg.vocab import DG, ENTITY_CLASSES

    _, out = seed_build
    st = api.open_store(out).store
    default = ox.DefaultGraph()

    def quads_of(p, o=None):
        return st.quads_for_pattern(None, ox.NamedNode(str(p)), o, default)

    near: dict[object, set[object]] = defaultdict(set)
    for p in (DG.holds, DG.party, DG.signatory, DG.memberOf, DG.supports):
        for q in quads_of(p):
            near[q.subject].add(q.object)
    for p in (DG.participant, DG.party, DG.signatory, DG.memberOf, DG.supports, DG.partner):
        for q in quads_of(p):
            near[q.object].add(q.subject)
    entities = {q.subject for c in ENTITY_CLASSES.values()
                for q in quads_of(RDF.type, ox.NamedNode(str(c)))}
    stored = {q.subject: int(q.object.value) for q in quads_of(DG.degree)}
    assert len(stored) > 20
    assert stored == {e: len(near[e]) for e in entities if near[e]}


def test_exports_dumped_from_the_store_hold_the_built_graph(seed_build, tmp_path, same_dataset):
    from rdflib import Dataset, Graph
    from rdflib.compare import isomorphic

    from kg.oxstore import export_from_store

    result, out = seed_build
    built = store.load(out)
    for fmt, parser in (("trig", "trig"), ("nq", "nquads")):
        path = export_from_store(out, fmt, tmp_path / f"g.{fmt}")
        assert path is not None
        ds = Dataset(default_union=True)
        ds.parse(path, format=parser)
        assert same_dataset(ds, built), fmt
    ttl = export_from_store(out, "ttl", tmp_path / "g.ttl")
    assert ttl is not None
    assert isomorphic(Graph().parse(ttl, format="turtle"), store.union(built))
    assert export_from_store(out, "jsonld", tmp_path / "g.jsonld") is None  # rdflib's job


def test_the_rdflib_view_over_the_store_reads_without_loading(seed_build):
    from rdflib import RDF, RDFS

    from kg.vocab import DG

    _, out = seed_build
    view = api.open_graph(out, on_disk=True)
    loaded = api.open_graph(out)
    assert type(view.store).__name__ == "OxigraphStore"
    assert set(view.subjects(RDF.type, DG.Person)) == set(loaded.subjects(RDF.type, DG.Person))
    assert set(map(str, view.objects(None, RDFS.label))) == set(
        map(str, loaded.objects(None, RDFS.label)))
    person = str(next(iter(loaded.objects(None, RDFS.label))))
    for name in ("meetings", "evidence"):
        params = {"person": person} if name == "meetings" else {"name": person}
        assert sorted(map(str, api.query_named(view, name, params).rows)) == sorted(
            map(str, api.query_named(api.open_store(out), name, params).rows))


def test_an_open_folder_engine_follows_a_rebuild(seed_build, tmp_path):
    import shutil

    result, out = seed_build
    folder = tmp_path / "out"
    shutil.copytree(out, folder, symlinks=True)
    engine = api.open_store(folder)
    count = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a dg:Article }"
    assert int(engine.run(count).rows[0][0]) == len(result.extractions)
    api.remove(folder, result.extractions[0].article.id, html=False, validate=False)
    assert int(engine.run(count).rows[0][0]) == len(result.extractions) - 1
