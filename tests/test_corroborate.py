"""Tests of kg.corroborate: supporting articles and independent sources of each fact."""
from __future__ import annotations

from rdflib import RDF, Literal

from kg.build import build_dataset
from kg.corroborate import Sources, jaccard, shingles, source_key
from kg.model import Article, Entity, Extraction, Fact
from kg.resolve import resolve
from kg.vocab import DG

STORY = ("Indonesian President Prabowo Subianto met Brazilian President Lula da Silva in "
         "Jakarta on Monday to discuss trade, biofuels and the climate conference.")
OTHER = "Lula da Silva and Prabowo Subianto held talks in Jakarta, officials said on Monday."


def art(aid: str, text: str, url: str | None = None, source: str | None = None) -> Article:
    return Article(aid, text, source or f"{aid}.txt", url=url)


def test_source_key_is_the_url_host_else_the_file():
    assert source_key(art("a", STORY, "https://www.Wire.example/x")) == "host:wire.example"
    assert source_key(art("a", STORY)) == "file:a.txt"
    assert source_key(art("a", STORY, source="feed.jsonl:12")) == "file:feed.jsonl"


def test_near_copies_have_a_high_shingle_overlap():
    copy = STORY + " The agency reported."
    assert jaccard(shingles(STORY), shingles(copy)) >= 0.8
    assert jaccard(shingles(STORY), shingles(OTHER)) < 0.2


def test_sources_count_hosts_and_wire_copies_once():
    arts = {"a": art("a", STORY, "https://wire.example/1"),
            "b": art("b", STORY + " The agency reported.", "https://daily.example/2"),
            "c": art("c", OTHER, "https://wire.example/3"),
            "d": art("d", OTHER + " More to follow on the visit.", "https://times.example/4"),
            "e": art("e", "An unrelated story about a summit in Baku with other leaders.")}
    sources = Sources(arts)
    assert sources.count(["a"]) == 1
    assert sources.count(["a", "b"]) == 1  # a wire copy
    assert sources.count(["a", "c"]) == 1  # one host
    assert sources.count(["a", "d"]) == 2
    assert sources.count(["a", "b", "c", "d", "e"]) == 3


def _meeting_extraction(a: Article) -> Extraction:
    people = (Entity("p", "Person", "Prabowo Subianto"), Entity("l", "Person", "Lula da Silva"))
    fact = Fact("meeting", (("participant", ("p", "l")),), (("date", "2024-11-18"),),
                a.text, 0.8)
    return Extraction(a, people, (fact,))


def test_statements_and_meetings_carry_support_and_source_counts():
    exs = [_meeting_extraction(art("a", STORY, "https://wire.example/1")),
           _meeting_extraction(art("b", STORY + " The agency reported.", "https://x.example/2")),
           _meeting_extraction(art("c", OTHER, "https://times.example/3"))]
    ds = build_dataset(exs, resolve(exs))
    (meeting,) = set(ds.subjects(RDF.type, DG.Meeting))
    assert ds.value(meeting, DG.supportCount) == Literal(3)
    assert ds.value(meeting, DG.sourceCount) == Literal(2)
    statements = [st for st in ds.subjects(RDF.type, RDF.Statement)]
    assert len(statements) == 6  # two participants, three articles
    for st in statements:
        assert (int(ds.value(st, DG.supportCount)), int(ds.value(st, DG.sourceCount))) == (3, 2)


def test_counts_follow_the_corpus():
    one = [_meeting_extraction(art("a", STORY))]
    ds = build_dataset(one, resolve(one))
    (meeting,) = set(ds.subjects(RDF.type, DG.Meeting))
    assert ds.value(meeting, DG.supportCount) == Literal(1)
    assert ds.value(meeting, DG.sourceCount) == Literal(1)
