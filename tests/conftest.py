"""Shared fixtures: the real spaCy model, the seed corpus, a built seed graph."""
from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
DEV_TEXTS = SHARED / "eval" / "dev" / "texts"
DEV_GOLD = SHARED / "eval" / "dev" / "gold"


@pytest.fixture(scope="session")
def nlp():
    from kg.nlp import load

    return load()


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """The seeds built once per test session with the real model, into a temp folder."""
    from kg import api

    out = tmp_path_factory.mktemp("seeds-out")
    result = api.build([SEEDS], out)
    return result, out


@pytest.fixture()
def extract_text(nlp):
    """Extract one article given as a string (published date optional)."""
    from kg.extract import extract_doc
    from kg.model import Article

    def run(text: str, published: str | None = None):
        article = Article(id="t", text=text, source="test", published=published)
        return extract_doc(article, nlp(text))

    return run


# --- a tiny hand-made corpus (no model needed): for store, query and export tests ---
LISBON_TEXT = (
    "Portugal and Morocco sign water memorandum\n\n"
    "Portuguese Prime Minister Luís Montenegro met Moroccan Prime Minister Aziz Akhannouch "
    "in Lisbon on 12 March 2025. Portugal and Morocco signed a Memorandum of Understanding on "
    "Water Management. The two leaders agreed to raise ties to a \"strategic partnership\"."
)
NAIROBI_TEXT = (
    "Kenya backs the Great Green Wall\n\n"
    "Kenyan President William Ruto said Kenya, a member of the African Union (AU), "
    "supports the Great Green Wall initiative."
)


def _sentence(text: str, start: str) -> str:
    """The sentence of `text` that begins with `start` (up to its final period)."""
    i = text.index(start)
    return text[i:text.index(".", i + len(start)) + 1]


@pytest.fixture(scope="session")
def tiny_extractions():
    """Two hand-made Extractions with every fact kind, quotes and accents in names."""
    from kg.model import Article, Entity, Extraction, Fact

    lis = Article(id="lisbon-2025", text=LISBON_TEXT, source="tests/lisbon.txt",
                  title="Portugal and Morocco sign water memorandum", published="2025-03-12",
                  url="https://example.org/news/lisbon")
    met = _sentence(LISBON_TEXT, "Portuguese Prime Minister")
    signed = _sentence(LISBON_TEXT, "Portugal and Morocco signed")
    ties = _sentence(LISBON_TEXT, "The two leaders")
    lisbon = Extraction(
        lis,
        (
            Entity("p1", "Person", "Luís Montenegro", ("Montenegro",)),
            Entity("p2", "Person", "Aziz Akhannouch"),
            Entity("c1", "Country", "Portugal"),
            Entity("c2", "Country", "Morocco"),
            Entity("l1", "Place", "Lisbon"),
            Entity("a1", "Agreement", "Memorandum of Understanding on Water Management",
                   attrs=(("status", "signed"),)),
        ),
        (
            Fact("position", (("person", ("p1",)), ("org", ("c1",))),
                 (("title", "Prime Minister"),), met, 0.85),
            Fact("position", (("person", ("p2",)), ("org", ("c2",))),
                 (("title", "Prime Minister"),), met, 0.85),
            Fact("meeting", (("participant", ("p1", "p2")), ("location", ("l1",))),
                 (("date", "2025-03-12"),), met, 0.8),
            Fact("agreement", (("agreement", ("a1",)), ("party", ("c1", "c2")),
                               ("signatory", ("p1",))), (("date", "2025-03-12"),), signed, 0.75),
            Fact("partnership", (("partner", ("c1", "c2")),),
                 (("level", "strategic partnership"),), ties, 0.7),
        ),
    )
    nai = Article(id="nairobi-2024", text=NAIROBI_TEXT, source="tests/nairobi.txt",
                  title="Kenya backs the Great Green Wall", published="2024-06")
    said = _sentence(NAIROBI_TEXT, "Kenyan President")
    nairobi = Extraction(
        nai,
        (
            Entity("p1", "Person", "William Ruto", ("Ruto",)),
            Entity("c1", "Country", "Kenya"),
            Entity("o1", "Organization", "African Union", ("AU",)),
            Entity("i1", "Initiative", "Great Green Wall"),
        ),
        (
            Fact("position", (("person", ("p1",)), ("org", ("c1",))),
                 (("title", "President"),), said, 0.85),
            Fact("member", (("member", ("c1",)), ("org", ("o1",))), (), said, 0.6),
            Fact("supports", (("who", ("c1",)), ("what", ("i1",))), (), said, 0.65),
        ),
    )
    return [lisbon, nairobi]


@pytest.fixture()
def tiny_dataset(tiny_extractions):
    """A fresh Dataset built from `tiny_extractions` (safe to mutate)."""
    from kg.build import build_dataset
    from kg.resolve import resolve

    return build_dataset(tiny_extractions, resolve(tiny_extractions))


def _datasets_isomorphic(a, b) -> bool:
    """True if two Datasets have the same non-empty named graphs, each isomorphic."""
    from rdflib.compare import isomorphic

    def graphs(ds):
        return {g.identifier: g for g in ds.graphs() if len(g)}

    ga, gb = graphs(a), graphs(b)
    return ga.keys() == gb.keys() and all(isomorphic(ga[k], gb[k]) for k in ga)


@pytest.fixture(scope="session")
def same_dataset():
    """`same_dataset(a, b)`: same named graphs, each isomorphic (rdflib.compare)."""
    return _datasets_isomorphic


class Hang(Exception):
    """The extractor ran past its time limit."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise Hang in the block after `seconds` (SIGALRM: main thread, Unix)."""
    def stop(signum, frame):
        raise Hang(f"no result after {seconds}s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
