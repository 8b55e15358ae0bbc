"""Shared fixtures: the real spaCy model, the seed corpus, a built seed graph."""
from __future__ import annotations

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
