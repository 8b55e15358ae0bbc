"""The extraction pipeline: entity mentions, then one extractor per fact kind.

`extract_doc` runs on a parsed spaCy Doc; `extract_articles` streams articles
through `nlp.pipe`. The extractors run in a fixed order because later ones
read what earlier ones found (titles for coreference, meetings for "the two
leaders").
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.agreements import extract_agreements
from kg.extract.context import Context
from kg.extract.entities import add_surname_mentions, cluster, unify_types
from kg.extract.meetings import extract_meetings
from kg.extract.mentions import find_mentions, reconcile
from kg.extract.names import title_person_mentions
from kg.extract.people import extract_positions
from kg.extract.relations import extract_relations
from kg.model import Article, Extraction

log = logging.getLogger(__name__)


def index_sentences(doc: Doc) -> None:
    """Make `doc.sents`, `Span.sent` and `Token.sent` lookups instead of scans (mutates the
    doc's hooks): spaCy's own find the sentence by walking the whole document each time."""
    sents = list(doc.sents)
    owner = [0] * len(doc)
    for n, sent in enumerate(sents):
        owner[sent.start:sent.end] = [n] * len(sent)
    last = max(len(doc) - 1, 0)
    doc.user_hooks["sents"] = lambda _doc: iter(sents)
    doc.user_span_hooks["sent"] = lambda span: sents[owner[min(span.start, last)]]
    doc.user_token_hooks["sent"] = lambda token: sents[owner[token.i]]


def extract_doc(article: Article, doc: Doc) -> Extraction:
    """Every entity and fact of one parsed article."""
    if len(doc):
        index_sentences(doc)
    mentions = find_mentions(doc)
    mentions = sorted(reconcile(mentions + title_person_mentions(doc)), key=lambda m: m.start)
    mentions = unify_types(add_surname_mentions(doc, mentions))
    entities, keys = cluster(mentions)
    ctx = Context(article, doc, mentions, keys, {e.key: e for e in entities})
    facts = extract_positions(ctx)
    facts += extract_meetings(ctx)
    facts += extract_agreements(ctx)
    facts += extract_relations(ctx)
    used = {k for f in facts for _, ks in f.roles for k in ks}
    # every mentioned entity is kept; entities created by extractors only when used
    kept = [e for k, e in ctx.entities.items() if k in set(keys) or k in used]
    return Extraction(article, tuple(kept), tuple(facts))


def extract_articles(articles: Iterable[Article], nlp: Language, *,
                     batch_size: int = 16) -> Iterator[Extraction]:
    """Stream articles through the pipeline, yielding one Extraction per article."""
    from kg.nlp import one_thread

    pairs = ((a.text, a) for a in articles)
    with one_thread():
        for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
            yield extract_doc(article, doc)
