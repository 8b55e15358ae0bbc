"""Tests of kg.viz: graph -> nodes/edges (pure) and the self-contained HTML page."""
from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, SKOS, XSD, BNode, Dataset, Literal, Namespace, URIRef
from rdflib.namespace import PROV

from kg import store, viz

DG = Namespace("https://w3id.org/diplograph/ontology#")
ID = Namespace("https://w3id.org/diplograph/id/")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")

MACRON, MODI = ID["person/emmanuel-macron"], ID["person/narendra-modi"]
FRANCE, INDIA = ID["country/france"], ID["country/india"]
EU, DELHI, G20 = ID["org/european-union"], ID["place/new-delhi"], ID["event/g20-summit"]
ROADMAP, SOLAR = ID["agreement/horizon-2047"], ID["initiative/international-solar-alliance"]
MEETING, ART1, ART2 = ID["meeting/m1"], ID["article/a1"], ID["article/a2"]


class Builder:
    """Writes entities, facts and their rdf:Statement evidence into an article's named graph."""

    def __init__(self) -> None:
        self.ds = Dataset()

    def article(self, art: URIRef, title: str, date: str, url: str) -> None:
        g = self.ds.graph(art)
        g.add((art, RDF.type, DG.Article))
        g.add((art, RDFS.label, Literal(title)))
        g.add((art, DG.published, Literal(date, datatype=XSD_DATE)))
        g.add((art, DG.url, Literal(url)))

    def entity(self, art: URIRef, iri: URIRef, cls: URIRef, label: str, *alt: str) -> None:
        g = self.ds.graph(art)
        g.add((iri, RDF.type, cls))
        g.add((iri, RDFS.label, Literal(label)))
        g.add((art, DG.mentions, iri))
        for name in alt:
            g.add((iri, SKOS.altLabel, Literal(name)))

    def fact(self, art: URIRef, s: URIRef | BNode, p: URIRef, o: URIRef | BNode,
             sentence: str | None = None, confidence: float = 0.8) -> None:
        g = self.ds.graph(art)
        g.add((s, p, o))
        if sentence is not None:
            st = BNode()
            g.add((st, RDF.type, RDF.Statement))
            g.add((st, RDF.subject, s))
            g.add((st, RDF.predicate, p))
            g.add((st, RDF.object, o))
            g.add((st, PROV.wasDerivedFrom, art))
            g.add((st, DG.evidence, Literal(sentence)))
            g.add((st, DG.confidence, Literal(confidence)))


S_PRES = "French President Emmanuel Macron arrived in New Delhi."
S_MET = "Macron met Prime Minister Narendra Modi in New Delhi on Wednesday."
S_PART1 = "The two leaders reaffirmed the strategic partnership between France and India."
S_PART2 = "India and France are strategic partners, Modi said."


def sample() -> Dataset:
    """A small France-India graph spread over two articles."""
    b = Builder()
    b.article(ART1, "Macron in Delhi", "2024-07-03", "https://news.example/a1")
    b.article(ART2, "Modi hails ties", "2024-07-04", "https://news.example/a2")
    b.entity(ART1, MACRON, DG.Person, "Emmanuel Macron", "Macron", "President Macron")
    b.entity(ART1, MODI, DG.Person, "Narendra Modi", "Modi")
    b.entity(ART1, FRANCE, DG.Country, "France", "French Republic")
    b.entity(ART1, INDIA, DG.Country, "India")
    b.entity(ART1, EU, DG.Organization, "European Union", "EU")
    b.entity(ART1, DELHI, DG.Place, "New Delhi")
    b.entity(ART1, G20, DG.Event, "G20 Summit")
    b.entity(ART1, ROADMAP, DG.Agreement, "Horizon 2047 Roadmap")
    b.entity(ART2, SOLAR, DG.Initiative, "International Solar Alliance", "ISA")
    g1 = b.ds.graph(ART1)
    g1.add((ROADMAP, DG.status, Literal("signed")))
    pos = ID["position/president-france"]
    g1.add((pos, RDF.type, DG.Position))
    g1.add((pos, DG.title, Literal("President")))
    g1.add((pos, DG.postIn, FRANCE))
    b.fact(ART1, MACRON, DG.holds, pos, S_PRES, 0.9)
    g1.add((MEETING, RDF.type, DG.Meeting))
    g1.add((MEETING, DG.date, Literal("2024-07-03", datatype=XSD_DATE)))
    b.fact(ART1, MEETING, DG.participant, MACRON, S_MET)
    b.fact(ART1, MEETING, DG.participant, MODI, S_MET)
    b.fact(ART1, MEETING, DG.location, DELHI)
    b.fact(ART1, MEETING, DG.partOf, G20)
    b.fact(ART1, ROADMAP, DG.party, FRANCE, "France and India adopted the Horizon 2047 Roadmap.")
    b.fact(ART1, ROADMAP, DG.party, INDIA, "France and India adopted the Horizon 2047 Roadmap.")
    b.fact(ART1, ROADMAP, DG.signatory, MACRON, "Macron signed the roadmap.")
    b.fact(ART1, ROADMAP, DG.signedAt, MEETING)
    b.fact(ART1, FRANCE, DG.memberOf, EU, "France, a member of the EU, ...")
    b.fact(ART2, INDIA, DG.supports, SOLAR, "India backs the International Solar Alliance.")
    part = ID["partnership/france-india"]
    for art, sentence in ((ART1, S_PART1), (ART2, S_PART2)):
        g = b.ds.graph(art)
        g.add((part, RDF.type, DG.Partnership))
        g.add((part, DG.level, Literal("strategic partnership")))
        b.fact(art, part, DG.partner, FRANCE, sentence)
        b.fact(art, part, DG.partner, INDIA, sentence)
    return b.ds


def edges_between(edges: list[dict], a: URIRef, b: URIRef) -> list[dict]:
    return [e for e in edges if {e["from"], e["to"]} == {str(a), str(b)}]


def test_one_node_per_entity_and_meeting() -> None:
    nodes, _ = viz.network(sample())
    by_id = {n["id"]: n for n in nodes}
    expected = {MACRON, MODI, FRANCE, INDIA, EU, DELHI, G20, ROADMAP, SOLAR, MEETING}
    assert set(by_id) == {str(x) for x in expected}  # no article, statement, position, partnership
    assert len(nodes) == len(by_id)
    macron = by_id[str(MACRON)]
    assert macron["type"] == "Person"
    assert macron["label"] == "Emmanuel Macron"
    assert macron["alt"] == ["Macron", "President Macron"]
    assert macron["positions"] == ["President of France"]
    assert "Emmanuel Macron" in macron["tooltip"] and "Person" in macron["tooltip"]
    assert by_id[str(MEETING)]["type"] == "Meeting"
    assert by_id[str(MEETING)]["label"] == "Meeting 2024-07-03"
    assert by_id[str(ROADMAP)]["facts"] == ["status: signed"]
    assert by_id[str(SOLAR)]["sources"] == [
        {"article": "Modi hails ties", "date": "2024-07-04", "url": "https://news.example/a2"}]


def test_position_collapses_into_titled_edge_with_evidence() -> None:
    _, edges = viz.network(sample())
    [edge] = edges_between(edges, MACRON, FRANCE)
    assert (edge["from"], edge["to"], edge["label"], edge["kind"]) == (
        str(MACRON), str(FRANCE), "President", "holds")
    assert edge["evidence"] == [{
        "sentence": S_PRES, "article": "Macron in Delhi", "date": "2024-07-03",
        "url": "https://news.example/a1", "confidence": 0.9, "sources": 0, "support": 0}]
    assert (edge["support"], edge["sources"], edge["confidence"]) == (1, 0, 0.9)


def test_source_count_of_a_statement_reaches_its_edge() -> None:
    ds = sample()
    for st, _, _, ctx in list(ds.quads((None, RDF.predicate, DG.holds, None))):
        ds.graph(ctx).add((st, DG.sourceCount, Literal(2, datatype=XSD.integer)))
    _, edges = viz.network(ds)
    [edge] = edges_between(edges, MACRON, FRANCE)
    assert [ev["sources"] for ev in edge["evidence"]] == [2]


def test_partnership_is_one_edge_with_evidence_from_both_articles() -> None:
    _, edges = viz.network(sample())
    [edge] = edges_between(edges, FRANCE, INDIA)
    assert edge["label"] == "strategic partnership" and edge["kind"] == "partner"
    assert [ev["sentence"] for ev in edge["evidence"]] == [S_PART1, S_PART2]  # by date, no repeats
    assert [ev["article"] for ev in edge["evidence"]] == ["Macron in Delhi", "Modi hails ties"]


def test_meeting_agreement_membership_and_support_edges() -> None:
    _, edges = viz.network(sample())
    got = {(e["from"], e["label"], e["to"]) for e in edges}
    m = str(MEETING)
    assert {
        (str(MACRON), "met", m), (str(MODI), "met", m), (m, "at", str(DELHI)),
        (m, "part of", str(G20)), (str(ROADMAP), "party", str(FRANCE)),
        (str(ROADMAP), "party", str(INDIA)), (str(MACRON), "signed", str(ROADMAP)),
        (str(ROADMAP), "signed at", m), (str(FRANCE), "member of", str(EU)),
        (str(INDIA), "supports", str(SOLAR)),
    } <= got
    [met] = [e for e in edges if e["from"] == str(MODI) and e["label"] == "met"]
    assert [ev["sentence"] for ev in met["evidence"]] == [S_MET]
    [at] = [e for e in edges if e["label"] == "at"]
    assert at["evidence"] == []


def test_edges_never_dangle_and_ids_are_unique() -> None:
    b = Builder()
    b.article(ART1, "t", "2024-01-01", "https://news.example/t")
    b.fact(ART1, ID["person/x"], DG.memberOf, ID["org/untyped_body"], "X joined.")
    nodes, edges = viz.network(b.ds)
    ids = {n["id"] for n in nodes}
    assert all(e["from"] in ids and e["to"] in ids for e in edges)
    assert {n["label"] for n in nodes} == {"x", "untyped body"}
    assert {n["type"] for n in nodes} == {viz.OTHER}
    _, edges = viz.network(sample())
    assert len({e["id"] for e in edges}) == len(edges)


def test_union_includes_default_graph_and_output_is_deterministic() -> None:
    ds = sample()
    ds.default_graph.add((ID["country/japan"], RDF.type, DG.Country))
    ds.default_graph.add((ID["country/japan"], RDFS.label, Literal("Japan")))
    nodes, edges = viz.network(ds)
    assert str(ID["country/japan"]) in {n["id"] for n in nodes}
    assert viz.network(ds) == (nodes, edges)


def test_script_json_escapes_markup_and_line_separators() -> None:
    text = viz.script_json({"s": "</script><!-- & \u2028\u2029 >"})
    assert not re.search("[<>&\u2028\u2029]", text)
    assert json.loads(text) == {"s": "</script><!-- & \u2028\u2029 >"}


# --- the HTML page ---------------------------------------------------------------

DATA_BLOCK = re.compile(r'<script type="application/json" id="dg-data">(.*?)</script>', re.S)


class Tags(HTMLParser):
    """Collects start tags; script and style contents are not parsed as markup."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(page)
    return parser.tags


def data_of(page: str) -> dict:
    [block] = DATA_BLOCK.findall(page)
    return json.loads(block)


def test_html_is_self_contained() -> None:
    page = viz.render_html(sample())
    found = tags(page)
    for tag, attrs in found:
        for name in ("src", "href", "srcset", "data"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("http:", "https:", "//")), (tag, attrs)
    assert not [t for t, a in found if t == "script" and "src" in a]
    assert not [t for t, a in found if t == "link"]
    outside = DATA_BLOCK.sub("", page)
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*(src|href)\s*=\s*[\"']?\s*(https?:)?//",
                         outside, re.I)
    assert "vis.Network" in page and ".vis-network" in page  # vendored JS and CSS inlined
    assert [t for t, _ in found].count("script") == 3


def test_csp_allows_exactly_the_inline_scripts() -> None:
    page = viz.render_html(sample())
    [csp] = [a["content"] for _, a in tags(page)
             if a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2
    for body in scripts:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_html_has_legend_search_and_panel() -> None:
    page = viz.render_html(sample(), title="France and India")
    ids = {a.get("id") for _, a in tags(page)}
    assert {"legend", "search", "panel", "graph", "heading"} <= ids
    legend = re.search(r'<footer id="legend">(.*?)</footer>', page, re.S)
    assert legend
    for kind in ("Person", "Country", "Organization", "Place", "Agreement", "Initiative",
                 "Event", "Meeting"):
        assert f'data-type="{kind}"' in legend.group(1)
    data = data_of(page)
    assert data["title"] == "France and India"
    assert data["options"]["physics"]["stabilization"]["iterations"] == viz.STABILIZATION_ITERATIONS
    styled = {n["dgType"]: (n["color"], n["shape"]) for n in data["nodes"]}
    assert styled["Country"] == viz.STYLES["Country"][:2]
    _, edges = viz.network(sample())
    assert [e["evidence"] for e in data["edges"]] == [e["evidence"] for e in edges]


EVIL = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "</script><script>alert(2)</script>",
    "\u2028alert(3)\u2029",
]


def test_malicious_text_appears_only_as_escaped_json() -> None:
    b = Builder()
    art = ID["article/evil"]
    b.article(art, EVIL[2], "2024-01-01", "javascript:alert(1)")
    b.entity(art, ID["person/evil"], DG.Person, EVIL[0], EVIL[1], EVIL[4])
    b.entity(art, ID["country/evil"], DG.Country, EVIL[3])
    b.fact(art, ID["person/evil"], DG.memberOf, ID["country/evil"], EVIL[1] + EVIL[3])
    page = viz.render_html(b.ds, title=EVIL[0] + EVIL[2])
    for evil in EVIL:
        assert evil not in page
    assert "<title>&lt;script&gt;" in page
    found = [t for t, _ in tags(page)]
    assert found.count("script") == 3 and "img" not in found and "a" not in found
    data = data_of(page)  # the text survives, escaped, as data
    assert data["title"] == EVIL[0] + EVIL[2]
    assert {n["label"] for n in data["nodes"]} == {EVIL[0], EVIL[3]}
    [edge] = data["edges"]
    assert edge["evidence"][0]["sentence"] == EVIL[1] + EVIL[3]
    assert edge["evidence"][0]["url"] == "javascript:alert(1)"  # data only; the page links http(s)


def test_vendored_assets_can_be_inlined() -> None:
    for folder, name in (("static", "vis-network.min.js"), ("static", "vis-network.css"),
                         ("templates", "viz.js"), ("templates", "viz.css")):
        text = viz._asset(folder, name)
        assert not re.search(r"</(script|style)", text, re.I)
        assert "innerHTML" not in text or folder == "static"


def test_write_html_is_atomic_and_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "out" / "graph.html"
    assert viz.write_html(sample(), target, title="one") == target
    assert data_of(target.read_text(encoding="utf-8"))["title"] == "one"
    viz.write_html(sample(), target, title="two")
    assert data_of(target.read_text(encoding="utf-8"))["title"] == "two"
    assert [p.name for p in target.parent.iterdir()] == ["graph.html"]


def test_write_html_leaves_old_file_when_rendering_fails(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "graph.html"
    target.write_text("old", encoding="utf-8")

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(store.os, "replace", boom)
    with pytest.raises(OSError):
        viz.write_html(sample(), target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]


def test_empty_graph_renders() -> None:
    assert viz.network(Dataset()) == ([], [])
    page = viz.render_html(Dataset())
    assert "empty graph" in page and data_of(page)["nodes"] == []
