"""Tests of kg.store: the files of a built folder, written atomically, read back."""
from __future__ import annotations

import json

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg import store
from kg.errors import GraphNotFoundError, KGError
from kg.model import Extraction


def _save(ds, tiny_extractions, folder):
    manifest = {"articles": {e.article.id: e.article.source for e in tiny_extractions}}
    return store.save(ds, folder, tiny_extractions, manifest)


def test_save_then_load_gives_the_same_named_graphs(tmp_path, tiny_dataset, tiny_extractions,
                                                    same_dataset):
    paths = _save(tiny_dataset, tiny_extractions, tmp_path / "out")
    assert {p.name for p in paths.values()} == {store.GRAPH_TRIG, store.GRAPH_TTL, store.MANIFEST}
    loaded = store.load(tmp_path / "out")
    assert same_dataset(loaded, tiny_dataset)
    assert isomorphic(store.union(loaded), store.union(tiny_dataset))


def test_turtle_file_is_the_union_of_the_named_graphs(tmp_path, tiny_dataset, tiny_extractions):
    _save(tiny_dataset, tiny_extractions, tmp_path)
    ttl = Graph().parse(tmp_path / store.GRAPH_TTL, format="turtle")
    assert isomorphic(ttl, store.union(tiny_dataset))
    assert isomorphic(store.union(store.load(tmp_path / store.GRAPH_TTL)), ttl)


def test_extractions_and_manifest_round_trip(tmp_path, tiny_dataset, tiny_extractions):
    _save(tiny_dataset, tiny_extractions, tmp_path)
    for ex in tiny_extractions:
        data = json.loads((tmp_path / "extractions" / f"{ex.article.id}.json").read_text("utf-8"))
        assert Extraction.from_json(data) == ex
    manifest = json.loads((tmp_path / store.MANIFEST).read_text("utf-8"))
    assert set(manifest["articles"]) == {e.article.id for e in tiny_extractions}


def test_saving_again_overwrites_and_leaves_no_temp_files(tmp_path, tiny_dataset,
                                                          tiny_extractions, same_dataset):
    _save(tiny_dataset, tiny_extractions, tmp_path)
    _save(tiny_dataset, tiny_extractions, tmp_path)
    leftovers = [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    assert same_dataset(store.load(tmp_path), tiny_dataset)


def test_write_atomic_writes_text_and_bytes(tmp_path):
    target = tmp_path / "sub" / "note.txt"
    store.write_atomic(target, "Ankara – Kyiv talks\n")
    assert target.read_text("utf-8") == "Ankara – Kyiv talks\n"
    store.write_atomic(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert sorted(p.name for p in target.parent.iterdir()) == ["note.txt"]


def test_failed_atomic_write_keeps_the_old_file_and_removes_its_temp_file(tmp_path):
    target = tmp_path / "graph.ttl"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(TypeError):
        store.write_atomic(target, 42)  # type: ignore[arg-type]  # fails mid-write
    assert target.read_text("utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]


def test_loading_a_folder_without_a_graph_names_the_folder(tmp_path):
    folder = tmp_path / "not-built-yet"
    folder.mkdir()
    with pytest.raises(GraphNotFoundError) as info:
        store.load(folder)
    assert str(folder) in str(info.value)
    assert isinstance(info.value, KGError)


def test_loading_a_missing_folder_raises_graph_not_found(tmp_path):
    with pytest.raises(GraphNotFoundError, match="no-such-folder"):
        store.load(tmp_path / "no-such-folder")


def test_loading_a_non_rdf_file_raises_graph_not_found(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Minutes of the bilateral meeting.", encoding="utf-8")
    with pytest.raises(GraphNotFoundError, match="notes.txt"):
        store.load(notes)


def test_graph_files_are_canonical_and_stable(tmp_path, tiny_dataset, tiny_extractions):
    _save(tiny_dataset, tiny_extractions, tmp_path / "one")
    _save(tiny_dataset, tiny_extractions, tmp_path / "two")
    for name in (store.GRAPH_TRIG, store.GRAPH_TTL):
        one, two = (tmp_path / "one" / name).read_bytes(), (tmp_path / "two" / name).read_bytes()
        assert one == two
        assert one.startswith(b"@prefix ")


def test_save_writes_extra_json_and_drops_extractions_of_articles_no_longer_built(
        tmp_path, tiny_dataset, tiny_extractions):
    _save(tiny_dataset, tiny_extractions, tmp_path)
    kept = tiny_extractions[:1]
    paths = store.save(tiny_dataset, tmp_path, kept, {"articles": {}},
                       {"changes": {"counts": {}}})
    assert sorted(p.stem for p in (tmp_path / store.EXTRACTIONS).glob("*.json")) == [
        kept[0].article.id]
    assert paths["changes"].name == "changes.json"
    assert store.read_json(paths["changes"]) == {"counts": {}}
    assert store.read_json(tmp_path / "missing.json") is None


def test_each_save_is_a_new_generation_and_current_switches_to_it(tmp_path, tiny_dataset,
                                                                 tiny_extractions):
    _save(tiny_dataset, tiny_extractions, tmp_path)
    first = store.current_generation(tmp_path)
    _save(tiny_dataset, tiny_extractions, tmp_path)
    second = store.current_generation(tmp_path)
    _save(tiny_dataset, tiny_extractions, tmp_path)
    third = store.current_generation(tmp_path)
    assert len({first, second, third}) == 3
    # the previous generation stays for readers still on it; older ones go
    assert sorted(p.name for p in tmp_path.glob("gen-*")) == sorted([second, third])
    assert (tmp_path / store.GRAPH_TRIG).resolve().parent.name == third
    assert store.store_path(tmp_path) == tmp_path / third / store.STORE


def test_a_half_written_generation_is_ignored_and_cleared(tmp_path, tiny_dataset,
                                                          tiny_extractions, same_dataset):
    _save(tiny_dataset, tiny_extractions, tmp_path)
    done = store.current_generation(tmp_path)
    dead = tmp_path / "gen-deadbeef0000"  # what a build killed before its switch leaves
    (dead / "store").mkdir(parents=True)
    (dead / store.GRAPH_TRIG).write_text("@prefix broken", encoding="utf-8")
    assert store.current_generation(tmp_path) == done
    assert same_dataset(store.load(tmp_path), tiny_dataset)
    _save(tiny_dataset, tiny_extractions, tmp_path)
    assert not dead.exists()


def test_a_copied_folder_builds_again(tmp_path, tiny_dataset, tiny_extractions, same_dataset):
    import shutil

    _save(tiny_dataset, tiny_extractions, tmp_path / "a")
    shutil.copytree(tmp_path / "a", tmp_path / "b")  # follows the links: plain files and dirs
    assert not (tmp_path / "b" / store.CURRENT).is_symlink()
    _save(tiny_dataset, tiny_extractions, tmp_path / "b")
    assert (tmp_path / "b" / store.CURRENT).is_symlink()
    assert same_dataset(store.load(tmp_path / "b"), tiny_dataset)


def test_the_store_holds_named_graphs_and_the_merged_graph_once(tmp_path, tiny_dataset,
                                                               tiny_extractions):
    from kg.oxstore import open_engine

    _save(tiny_dataset, tiny_extractions, tmp_path)
    engine = open_engine(tmp_path)
    merged = engine.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0]
    assert int(merged) == len(store.union(tiny_dataset))
    graphs = engine.run("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert int(graphs.rows[0][0]) == len(tiny_extractions)
