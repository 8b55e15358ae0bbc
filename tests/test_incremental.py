"""Incremental, idempotent builds (kg.api.build/remove over kg.incremental), with the real model.

Four small articles in tests/data/incremental: three about one Hanoi meeting (a
wire story, a near-copy of it on another site, and another outlet's report) and
one about a Jakarta meeting.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rdflib import RDF, Literal
from rdflib.namespace import PROV

from kg import api, incremental, store
from kg.vocab import CORE_FACT_PREDICATES, DG

DATA = Path(__file__).parent / "data" / "incremental"
THREE = sorted(p for p in DATA.glob("*.txt") if not p.name.startswith("a4"))
FOURTH = DATA / "a4_jakarta.txt"

pytestmark = pytest.mark.slow


def copy_corpus(folder: Path, files: list[Path]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copy(f, folder / f.name)
        if f.with_suffix(".url").exists():
            shutil.copy(f.with_suffix(".url"), folder / f.with_suffix(".url").name)
    return folder


@pytest.fixture(scope="module")
def builds(tmp_path_factory, nlp):
    """Three articles built, then a fourth added; the four built at once; one removed."""
    root = tmp_path_factory.mktemp("incremental")
    src = copy_corpus(root / "src", THREE)
    out = root / "out"
    first = api.build([src], out, html=False)
    three = (out / store.GRAPH_TRIG).read_bytes(), (out / store.GRAPH_TTL).read_bytes()
    copy_corpus(src, [FOURTH])
    added = api.build([src], out, html=False)
    at_once = api.build([src], root / "at-once", html=False)  # the same four, fresh
    return {"root": root, "src": src, "out": out, "first": first, "added": added,
            "at_once": at_once, "three_bytes": three}


def test_only_the_new_article_is_extracted(builds):
    first, added = builds["first"], builds["added"]
    assert (first.extracted, first.reused) == (3, 0)
    assert (added.extracted, added.reused) == (1, 3)
    assert added.summary()["extracted"] == 1 and added.summary()["reused"] == 3


def test_adding_an_article_gives_the_graph_of_all_four_built_at_once(builds, same_dataset):
    assert same_dataset(builds["added"].dataset, builds["at_once"].dataset)
    out, at_once = builds["out"], builds["root"] / "at-once"
    for name in (store.GRAPH_TRIG, store.GRAPH_TTL):
        assert (out / name).read_bytes() == (at_once / name).read_bytes(), name


def test_the_change_log_lists_the_added_article_and_its_facts(builds):
    changes = json.loads((builds["out"] / "changes.json").read_text("utf-8"))
    assert changes["counts"]["articles_added"] == 1
    assert changes["counts"]["articles_removed"] == 0
    assert changes["counts"]["facts_lost"] == 0
    assert any("Prabowo Subianto" in f and f.startswith("meeting") for f in changes["facts_added"])
    assert builds["added"].changes == changes


def test_a_second_identical_build_is_byte_identical_and_extracts_nothing(builds, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(builds["out"], out)
    before = {n: (out / n).read_bytes() for n in (store.GRAPH_TRIG, store.GRAPH_TTL,
                                                   store.MANIFEST, "resolution.json")}
    again = api.build([builds["src"]], out, html=False)
    assert (again.extracted, again.reused) == (0, 4)
    for name, data in before.items():
        assert (out / name).read_bytes() == data, name
    assert again.changes["counts"] == {"articles_added": 0, "articles_removed": 0,
                                       "entities_merged": 0, "entities_split": 0,
                                       "facts_added": 0, "facts_lost": 0}


def test_two_builds_into_two_folders_in_any_input_order_are_byte_identical(builds, tmp_path):
    files = sorted(builds["src"].glob("*.txt"))
    api.build(list(reversed(files)), tmp_path / "reversed", html=False)
    for name in (store.GRAPH_TRIG, store.GRAPH_TTL):
        assert ((tmp_path / "reversed" / name).read_bytes()
                == (builds["root"] / "at-once" / name).read_bytes()), name


def test_removing_the_article_gives_back_the_three_article_graph(builds, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(builds["out"], out)
    removed = api.remove(out, str(builds["src"] / FOURTH.name), html=False)
    assert removed.extracted == 0
    trig, ttl = builds["three_bytes"]
    assert (out / store.GRAPH_TRIG).read_bytes() == trig
    assert (out / store.GRAPH_TTL).read_bytes() == ttl
    assert not [p for p in (out / store.EXTRACTIONS).glob("*.json")
                if p.stem not in {e.article.id for e in builds["first"].extractions}]
    assert removed.changes["counts"]["articles_removed"] == 1
    assert any("Prabowo Subianto" in f for f in removed.changes["facts_lost"])
    # what the other articles also support survives: nothing about Hanoi was lost
    assert not any("Shigeru Ishiba" in f for f in removed.changes["facts_lost"])


def test_remove_accepts_an_article_id_and_rebuilding_without_it_does_the_same(builds, tmp_path):
    by_id, rebuilt = tmp_path / "by-id", tmp_path / "rebuilt"
    shutil.copytree(builds["out"], by_id)
    shutil.copytree(builds["out"], rebuilt)
    (gone,) = [e.article.id for e in builds["added"].extractions
               if e.article.source.endswith(FOURTH.name)]
    api.remove(by_id, gone, html=False)
    result = api.build([builds["src"] / f.name for f in THREE], rebuilt, html=False)
    assert result.extracted == 0
    assert (by_id / store.GRAPH_TRIG).read_bytes() == (rebuilt / store.GRAPH_TRIG).read_bytes()


def test_removing_an_unknown_article_names_it_and_changes_nothing(builds, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(builds["out"], out)
    before = (out / store.GRAPH_TRIG).read_bytes()
    with pytest.raises(incremental.ArticleNotFoundError, match="no-such-article"):
        api.remove(out, "no-such-article.txt", html=False)
    assert (out / store.GRAPH_TRIG).read_bytes() == before


def test_a_changed_extractor_invalidates_every_cached_extraction(builds, tmp_path, monkeypatch):
    out = tmp_path / "out"
    shutil.copytree(builds["out"], out)
    monkeypatch.setattr(incremental, "extractor_fingerprint", lambda: "another-extractor")
    again = api.build([builds["src"]], out, html=False)
    assert (again.extracted, again.reused) == (4, 0)
    manifest = json.loads((out / store.MANIFEST).read_text("utf-8"))
    assert manifest["extractor"] == "another-extractor"


def test_an_edited_article_is_extracted_again(builds, tmp_path):
    src, out = copy_corpus(tmp_path / "src", [*THREE, FOURTH]), tmp_path / "out"
    shutil.copytree(builds["out"], out)
    text = (src / FOURTH.name).read_text("utf-8")
    (src / FOURTH.name).write_text(text.replace("Biofuels", "Ethanol"), "utf-8")
    again = api.build([src], out, html=False)
    assert (again.extracted, again.reused) == (1, 3)
    assert len(json.loads((out / store.MANIFEST).read_text("utf-8"))["articles"]) == 4


def test_the_fingerprint_covers_the_extractor_and_the_model():
    fp = incremental.extractor_fingerprint()
    assert fp == incremental.extractor_fingerprint() and len(fp) == 32
    assert "spacy==" in incremental.model_version()


# --- corroboration on the real build -----------------------------------------------------------
def _counts(ds, predicate, label):
    """(supportCount, sourceCount) of the statements whose object is labelled `label`."""
    out = set()
    for st in ds.subjects(RDF.type, RDF.Statement):
        o = ds.value(st, RDF.object)
        if ds.value(st, RDF.predicate) == predicate and (o, None, Literal(label)) in ds:
            out.add((int(ds.value(st, DG.supportCount)), int(ds.value(st, DG.sourceCount))))
    return out


def test_a_wire_copy_counts_as_one_source(builds):
    ds = builds["at_once"].dataset
    # three articles report the Hanoi meeting; two of them are one wire story
    assert _counts(ds, DG.participant, "Shigeru Ishiba") == {(3, 2)}
    assert _counts(ds, DG.participant, "Prabowo Subianto") == {(1, 1)}
    support = {m: int(ds.value(m, DG.supportCount)) for m in ds.subjects(RDF.type, DG.Meeting)}
    (hanoi,) = [m for m, n in support.items() if n == 3]
    assert int(ds.value(hanoi, DG.sourceCount)) == 2


def test_every_core_statement_has_counts(builds):
    ds = builds["at_once"].dataset
    for st in ds.subjects(RDF.type, RDF.Statement):
        if ds.value(st, RDF.predicate) in CORE_FACT_PREDICATES:
            support = int(ds.value(st, DG.supportCount))
            assert 1 <= int(ds.value(st, DG.sourceCount)) <= support
            assert ds.value(st, PROV.wasDerivedFrom) is not None


def test_counts_are_queryable_with_sparql(builds):
    table = api.query(builds["at_once"].dataset, """
        SELECT ?name (MAX(?n) AS ?support) (MAX(?k) AS ?sources) WHERE {
          ?st rdf:predicate dg:participant ; rdf:object ?p ;
              dg:supportCount ?n ; dg:sourceCount ?k .
          ?p rdfs:label ?name }
        GROUP BY ?name ORDER BY ?name""")
    assert ["Shigeru Ishiba", "3", "2"] in [list(r) for r in table.rows]


def test_the_build_is_validated(builds):
    assert builds["added"].validation is not None
    assert builds["added"].validation.conforms, builds["added"].validation.messages


# --- the command line -------------------------------------------------------------------------
def test_cli_build_remove_and_validate(builds, tmp_path):
    from typer.testing import CliRunner

    from kg.cli import app

    runner, out = CliRunner(), tmp_path / "out"
    shutil.copytree(builds["out"], out)
    res = runner.invoke(app, ["build", str(builds["src"]), "--out", str(out), "--no-html"])
    assert res.exit_code == 0, res.output
    assert "0 extracted, 4 reused" in res.output
    assert "0 fact(s) added, 0 lost" in res.output
    res = runner.invoke(app, ["remove", str(out), str(builds["src"] / FOURTH.name), "--no-html"])
    assert res.exit_code == 0, res.output
    assert "1 removed" in res.output
    res = runner.invoke(app, ["remove", str(out), "nothing-like-it"])
    assert res.exit_code == 1 and "nothing-like-it" in res.output
    res = runner.invoke(app, ["validate", str(out)])
    assert res.exit_code == 0 and "no violation" in res.output


def test_cli_build_with_an_alias_file(builds, tmp_path):
    from typer.testing import CliRunner

    from kg.cli import app

    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("same:\n  - names: [Shigeru Ishiba, Pham Minh Chinh]\n"
                       "    label: Two Leaders\n", "utf-8")
    out = tmp_path / "out"
    shutil.copytree(builds["out"], out)
    res = CliRunner().invoke(app, ["build", str(builds["src"]), "--out", str(out),
                                   "--no-html", "--aliases", str(aliases)])
    assert res.exit_code == 0, res.output
    resolution = json.loads((out / "resolution.json").read_text("utf-8"))
    forced = [n for n in resolution["merged"] if n["label"] == "Two Leaders"]
    assert forced and forced[0]["merges"][0]["rule"] == "alias file: same"
    manifest = json.loads((out / store.MANIFEST).read_text("utf-8"))
    assert manifest["aliases"]["same"][0]["names"] == ["shigeru ishiba", "pham minh chinh"]
    aliases.write_text("same: not-a-list\n", "utf-8")
    res = CliRunner().invoke(app, ["build", str(builds["src"]), "--out", str(out),
                                   "--aliases", str(aliases)])
    assert res.exit_code == 1 and "aliases.yaml" in res.output


def test_each_step_after_extraction_is_reported_in_order(builds, tmp_path):
    again, removed = [], []
    api.build([builds["src"]], tmp_path / "out", html=True, stage=again.append)
    api.remove(tmp_path / "out", str(sorted(builds["src"].glob("*.txt"))[0]), html=False,
               stage=removed.append)
    steps = ["resolving entities", "writing the store", "writing graph.trig and graph.ttl",
             "validating"]
    assert again == [*steps, "drawing the page"]
    assert removed == steps
