"""The unit every extractor reads: a typed span of the article text."""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span


@dataclass(frozen=True)
class Mention:
    """A typed span of the article text. `name` is the mention's normalised name."""

    start: int  # character offsets into doc.text
    end: int
    type: str
    name: str
    source: str
    text: str = ""

    def span(self, doc: Doc) -> Span | None:
        return doc.char_span(self.start, self.end, alignment_mode="expand")
