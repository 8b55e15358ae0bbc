"""kg.nlp.load: one spaCy pipeline per process, and a clear error without a model."""
from __future__ import annotations

import pytest

from kg import nlp as nlp_module
from kg.errors import ModelNotFoundError
from kg.nlp import load


def test_load_returns_a_parsing_ner_pipeline(nlp):
    assert nlp.has_pipe("parser")
    assert nlp.has_pipe("ner")
    doc = nlp("Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed.")
    assert doc.has_annotation("DEP")
    assert any(ent.label_ == "PERSON" for ent in doc.ents)


def test_load_is_cached(nlp):
    assert load() is nlp
    assert load() is load()


@pytest.fixture()
def cleared_cache(monkeypatch):
    """Empty `load`'s cache for one test; afterwards undo the test's patches and empty
    it again, so the next `load()` loads the real model."""
    load.cache_clear()
    yield
    monkeypatch.undo()
    load.cache_clear()


def test_missing_models_raise_naming_both(cleared_cache, monkeypatch):
    missing = ("xx_missing_model_one", "xx_missing_model_two")
    monkeypatch.setattr(nlp_module, "MODEL_NAMES", missing)
    with pytest.raises(ModelNotFoundError) as info:
        load()
    message = str(info.value)
    assert all(name in message for name in missing)
    assert "pip install" in message


def test_load_works_again_after_the_error():
    restored = load()  # the cache was emptied after the previous test: a real load
    assert restored.has_pipe("parser") and restored.has_pipe("ner")
    assert load() is restored
