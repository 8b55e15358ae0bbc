"""Properties that hold for any input (Hypothesis), with the real spaCy model.

- Ingestion never raises on arbitrary bytes in any supported file type, only
  reports InputErrors naming the file; what it reads, extraction takes without
  raising. Extraction never raises on arbitrary short text. (1,000 examples each.)
- A build is idempotent: building the same sources again into the same folder
  extracts nothing and writes the same bytes, and a fresh folder gets them too.
- Every label survives export and re-import, in every format of `kg export`.
"""
from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import networkx as nx
import pytest
from conftest import time_limit
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef
from test_extract_property import SEPARATORS, WORDS

from kg import api
from kg.build import build_dataset
from kg.errors import InputError, NoArticlesError
from kg.export import export_graph
from kg.extract import extract_doc
from kg.ingest import CONTROL_CHARS, iter_articles
from kg.model import Article, Entity, Extraction, Fact
from kg.resolve import resolve

MANY = settings(max_examples=1000, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
LIMIT = 5.0  # seconds per example: a hang fails instead of stalling the suite

# --- ingestion and extraction never raise ------------------------------------------------------
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-32", "latin-1", "cp1252"]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=3),
    max_leaves=8)
records = st.fixed_dictionaries(
    {"text": st.one_of(st.text(max_size=200), json_values)},
    optional={k: st.one_of(st.text(max_size=30), json_values)
              for k in ("id", "title", "url", "published")})
jsonl = st.lists(st.one_of(records.map(json.dumps), st.text(max_size=60)), max_size=4).map(
    lambda lines: "\n".join(lines).encode("utf-8", "surrogatepass"))
html = st.builds(
    lambda title, body, script: (f"<html><head><title>{title}</title><script>{script}</script>"
                                 f"</head><body><p>{body}</p></body></html>").encode(),
    st.text(max_size=40), st.text(max_size=300), st.text(max_size=60))
encoded = st.builds(lambda text, enc: text.encode(enc, "ignore"), st.text(max_size=300),
                    st.sampled_from(ENCODINGS))
signed = st.builds(lambda sig, rest: sig + rest,
                   st.sampled_from([b"%PDF-", b"\x89PNG\r\n\x1a\n", b"PK\x03\x04", b"\xff\xfe",
                                    b"\xef\xbb\xbf", b"\x1f\x8b", b"{\\rtf"]),
                   st.binary(max_size=100))
any_bytes = st.one_of(st.binary(max_size=400), encoded, jsonl, html, signed)


@MANY
@given(suffix=st.sampled_from([".txt", ".md", ".html", ".jsonl"]), data=any_bytes)
def test_ingestion_and_extraction_never_raise_on_any_bytes(nlp, tmp_path, suffix, data):
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    errors: list[InputError] = []
    with time_limit(LIMIT):
        articles = list(iter_articles([path], on_error=errors.append))
    assert articles or errors
    for err in errors:
        assert err.path == path and err.reason
        assert err.line is None or suffix == ".jsonl"
    for article in articles:
        assert article.text and article.text == article.text.strip() and len(article.id) == 16
        assert not CONTROL_CHARS.search(article.text + (article.title or ""))
        with time_limit(LIMIT):
            extract_doc(article, nlp(article.text))


newsy = st.lists(st.tuples(st.sampled_from(WORDS), SEPARATORS), max_size=25).map(
    lambda parts: "".join(w + s for w, s in parts))


@MANY
@given(text=st.one_of(st.text(max_size=150), newsy))
def test_extraction_never_raises_on_any_short_text(nlp, text):
    with time_limit(LIMIT):
        ex = extract_doc(Article(id="p", text=text, source="hypothesis"), nlp(text))
    assert isinstance(ex, Extraction)


# --- a build is idempotent --------------------------------------------------------------------
PEOPLE = [("President", "Amara Okafor", "Ghana"), ("Prime Minister", "Lena Varga", "Hungary"),
          ("Foreign Minister", "Tomas Berg", "Norway"), ("President", "Rosa Quispe", "Peru"),
          ("Prime Minister", "Minh Tran", "Vietnam")]
PLACES = ["Accra", "Budapest", "Oslo", "Lima", "Hanoi", "Geneva"]
SENTENCES = [
    lambda a, b, place, day: (f"{a[0]} {a[1]} of {a[2]} met {b[0]} {b[1]} of {b[2]} in {place} "
                              f"on {day} March 2025."),
    lambda a, b, place, day: f"{a[2]} and {b[2]} signed an agreement on trade in {place}.",
    lambda a, b, place, day: f"{a[2]} joined the African Union on {day} May 2024.",
    lambda a, b, place, day: f"{a[1]} said that {a[2]} supports the Great Green Wall initiative.",
    lambda a, b, place, day: f"{a[2]} and {b[2]} agreed to a strategic partnership.",
]
sentence = st.builds(lambda make, a, b, place, day: make(a, b, place, day),
                     st.sampled_from(SENTENCES), st.sampled_from(PEOPLE),
                     st.sampled_from(PEOPLE), st.sampled_from(PLACES),
                     st.integers(min_value=1, max_value=28))
story = st.lists(sentence, min_size=1, max_size=4).map(" ".join)
OUTPUTS = ("graph.trig", "graph.ttl", "manifest.json", "resolution.json", "state.json")


def _outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stories=st.lists(story, min_size=1, max_size=3, unique=True))
def test_a_build_is_idempotent(nlp, stories):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        src = root / "src.jsonl"
        src.write_text("".join(json.dumps({"text": s}) + "\n" for s in stories), "utf-8")
        out = root / "out"
        try:
            first = api.build([src], out, html=False, validate=False)
        except NoArticlesError:
            assume(False)  # every story a duplicate of another once whitespace is folded
        files = _outputs(out)
        again = api.build([src], out, html=False, validate=False)
        assert (again.extracted, again.reused) == (0, first.extracted)
        assert _outputs(out) == files
        api.build([src], root / "fresh", html=False, validate=False)
        assert _outputs(root / "fresh") == files


# --- every label survives export and re-import ----------------------------------------------
# a label is any text ingestion lets through: no control character but tab and newline
# (kg.ingest.CONTROL_CHARS, checked by the ingestion property above), no lone surrogate
labels = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=[
    chr(c) for c in range(0x110000) if CONTROL_CHARS.match(chr(c))] + ["\r"]),
    min_size=1, max_size=30).filter(lambda s: s.strip())


def _extraction(names: list[str]) -> Extraction:
    """One article whose entities carry `names`: people hold posts in countries, countries
    are members of organisations and support initiatives, people meet."""
    types = ["Person", "Country", "Organization", "Initiative"]
    entities = tuple(Entity(f"e{i}", types[i % 4], name) for i, name in enumerate(names))
    text = " ".join(names)
    of = {t: [e.key for e in entities if e.type == t] for t in types}
    facts = [Fact("position", (("person", (p,)), ("org", (c,))), (("title", "President"),),
                  text, 0.8) for p, c in zip(of["Person"], of["Country"], strict=False)]
    facts += [Fact("member", (("member", (c,)), ("org", (o,))), (), text, 0.6)
              for c, o in zip(of["Country"], of["Organization"], strict=False)]
    facts += [Fact("supports", (("who", (c,)), ("what", (i,))), (), text, 0.7)
              for c, i in zip(of["Country"], of["Initiative"], strict=False)]
    if len(of["Person"]) > 1:
        facts.append(Fact("meeting", (("participant", tuple(of["Person"])),), (), text, 0.8))
    return Extraction(Article(id="labels", text=text, source="hypothesis"), entities,
                      tuple(facts))


def _rdf_labels(g: Graph) -> set[Literal]:
    return {o for o in g.objects(None, RDFS.label) if isinstance(o, Literal)}


@settings(max_examples=150, deadline=None)
@given(names=st.lists(labels, min_size=4, max_size=9, unique=True))
def test_every_label_survives_export_and_reimport_in_every_format(names):
    from kg.cli import ExportFormat

    ex = _extraction(names)
    ds = build_dataset([ex], resolve([ex]))
    expected = _rdf_labels(ds)
    assert expected
    formats = {f.value for f in ExportFormat}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in sorted(formats):
            path = export_graph(ds, fmt, Path(tmp) / f"graph.{fmt}")
            if fmt in ("ttl", "trig", "nq", "jsonld"):
                back = Dataset(default_union=True)
                back.parse(path, format={"ttl": "turtle", "trig": "trig", "nq": "nquads",
                                         "jsonld": "json-ld"}[fmt])
                assert _rdf_labels(back) == expected, fmt
            elif fmt in ("graphml", "gexf"):
                g = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
                assert g.number_of_nodes(), fmt
                for node, data in g.nodes(data=True):  # a node without a label shows its IRI
                    assert data["label"] == str(ds.value(URIRef(node), RDFS.label) or node), fmt
            elif fmt == "csv":
                rows = list(csv.DictReader(io.StringIO(path.read_bytes().decode(), newline="")))
                assert rows
                got = {r["subject"] for r in rows} | {r["object"] for r in rows}
                ends = {n for st_ in ds.subjects(RDF.type, RDF.Statement)
                        for n in (ds.value(st_, RDF.subject), ds.value(st_, RDF.object))}
                assert got == {str(ds.value(n, RDFS.label) or n) for n in ends}, fmt
            else:
                pytest.fail(f"no round trip for the export format {fmt!r}: add one here")
