"""Name normalisation shared by extraction and resolution (no spaCy needed)."""
from __future__ import annotations

import re
import unicodedata


def fold(name: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name, for comparison.

    "The Côte d’Ivoire" -> "cote d ivoire"; a leading "the" is dropped.
    """
    text = unicodedata.normalize("NFKD", name.replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^\w\s]", " ", text)
    return re.sub(r"^the ", "", re.sub(r"\s+", " ", text).strip())
