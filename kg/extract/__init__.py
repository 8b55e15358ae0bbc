"""Article -> Extraction. The pipeline lives in `kg.extract.pipeline`; these wrappers
import it (and spaCy) only when called, so `import kg` stays light."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from kg.model import Article, Extraction


def extract_doc(article: Article, doc: Doc) -> Extraction:
    """Every entity and fact of one parsed article (see `kg.extract.pipeline`)."""
    from kg.extract.pipeline import extract_doc as run

    return run(article, doc)


def extract_articles(articles: Iterable[Article], nlp: Any, *,
                     batch_size: int = 16) -> Iterator[Extraction]:
    """Stream articles through the spaCy pipeline, one Extraction per article."""
    from kg.extract.pipeline import extract_articles as run

    return run(articles, nlp, batch_size=batch_size)
