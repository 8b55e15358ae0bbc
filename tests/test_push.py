"""Tests of kg.push (`kg push`) against a real Oxigraph server (PyPI `oxigraph`) started here."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg import api, store
from kg.build import build_dataset
from kg.errors import KGError, PushError
from kg.push import article_graphs, graph_store_url, push
from kg.sparql import PREFIXES, named_queries

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _oxigraph() -> str:
    found = BIN / "oxigraph"
    if found.exists():
        return str(found)
    which = shutil.which("oxigraph")
    if which is None:
        pytest.fail("the Oxigraph server is not installed: pip install -e '.[test]' (PyPI "
                    "package 'oxigraph')")
    return which


@pytest.fixture()
def oxigraph(tmp_path):
    """A fresh `oxigraph serve` on a free loopback port (union default graph); its base URL."""
    port = _free_port()
    proc = subprocess.Popen([_oxigraph(), "serve", "--location", str(tmp_path / "oxi"),
                             "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2):
                break
        except (urllib.error.URLError, ConnectionError):
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline, "oxigraph serve did not come up"
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture()
def dataset(tiny_extractions):
    from kg.resolve import resolve

    return build_dataset(tiny_extractions, resolve(tiny_extractions))


def remote_graph(base: str, iri: str) -> Graph:
    req = urllib.request.Request(f"{base}/store?" + urlencode({"graph": iri}),
                                 headers={"Accept": "application/n-triples"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return Graph().parse(data=resp.read(), format="nt")


def remote_select(base: str, query: str) -> list[dict[str, str]]:
    req = urllib.request.Request(f"{base}/query?" + urlencode({"query": query}),
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        rows = json.loads(resp.read())["results"]["bindings"]
    return [{k: v["value"] for k, v in r.items()} for r in rows]


def test_push_puts_one_named_graph_per_article_and_verifies(oxigraph, dataset):
    report = push(dataset, f"{oxigraph}/store", endpoint=f"{oxigraph}/query")
    graphs = article_graphs(dataset)
    assert len(graphs) == 2
    assert report.graphs == 2 and report.verified
    assert report.triples == sum(len(g) for g in graphs)
    for g in graphs:
        assert isomorphic(remote_graph(oxigraph, str(g.identifier)), g)


def test_pushing_again_replaces_and_leaves_other_graphs_alone(oxigraph, dataset):
    other = "urn:example:unrelated"
    req = urllib.request.Request(f"{oxigraph}/store?" + urlencode({"graph": other}),
                                 data=b"<urn:a> <urn:b> <urn:c> .\n", method="PUT",
                                 headers={"Content-Type": "application/n-triples"})
    urllib.request.urlopen(req, timeout=30).close()
    push(dataset, f"{oxigraph}/store", endpoint=f"{oxigraph}/query")
    first = article_graphs(dataset)[0]
    dropped = next(iter(first.triples((None, URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
                                       None))))
    first.remove(dropped)
    first.add((URIRef("urn:example:new"), URIRef("urn:example:p"), Literal("café")))
    report = push(dataset, f"{oxigraph}/store", endpoint=f"{oxigraph}/query")
    assert report.verified
    assert isomorphic(remote_graph(oxigraph, str(first.identifier)), first)
    assert len(remote_graph(oxigraph, other)) == 1


@pytest.mark.parametrize("name", ["meetings", "agreements", "positions", "most_connected"])
def test_library_queries_give_the_same_rows_on_the_pushed_graph(oxigraph, dataset, name):
    push(dataset, f"{oxigraph}/store")
    local = api.query_named(dataset, name)
    remote = remote_select(oxigraph, PREFIXES + named_queries()[name])
    got = [[row.get(c) for c in local.columns] for row in remote]
    if name == "agreements":  # GROUP_CONCAT order is not defined
        local.rows[:] = [[*r[:3], *(sorted(v.split("; ")) if v else v for v in r[3:])]
                         for r in local.rows]
        got = [[*r[:3], *(sorted(v.split("; ")) if v else v for v in r[3:])] for r in got]
    assert got == local.rows


def test_kg_push_command(oxigraph, dataset, tmp_path):
    folder = tmp_path / "built"
    store.save(dataset, folder, [], {})
    run = subprocess.run([str(BIN / "kg"), "push", str(folder), "--endpoint", f"{oxigraph}/query"],
                         capture_output=True, text=True, timeout=300,
                         env={**os.environ, "COLUMNS": "300", "NO_COLOR": "1"})
    assert run.returncode == 0, run.stderr
    assert "pushed 2 graphs" in run.stderr and "verified" in run.stderr
    assert f"{oxigraph}/store" in run.stderr


def test_graph_store_url_sits_beside_the_endpoint():
    assert graph_store_url("http://localhost:7878/query") == "http://localhost:7878/store"
    assert graph_store_url("http://h:3030/ds/sparql") == "http://h:3030/ds/store"
    assert graph_store_url("http://h:7878") == "http://h:7878/store"
    with pytest.raises(PushError):
        graph_store_url("ftp://h/query")


def test_unreachable_server_is_a_push_error_naming_it(dataset):
    url = f"http://127.0.0.1:{_free_port()}/store"
    with pytest.raises(PushError, match="cannot reach") as info:
        push(dataset, url)
    assert isinstance(info.value, KGError)
    assert url in str(info.value)


def test_a_refused_graph_is_a_push_error_with_the_servers_answer(oxigraph, dataset):
    with pytest.raises(PushError, match="404") as info:
        push(dataset, f"{oxigraph}/nowhere")
    assert "article/" in str(info.value)


def test_kg_push_to_nothing_exits_1_with_a_message(dataset, tmp_path):
    folder = tmp_path / "built"
    store.save(dataset, folder, [], {})
    run = subprocess.run([str(BIN / "kg"), "push", str(folder), "--endpoint",
                          f"http://127.0.0.1:{_free_port()}/query"], capture_output=True,
                         text=True, timeout=300, env={**os.environ, "COLUMNS": "300"})
    assert run.returncode == 1
    assert "cannot reach" in run.stderr


def test_a_built_folder_is_pushed_from_its_store_graph_by_graph(oxigraph, dataset, tmp_path):
    from kg.oxstore import open_read_only
    from kg.push import store_graphs

    folder = tmp_path / "built"
    store.save(dataset, folder, [], {})
    outgoing = store_graphs(open_read_only(store.store_path(folder)))
    expected = article_graphs(dataset)
    assert [g.iri for g in outgoing] == [str(g.identifier) for g in expected]
    assert [g.triples for g in outgoing] == [len(g) for g in expected]
    report = push(outgoing, f"{oxigraph}/store", endpoint=f"{oxigraph}/query")
    assert report.verified and report.graphs == 2
    for g in expected:
        assert isomorphic(remote_graph(oxigraph, str(g.identifier)), g)
