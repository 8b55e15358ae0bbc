"""The text of a parsed article, read once.

spaCy's `Doc.text` joins every token each time it is read, so reading it per
entity or per sentence is quadratic in the article's length; `doc_text` keeps
the joined text in the doc's user data. Likewise `doc_words` keeps each token's
text, lower-case form and tag as plain lists: a scan of every token for a few
words then compares strings instead of making a spaCy Token per token.
"""
from __future__ import annotations

from typing import NamedTuple

from spacy.tokens import Doc

KEY = "dg_text"
WORDS_KEY = "dg_words"


class Words(NamedTuple):
    """Per token i of a doc: texts[i], lowers[i] (Token.lower_) and tags[i] (Token.tag_)."""

    texts: list[str]
    lowers: list[str]
    tags: list[str]


def doc_text(doc: Doc) -> str:
    """`doc.text`, computed once per doc (cached in doc.user_data, which is mutated)."""
    text = doc.user_data.get(KEY)
    if text is None:
        text = doc.user_data[KEY] = doc.text
    return text


def doc_words(doc: Doc) -> Words:
    """The doc's token strings (`Words`), computed once per doc (cached in doc.user_data,
    which is mutated)."""
    words = doc.user_data.get(WORDS_KEY)
    if words is None:
        tokens = [(t.text, t.lower_, t.tag_) for t in doc]
        words = doc.user_data[WORDS_KEY] = Words(*(list(col) for col in zip(*tokens, strict=True))
                                                 ) if tokens else Words([], [], [])
    return words
