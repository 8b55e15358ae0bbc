"""Name normalisation shared by extraction and resolution (no spaCy needed)."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

# Turkic patronymic markers: "Ilham Heydar oglu Aliyev" names the father (Heydar) before one
PATRONYMIC_MARKERS = frozenset({"oglu", "ogly", "ogli", "kyzy", "qizi", "gizi", "uly", "uulu"})
# small transliteration folds for one token (Sergey/Sergei, Dmitriy/Dmitri, Aleksei/Alexei)
_TRANSLIT = ((re.compile(r"ks"), "x"), (re.compile(r"(?:iy|y)$"), "i"), (re.compile(r"ph"), "f"))


@lru_cache(maxsize=1 << 16)
def fold(name: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name, for comparison.

    "The Côte d’Ivoire" -> "cote d ivoire"; a leading "the" is dropped.
    """
    text = unicodedata.normalize("NFKD", name.replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^\w\s]", " ", text)
    return re.sub(r"^the ", "", re.sub(r"\s+", " ", text).strip())


def tokens(name: str) -> list[str]:
    """The folded words of a name: "Kassym-Jomart Tokayev" -> ["kassym", "jomart", "tokayev"]."""
    return fold(name).split()


def own_tokens(name: str) -> list[str]:
    """A person's folded words without a Turkic patronymic (the father's name and its marker).

    "Ilham Heydar oglu Aliyev" -> ["ilham", "aliyev"], so the son's full name never
    contains the father's ("Heydar Aliyev").
    """
    toks = tokens(name)
    out: list[str] = []
    for tok in toks:
        if tok in PATRONYMIC_MARKERS:
            if out and len(out) > 1:
                out.pop()  # the father's given name before the marker
            continue
        out.append(tok)
    return out


def translit(token: str) -> str:
    """A folded token with a few transliteration variants made equal ("sergey" -> "sergei")."""
    for rx, repl in _TRANSLIT:
        token = rx.sub(repl, token)
    return token


def one_edit_apart(a: str, b: str) -> bool:
    """True when `a` and `b` differ by exactly one insertion, deletion, substitution or
    transposition of adjacent letters (Damerau distance 1)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        if a[i + 1:] == b[i + 1:]:
            return True  # substitution
        return a[i:i + 2] == b[i:i + 2][::-1] and a[i + 2:] == b[i + 2:]  # transposition
    return a[i:] == b[i + 1:]  # insertion into the shorter


def is_acronym(name: str) -> bool:
    """True for a name written as an acronym: one word, at least two capitals ("SCO", "COP29")."""
    word = re.sub(r"[.\-]", "", name.strip())
    upper = sum(c.isupper() for c in word)
    return (bool(re.fullmatch(r"[A-Z][A-Za-z0-9&]*", word)) and upper >= 2
            and upper > sum(c.islower() for c in word))


def slugify(text: str) -> str:
    """An IRI-safe form of a name: ASCII lower case and hyphens, long ones cut with a hash."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(text) > 80:
        text = text[:60].rstrip("-") + "-" + hashlib.sha1(text.encode()).hexdigest()[:8]
    return text or hashlib.sha1(text.encode()).hexdigest()[:8]
