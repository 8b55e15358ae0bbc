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


def test_the_table_ruler_sets_what_the_models_attribute_ruler_sets(nlp):
    """kg.ruler replaces the model's attribute_ruler: on every dev article each token gets
    the same POS, MORPH, LEMMA, TAG and DEP as the model's own ruler gives it."""
    import spacy
    from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG

    from kg.ruler import TABLE_LIMIT, from_ruler

    assert "dg_table_ruler" in nlp.pipe_names and "attribute_ruler" not in nlp.pipe_names
    from conftest import DEV_TEXTS, SEEDS

    model = spacy.load(f"{nlp.meta['lang']}_{nlp.meta['name']}")  # the model kg loaded
    texts = [p.read_text(encoding="utf-8") for folder in (DEV_TEXTS, SEEDS)
             for p in sorted(folder.glob("*.txt"))]
    ruler = model.get_pipe("attribute_ruler")
    table = from_ruler(ruler)
    assert table is not None
    before = [p for p in model.pipe_names if p not in ("attribute_ruler", "lemmatizer", "ner")]
    with model.select_pipes(enable=before):
        docs = list(model.pipe(texts + ["I'm gonna go, ain't I? Let's see: he got it."]))
    attrs = [POS, MORPH, LEMMA, TAG, DEP]
    for doc in docs:
        theirs, ours = ruler(doc.copy()), table(doc.copy())
        assert (theirs.to_array(attrs) == ours.to_array(attrs)).all(), doc.text[:80]
    assert 0 < len(table.table) <= TABLE_LIMIT


def test_numpy_blas_gives_the_models_own_analyses(nlp):
    """kg.nlp runs the models' matrix products through numpy's BLAS instead of thinc's blis:
    on every dev and seed article, each token gets the same tag, head, dependency, entity
    and lemma as with the model's own settings."""
    import spacy
    from conftest import DEV_TEXTS, SEEDS
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, TAG
    from thinc.api import NumpyOps

    from kg.nlp import numpy_blas, one_thread

    model = spacy.load(f"{nlp.meta['lang']}_{nlp.meta['name']}")  # the model kg loaded
    texts = [p.read_text(encoding="utf-8") for folder in (DEV_TEXTS, SEEDS)
             for p in sorted(folder.glob("*.txt"))]
    assert all(type(node.ops) is NumpyOps and node.ops.use_blis
               for node in model.get_pipe("ner").model.walk())
    attrs = [TAG, HEAD, DEP, ENT_IOB, ENT_TYPE, LEMMA]
    theirs = [doc.to_array(attrs) for doc in model.pipe(texts)]
    numpy_blas(model)
    assert not any(node.ops.use_blis for node in model.get_pipe("ner").model.walk())
    with one_thread():
        ours = [doc.to_array(attrs) for doc in model.pipe(texts)]
    differing = [text[:60] for text, a, b in zip(texts, theirs, ours, strict=True)
                 if a.shape != b.shape or (a != b).any()]
    assert not differing, differing
