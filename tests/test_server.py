"""Tests of kg.server (`kg serve`): a real server on a free port, real HTTP clients, SPARQLWrapper.

The graph is the hand-made tiny corpus of conftest.py, saved as a built folder.
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from kg import api, store
from kg.build import build_dataset
from kg.resolve import resolve
from kg.server import Limits, make_server

SRX = "{http://www.w3.org/2005/sparql-results#}"
KENYA = "https://w3id.org/diplograph/id/country/kenya"
COUNTRIES = "SELECT ?c ?name WHERE { ?c a dg:Country ; rdfs:label ?name } ORDER BY ?name"
# a cross product of every triple with itself three times: far past any tiny time limit
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
LIMITS = Limits(timeout=3.0, max_rows=40, max_request_bytes=4000, max_concurrent=2)


@pytest.fixture(scope="module")
def built(tmp_path_factory, tiny_extractions):
    """A built folder (graph.trig, graph.ttl, graph.html) of the tiny corpus."""
    folder = tmp_path_factory.mktemp("served")
    ds = build_dataset(tiny_extractions, resolve(tiny_extractions))
    store.save(ds, folder, tiny_extractions, {})
    api.render(ds, folder / store.GRAPH_HTML, title="served graph")
    return folder


@pytest.fixture(scope="module")
def server(built):
    """A live server on a free port of 127.0.0.1, in a background thread."""
    srv = make_server(built, "127.0.0.1", 0, limits=LIMITS)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def http(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None,
         method: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of one request; HTTP errors are returned, not raised."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def get(server, query: str, **params: str) -> tuple[int, dict[str, str], bytes]:
    headers = {"Accept": params.pop("accept")} if "accept" in params else {}
    return http(f"{server.url}/sparql?" + urlencode({"query": query, **params}), headers=headers)


# --- result formats --------------------------------------------------------------------------
def test_select_answers_sparql_json_by_default(server):
    status, headers, body = get(server, COUNTRIES)
    assert status == 200
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    doc = json.loads(body)
    assert doc["head"]["vars"] == ["c", "name"]
    rows = doc["results"]["bindings"]
    assert [r["name"]["value"] for r in rows] == ["Kenya", "Morocco", "Portugal"]
    assert rows[0]["c"] == {"type": "uri", "value": KENYA}
    assert rows[0]["name"] == {"type": "literal", "value": "Kenya"}


def test_select_as_xml_by_accept_header(server):
    status, headers, body = get(server, COUNTRIES, accept="application/sparql-results+xml")
    assert status == 200 and "sparql-results+xml" in headers["Content-Type"]
    root = ET.fromstring(body)
    names = [b.find(f"{SRX}literal").text for b in root.iter(f"{SRX}binding")
             if b.get("name") == "name"]
    assert names == ["Kenya", "Morocco", "Portugal"]
    assert [v.get("name") for v in root.iter(f"{SRX}variable")] == ["c", "name"]


@pytest.mark.parametrize(("how", "media"), [({"format": "csv"}, "text/csv"),
                                            ({"accept": "text/csv"}, "text/csv")])
def test_select_as_csv(server, how, media):
    status, headers, body = get(server, COUNTRIES, **how)
    assert status == 200 and headers["Content-Type"].startswith(media)
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert rows[0] == ["c", "name"]
    assert rows[1] == [KENYA, "Kenya"]
    assert body.endswith(b"\r\n")


def test_select_as_tsv_writes_terms_in_turtle_syntax(server):
    query = 'SELECT ?c ?n ?d WHERE { ?c a dg:Country ; rdfs:label "Kenya" . BIND(1 AS ?n) }'
    status, headers, body = get(server, query, accept="text/tab-separated-values")
    assert status == 200 and headers["Content-Type"].startswith("text/tab-separated-values")
    lines = body.decode().splitlines()
    assert lines[0] == "?c\t?n\t?d"
    assert lines[1] == f"<{KENYA}>\t\"1\"^^<http://www.w3.org/2001/XMLSchema#integer>\t"


@pytest.mark.parametrize(("fmt", "expected"), [
    ("json", b'"boolean": true'), ("xml", b"<boolean>true</boolean>"),
    ("csv", b"_askResult\r\ntrue"), ("tsv", b"?_askResult\ntrue")])
def test_ask_in_each_format(server, fmt, expected):
    status, _, body = get(server, "ASK { ?p a dg:Partnership }", format=fmt)
    assert status == 200
    assert expected in body


@pytest.mark.parametrize(("how", "media", "rdf_format"), [
    ({}, "text/turtle", "turtle"),
    ({"accept": "text/turtle"}, "text/turtle", "turtle"),
    ({"accept": "application/n-triples"}, "application/n-triples", "nt"),
    ({"format": "nt"}, "application/n-triples", "nt"),
    ({"accept": "application/rdf+xml"}, "application/rdf+xml", "xml"),
])
def test_construct_answers_an_rdf_graph(server, built, how, media, rdf_format):
    query = ("CONSTRUCT { ?c a dg:Country ; rdfs:label ?n } "
             "WHERE { ?c a dg:Country ; rdfs:label ?n }")
    status, headers, body = get(server, query, **how)
    assert status == 200 and headers["Content-Type"].startswith(media)
    got = Graph().parse(data=body, format=rdf_format)
    expected = Graph()
    for row in api.query(api.open_graph(built), COUNTRIES).rows:
        expected.add((URIRef(row[0]), URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                      URIRef("https://w3id.org/diplograph/ontology#Country")))
        expected.parse(data=f'<{row[0]}> <http://www.w3.org/2000/01/rdf-schema#label> '
                            f'"{row[1]}" .', format="nt")
    assert isomorphic(got, expected)


def test_describe_answers_turtle(server):
    status, _, body = get(server, f"DESCRIBE <{KENYA}>")
    assert status == 200
    assert (URIRef(KENYA), None, None) in Graph().parse(data=body, format="turtle")


def test_unacceptable_format_is_406_naming_what_is_offered(server):
    status, _, body = get(server, COUNTRIES, accept="image/png")
    assert status == 406
    assert b"text/csv" in body and b"image/png" in body


# --- POST --------------------------------------------------------------------------------------
def test_post_form_encoded_query(server):
    data = urlencode({"query": COUNTRIES}).encode()
    status, _, body = http(f"{server.url}/sparql", data=data,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200
    assert len(json.loads(body)["results"]["bindings"]) == 3


def test_post_sparql_query_body(server):
    status, headers, body = http(f"{server.url}/sparql", data=COUNTRIES.encode(),
                                 headers={"Content-Type": "application/sparql-query",
                                          "Accept": "text/csv"})
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert body.decode().splitlines()[1:] == [f"{KENYA},Kenya",
                                              "https://w3id.org/diplograph/id/country/morocco,"
                                              "Morocco",
                                              "https://w3id.org/diplograph/id/country/portugal,"
                                              "Portugal"]


def test_post_with_an_unknown_body_type_is_415(server):
    status, _, _ = http(f"{server.url}/sparql", data=b"{}",
                        headers={"Content-Type": "application/json"})
    assert status == 415


# --- refusals ----------------------------------------------------------------------------------
UPDATES = [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "PREFIX x: <urn:x#>\nDELETE WHERE { ?s ?p ?o }",
    "DROP ALL",
    "CLEAR DEFAULT",
    "LOAD <http://example.org/data.ttl>",
    "CREATE GRAPH <urn:g>",
    "# a comment first\nDELETE DATA { <urn:a> <urn:b> <urn:c> }",
    "DROP ALL ;; nonsense",
]


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused_with_403_and_change_nothing(server, update):
    before = len(server.engine)
    for status, _, body in (
        get(server, update),
        http(f"{server.url}/sparql", data=urlencode({"update": update}).encode(),
             headers={"Content-Type": "application/x-www-form-urlencoded"}),
        http(f"{server.url}/sparql", data=update.encode(),
             headers={"Content-Type": "application/sparql-update"}),
        http(f"{server.url}/sparql", data=update.encode(),
             headers={"Content-Type": "application/sparql-query"}),
    ):
        assert status == 403, body
        assert b"read-only" in body
    assert len(server.engine) == before


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://127.0.0.1:9/x> { ?s ?q ?r } } }",
])
def test_service_is_refused(server, query):
    status, _, body = get(server, query)
    assert status == 403
    assert b"SERVICE" in body


def test_from_is_refused(server):
    status, _, body = get(server, "SELECT * FROM <http://127.0.0.1:9/g.ttl> WHERE { ?s ?p ?o }")
    assert status == 403 and b"FROM" in body


def test_a_prefixed_name_or_variable_called_service_is_fine(server):
    status, _, _ = get(server, "PREFIX service: <urn:s#> SELECT ?service WHERE "
                               "{ ?service service:x ?o }")
    assert status == 200


@pytest.mark.parametrize("query", ["SELECT ?x WHERE { ?x a dg:Country ", "SELEKT * {}",
                                   "SELECT * WHERE { ?s nope:x ?o }"])
def test_malformed_query_is_400_with_the_parser_message(server, query):
    status, _, body = get(server, query)
    assert status == 400
    assert b"malformed SPARQL query" in body


def test_missing_query_is_400(server):
    status, _, body = http(f"{server.url}/sparql")
    assert status == 400 and b"query" in body


# --- limits ------------------------------------------------------------------------------------
def test_slow_query_is_stopped_with_503_and_the_server_goes_on(built):
    srv = make_server(built, "127.0.0.1", 0, limits=Limits(timeout=0.5, max_concurrent=1))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        started = time.monotonic()
        status, _, body = get(srv, SLOW)
        assert status == 503
        assert b"0.5 s" in body and b"stopped" in body
        assert time.monotonic() - started < 5
        # the interrupted query really stopped: its slot is free for the next one
        status, _, body = get(srv, COUNTRIES)
        assert status == 200, body
        deadline = time.monotonic() + 5
        while any(t.name == "kg-query" and t.is_alive() for t in threading.enumerate()):
            assert time.monotonic() < deadline, "the stopped query's thread is still running"
            time.sleep(0.05)
    finally:
        srv.shutdown()
        srv.server_close()


def test_result_over_the_row_cap_is_422_and_says_to_add_limit(server):
    status, _, body = get(server, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 422
    assert b"more than 40 rows" in body and b"LIMIT" in body
    status, _, body = get(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 40")
    assert status == 200
    assert len(json.loads(body)["results"]["bindings"]) == 40


def test_construct_over_the_cap_is_422(server):
    status, _, body = get(server, "CONSTRUCT WHERE { ?s ?p ?o }")
    assert status == 422 and b"triples" in body


def test_request_body_over_the_size_limit_is_413(server):
    big = COUNTRIES + " #" + "x" * LIMITS.max_request_bytes
    status, _, body = http(f"{server.url}/sparql", data=big.encode(),
                           headers={"Content-Type": "application/sparql-query"})
    assert status == 413
    assert str(LIMITS.max_request_bytes).encode() in body


def test_request_url_over_the_size_limit_is_414(server):
    status, _, _ = get(server, COUNTRIES + " #" + "x" * LIMITS.max_request_bytes)
    assert status == 414


def test_parallel_queries_are_all_answered(server):
    results: list[int] = []

    def one() -> None:
        results.append(get(server, COUNTRIES)[0])

    threads = [threading.Thread(target=one) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results == [200] * 6


# --- named queries and the page -----------------------------------------------------------------
def test_named_queries_are_listed_and_run_with_bindings(server):
    status, _, body = http(f"{server.url}/queries")
    assert status == 200 and "timeline" in json.loads(body)
    status, _, body = http(f"{server.url}/queries/meetings?"
                           + urlencode({"person": "Montenegro", "format": "csv"}))
    assert status == 200
    assert body.decode().splitlines()[1] == "Aziz Akhannouch,Luís Montenegro,Lisbon,2025-03-12"
    status, _, body = http(f"{server.url}/queries/meetings?"
                           + urlencode({"person": '"} ; DROP ALL #'}))
    assert status == 200 and json.loads(body)["results"]["bindings"] == []
    assert http(f"{server.url}/queries/nope")[0] == 404


def test_root_serves_the_graph_page(server, built):
    status, headers, body = http(f"{server.url}/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert body == (built / store.GRAPH_HTML).read_bytes()
    assert http(f"{server.url}/elsewhere")[0] == 404


def test_binds_loopback_by_default(built):
    srv = make_server(built, port=0)
    try:
        assert srv.server_address[0] == "127.0.0.1"
    finally:
        srv.server_close()


# --- SPARQLWrapper ------------------------------------------------------------------------------
@pytest.fixture()
def wrapper(server):
    from SPARQLWrapper import SPARQLWrapper

    def make(query: str, fmt: str, method: str = "GET"):
        sw = SPARQLWrapper(f"{server.url}/sparql")
        sw.setQuery(query)
        sw.setReturnFormat(fmt)
        sw.setMethod(method)
        return sw

    return make


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_json_and_xml(wrapper, method):
    from SPARQLWrapper import JSON, XML

    prefixed = "PREFIX dg: <https://w3id.org/diplograph/ontology#>\n" \
               "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + COUNTRIES
    doc = wrapper(prefixed, JSON, method).queryAndConvert()
    assert [b["name"]["value"] for b in doc["results"]["bindings"]] == [
        "Kenya", "Morocco", "Portugal"]
    xml = wrapper(prefixed, XML, method).queryAndConvert()
    assert [n.firstChild.data for n in xml.getElementsByTagName("literal")] == [
        "Kenya", "Morocco", "Portugal"]


def test_sparqlwrapper_csv_tsv_ask_and_construct(wrapper):
    from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML

    assert wrapper(COUNTRIES, CSV).queryAndConvert().decode().splitlines()[1] == f"{KENYA},Kenya"
    assert wrapper(COUNTRIES, TSV).queryAndConvert().decode().splitlines()[1] == (
        f'<{KENYA}>\t"Kenya"')
    assert wrapper("ASK { ?p a dg:Partnership }", JSON).queryAndConvert()["boolean"] is True
    turtle = wrapper(f"CONSTRUCT WHERE {{ <{KENYA}> ?p ?o }}", TURTLE).queryAndConvert()
    assert (URIRef(KENYA), None, None) in Graph().parse(data=turtle, format="turtle")
    graph = wrapper(f"DESCRIBE <{KENYA}>", XML).queryAndConvert()  # RDF/XML -> rdflib Graph
    assert (URIRef(KENYA), None, None) in graph


def test_sparqlwrapper_update_is_refused(wrapper, server):
    from SPARQLWrapper import JSON, POST

    sw = wrapper("INSERT DATA { <urn:a> <urn:b> <urn:c> }", JSON, POST)
    with pytest.raises(urllib.error.HTTPError) as info:
        sw.query()
    assert info.value.code == 403


# --- the command ---------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_kg_serve_command_answers_queries(built):
    port = _free_port()
    kg = Path(sys.executable).with_name("kg")
    proc = subprocess.Popen([str(kg), "serve", str(built), "--port", str(port), "--timeout", "5"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"})
    try:
        url = f"http://127.0.0.1:{port}/sparql?query=" + quote("ASK { ?s ?p ?o }")
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as resp:
                    assert json.loads(resp.read())["boolean"] is True
                    break
            except (urllib.error.URLError, ConnectionError):
                assert proc.poll() is None, proc.communicate()[1]
                assert time.monotonic() < deadline, "kg serve did not come up"
                time.sleep(0.2)
    finally:
        proc.terminate()
        _, stderr = proc.communicate(timeout=30)
    assert f"127.0.0.1:{port}/sparql" in stderr


def test_kg_serve_on_a_folder_without_a_graph_exits_1(tmp_path):
    kg = Path(sys.executable).with_name("kg")
    run = subprocess.run([str(kg), "serve", str(tmp_path), "--port", "0"], capture_output=True,
                         text=True, timeout=120, env={**os.environ, "COLUMNS": "300"})
    assert run.returncode == 1
    assert "kg build" in run.stderr


def _listening(port: int) -> set[str]:
    """The local addresses (kernel hex notation) of sockets listening on `port`."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                address, hexport = local.rsplit(":", 1)
                if state == "0A" and int(hexport, 16) == port:  # 0A: LISTEN
                    found.add(address)
    return found


def test_kg_serve_binds_loopback_only_and_each_refusal_is_clear(built):
    """The real `kg serve` with small limits: loopback only by default; updates, LOAD and
    SERVICE refused; query time, result size and request size each stopped with a message;
    the server answers on afterwards."""
    port = _free_port()
    kg = Path(sys.executable).with_name("kg")
    proc = subprocess.Popen([str(kg), "serve", str(built), "--port", str(port), "--timeout", "1",
                             "--max-rows", "5", "--max-request-bytes", "2000"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"})
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        deadline = time.monotonic() + 60
        while not (_listening(port) and http(f"{url}?query=" + quote("ASK {}"))[0] == 200):
            assert proc.poll() is None, proc.communicate()[1]
            assert time.monotonic() < deadline, "kg serve did not come up"
            time.sleep(0.2)
        assert _listening(port) == {"0100007F"}  # 127.0.0.1, and nothing else
        refusals = {
            "update": http(url, data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                           headers={"Content-Type": "application/sparql-update"}),
            "load": http(f"{url}?query=" + quote("LOAD <http://127.0.0.1:9/x.ttl>")),
            "service": http(f"{url}?query=" + quote(
                "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")),
            "time": http(f"{url}?query=" + quote(SLOW)),
            "rows": http(f"{url}?query=" + quote("SELECT * WHERE { ?s ?p ?o }")),
            "size": http(url, data=("ASK {} #" + "x" * 3000).encode(),
                         headers={"Content-Type": "application/sparql-query"}),
        }
        expected = {"update": (403, b"read-only"), "load": (403, b"read-only"),
                    "service": (403, b"SERVICE"), "time": (503, b"longer than 1 s"),
                    "rows": (422, b"more than 5 rows"), "size": (413, b"2000")}
        for what, (status, said) in expected.items():
            got, _, body = refusals[what]
            assert got == status and said in body, (what, got, body)
        assert http(f"{url}?query=" + quote("ASK { ?s ?p ?o }"))[0] == 200
    finally:
        proc.terminate()
        proc.communicate(timeout=30)
