"""Tests of the `kg` command, run as a real subprocess (the console script of this venv).

Each `kg` process loads the libraries anew, so independent runs go in parallel batches.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import networkx as nx
import pytest
from rdflib import RDF, RDFS, Dataset, Graph
from rdflib.compare import isomorphic

from kg import api, store
from kg.cli import app
from kg.vocab import DG

KG = Path(sys.executable).with_name("kg")
ARTICLES = Path(__file__).parent / "data" / "articles"
# wide, colourless output so that paths in messages are never wrapped or styled
ENV = {**os.environ, "COLUMNS": "400", "NO_COLOR": "1", "TERM": "dumb"}
COMMANDS = [c.name or c.callback.__name__.replace("_", "-") for c in app.registered_commands
            if c.callback is not None]
EXPORTS = {"ttl": "turtle", "trig": "trig", "nq": "nquads", "jsonld": "json-ld",
           "graphml": None, "csv": None}


def kg(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(KG), *map(str, args)], capture_output=True, text=True, env=ENV,
                          cwd=cwd, timeout=300, stdin=subprocess.DEVNULL)


def kg_many(runs: Sequence[Sequence[object]]) -> list[subprocess.CompletedProcess[str]]:
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        return list(pool.map(lambda args: kg(*args), runs))


def _sources(folder: Path, *, bad_inputs: bool = False) -> Path:
    folder.mkdir(parents=True)
    for path in sorted(ARTICLES.glob("*.txt"))[:2]:
        shutil.copy(path, folder / path.name)
    if bad_inputs:
        (folder / "empty.txt").write_bytes(b"")
        (folder / "scan.txt").write_bytes(b"%PDF-1.7\x00\x00\x01\x02binary\x00\xff\xfe")
    return folder


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """Two `kg build` runs in parallel: clean sources, and sources with unreadable files."""
    root = tmp_path_factory.mktemp("cli")
    clean, messy = _sources(root / "src"), _sources(root / "messy", bad_inputs=True)
    out, messy_out = root / "out", root / "messy-out"
    ok, skipped = kg_many([("build", clean, "--out", out),
                           ("build", messy, "--out", messy_out)])
    return {"ok": (ok, out), "skipped": (skipped, messy_out, messy)}


@pytest.fixture(scope="module")
def built(builds):
    proc, out = builds["ok"]
    assert proc.returncode == 0, proc.stderr
    return out


# --- help ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def helps():
    runs = [("--help",), *[(name, "--help") for name in COMMANDS]]
    return dict(zip(["kg", *COMMANDS], kg_many(runs), strict=True))


def test_the_cli_has_the_documented_commands():
    assert {"build", "query", "export", "viz"} <= set(COMMANDS)


def test_top_level_help_lists_every_command(helps):
    proc = helps["kg"]
    assert proc.returncode == 0, proc.stderr
    for name in COMMANDS:
        assert name in proc.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_help_of_every_command_exits_0_and_shows_an_example(helps, command):
    proc = helps[command]
    assert proc.returncode == 0, proc.stderr
    assert "Example" in proc.stdout
    assert f"kg {command}" in proc.stdout


# --- build ---------------------------------------------------------------------------------
def test_build_writes_the_graph_files_and_a_summary(builds):
    proc, out = builds["ok"]
    assert proc.returncode == 0, proc.stderr
    for name in ("graph.trig", "graph.ttl", "graph.html", "manifest.json"):
        assert (out / name).is_file(), name
    assert re.search(r"articles\W+2\b", proc.stderr), proc.stderr
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert len(manifest["articles"]) == 2
    ds = store.load(out)
    assert len(set(ds.subjects(RDF.type, DG.Article))) == 2


def test_build_reports_unreadable_files_exits_3_and_still_builds(builds):
    proc, out, src = builds["skipped"]
    assert proc.returncode == 3, proc.stderr
    assert "empty.txt" in proc.stderr and "scan.txt" in proc.stderr
    assert re.search(r"articles\W+2\b", proc.stderr), proc.stderr
    ds = store.load(out)
    assert len(set(ds.subjects(RDF.type, DG.Article))) == 2
    assert (out / "graph.ttl").is_file()


def test_build_with_nothing_readable_fails_with_exit_1(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "empty.txt").write_bytes(b"")
    proc = kg("build", src, "--out", tmp_path / "out")
    assert proc.returncode == 1
    assert "empty.txt" in proc.stderr


# --- query ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def queries(built, tmp_path_factory):
    empty = tmp_path_factory.mktemp("never-built")
    runs = {
        "csv": ("query", built, "--name", "meetings", "--format", "csv"),
        "json": ("query", built, "--name", "meetings", "--format", "json"),
        "table": ("query", built, "--name", "positions"),
        "list": ("query", built, "--list"),
        "none": ("query", built),
        "no-graph": ("query", empty, "--name", "meetings"),
        "bad-sparql": ("query", built, "SELECT ?x WHERE { ?x a dg:Person "),
        "hostile": ("query", built, "--name", "positions", "--param",
                    'country="} ; DROP ALL #', "--format", "json"),
        "sparql": ("query", built, "SELECT ?n WHERE { ?c a dg:Country ; rdfs:label ?n }",
                   "--format", "csv"),
    }
    return {"empty": empty, **dict(zip(runs, kg_many(list(runs.values())), strict=True))}


def test_query_named_as_csv_matches_the_api(queries, built):
    proc = queries["csv"]
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.reader(io.StringIO(proc.stdout)))
    expected = api.query_named(api.open_graph(built), "meetings")
    assert rows[0] == ["a", "b", "place", "date"] == expected.columns
    assert rows[1:] == [["" if v is None else v for v in r] for r in expected.rows]
    assert len(rows) > 1


def test_query_named_as_json_matches_the_api(queries, built):
    proc = queries["json"]
    assert proc.returncode == 0, proc.stderr
    records = json.loads(proc.stdout)
    expected = api.query_named(api.open_graph(built), "meetings")
    assert records == [dict(zip(expected.columns, r, strict=True)) for r in expected.rows]
    assert records and set(records[0]) == {"a", "b", "place", "date"}


def test_query_as_table_prints_the_columns(queries):
    proc = queries["table"]
    assert proc.returncode == 0, proc.stderr
    assert "person" in proc.stdout and "title" in proc.stdout
    assert re.search(r"\d+ row\(s\)", proc.stderr)


def test_query_list_shows_every_named_query(queries):
    proc = queries["list"]
    assert proc.returncode == 0, proc.stderr
    for name in ("meetings", "agreements", "positions", "evidence"):
        assert name in proc.stdout


def test_query_without_a_query_exits_1_with_a_clear_message(queries):
    proc = queries["none"]
    assert proc.returncode == 1
    assert "error" in proc.stderr and "--name" in proc.stderr and "--file" in proc.stderr


def test_query_on_a_folder_without_a_graph_exits_1_and_names_it(queries):
    proc = queries["no-graph"]
    assert proc.returncode == 1
    assert str(queries["empty"]) in proc.stderr
    assert "kg build" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_query_with_malformed_sparql_exits_1_without_a_traceback(queries):
    proc = queries["bad-sparql"]
    assert proc.returncode == 1
    assert "SPARQL" in proc.stderr and "Traceback" not in proc.stderr


def test_query_parameter_is_a_value_not_sparql(queries):
    proc = queries["hostile"]
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []


def test_ad_hoc_sparql_with_predeclared_prefixes(queries, built):
    proc = queries["sparql"]
    assert proc.returncode == 0, proc.stderr
    names = {r[0] for r in list(csv.reader(io.StringIO(proc.stdout)))[1:]}
    ds = api.open_graph(built)
    assert names == {str(ds.value(c, RDFS.label)) for c in ds.subjects(RDF.type, DG.Country)}
    assert names


# --- export and viz --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def exports(built, tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    runs = [("export", built, "--format", fmt, "--output", folder / f"graph.{fmt}")
            for fmt in EXPORTS]
    runs.append(("viz", built, "--output", folder / "page.html", "--title", "Test page"))
    procs = kg_many(runs)
    return folder, dict(zip([*EXPORTS, "viz"], procs, strict=True))


@pytest.mark.parametrize("fmt", EXPORTS)
def test_export_writes_each_format(exports, built, same_dataset, fmt):
    folder, procs = exports
    proc, path = procs[fmt], folder / f"graph.{fmt}"
    assert proc.returncode == 0, proc.stderr
    assert path.is_file() and str(path) in proc.stderr
    ds = store.load(built)
    if fmt == "ttl":
        assert isomorphic(Graph().parse(path, format="turtle"), store.union(ds))
    elif EXPORTS[fmt]:
        back = Dataset(default_union=True)
        back.parse(path, format=EXPORTS[fmt])
        assert same_dataset(back, ds)
    elif fmt == "graphml":
        G = nx.read_graphml(path)
        assert G.number_of_nodes() > 0 and G.number_of_edges() > 0
    else:
        rows = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
        assert rows[0][:4] == ["subject", "predicate", "object", "evidence"]
        assert len(rows) > 1 and all(r[3] for r in rows[1:])


def test_export_needs_a_known_format(built, tmp_path):
    proc = kg("export", built, "--format", "xml", "--output", tmp_path / "g.xml")
    assert proc.returncode == 2
    assert not (tmp_path / "g.xml").exists()


def test_viz_writes_an_offline_html_page(exports, built):
    folder, procs = exports
    proc, page = procs["viz"], folder / "page.html"
    assert proc.returncode == 0, proc.stderr
    html = page.read_text("utf-8")
    assert "Test page" in html
    for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html, flags=re.I):
        assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", tag, re.I), tag
    assert 'src="http' not in html and 'href="http' not in html
    labels = {str(o) for o in store.load(built).objects(None, RDFS.label)}
    assert any(label in html for label in labels)
