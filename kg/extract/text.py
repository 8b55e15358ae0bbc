"""The text of a parsed article, read once.

spaCy's `Doc.text` joins every token each time it is read, so reading it per
entity or per sentence is quadratic in the article's length; `doc_text` keeps
the joined text in the doc's user data.
"""
from __future__ import annotations

from spacy.tokens import Doc

KEY = "dg_text"


def doc_text(doc: Doc) -> str:
    """`doc.text`, computed once per doc (cached in doc.user_data, which is mutated)."""
    text = doc.user_data.get(KEY)
    if text is None:
        text = doc.user_data[KEY] = doc.text
    return text
