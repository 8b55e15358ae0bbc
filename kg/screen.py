"""Screen raw input before it becomes an article: size limits, binary formats, encodings,
language. Each check raises InputError naming the file (and line) and the reason.

- Size: an article file (.txt .md .html .htm) or one JSON Lines record larger than
  `Limits.max_file_bytes` is refused unread; an article text longer than
  `Limits.max_article_chars` is refused. JSON Lines files are read one line at a
  time, so their own size is not limited.
- Binary: content that starts with the signature of a binary format (PDF, PNG,
  ZIP...) is refused naming the format; so is content with NUL bytes and no
  UTF-16/32 byte order mark.
- Encodings: UTF-8 (with or without a BOM) is read as is. UTF-16 or UTF-32 with a
  BOM is decoded, with a warning. Other bytes are decoded as Windows-1252 (whose
  printable characters include all of Latin-1's), with a warning, only when that
  is sure: no byte undefined in Windows-1252, no UTF-8 sequence (a UTF-8 file with
  a stray byte is refused rather than garbled), every non-ASCII character a letter
  or common punctuation, and at most 20% of the characters non-ASCII. Otherwise
  the file is refused. JSON Lines must be UTF-8.
- Language: a text of at least 25 words (or 200 letters) in which fewer than 8% of
  the words are common English function words (kg/data/english_words.json) is
  refused as another language. English news runs at 19-43% (the dev set, seeds and
  test articles); French, Spanish, German, Portuguese, Italian, Indonesian, Russian
  and Chinese news at 0-3%.
"""
from __future__ import annotations

import codecs
import json
import logging
import os
import re
import unicodedata
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

from kg.errors import InputError, NotEnglishError, SettingError

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parent / "data"
ENV_PREFIX = "KG_"
SIGNATURES = (  # (leading bytes, what the file is)
    (b"%PDF-", "a PDF document"), (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx/.odt/.epub)"), (b"PK\x05\x06", "a ZIP archive"),
    (b"\xff\xd8\xff", "a JPEG image"), (b"GIF87a", "a GIF image"), (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"), (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"), (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"), (b"\x7fELF", "a program (ELF)"),
    (b"SQLite format 3\x00", "an SQLite database"), (b"RIFF", "a RIFF file (WebP, WAV, AVI)"),
)
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"))
LEGACY = "cp1252"
MAX_NON_ASCII = 0.20
_LEGACY_PUNCT = frozenset("\u00a0\u00ad‘’‚“”„–—…•·«»‹›€£¥¢°§©®™¡¿ªº¹²³¼½¾×÷±µ¶†‡‰")
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}"
                            rb"|[\xf0-\xf4][\x80-\xbf]{3}")
ENGLISH_MIN_SHARE = 0.08
LANGUAGE_MIN_WORDS = 25
LANGUAGE_MIN_LETTERS = 200
LANGUAGE_SAMPLE_WORDS = 5000
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Limits:
    """How large one input may be; `from_env` reads KG_MAX_FILE_BYTES, KG_MAX_ARTICLE_CHARS."""

    max_file_bytes: int = 10_000_000  # an article file, or one JSON Lines record
    max_article_chars: int = 1_000_000  # the text of one article (a long report: ~150k words)

    @classmethod
    def from_env(cls) -> Limits:
        """The limits, each taken from KG_<NAME> when set. Raises SettingError if malformed."""
        values = {}
        for f in fields(cls):
            name = ENV_PREFIX + f.name.upper()
            raw = os.environ.get(name, "").strip().replace("_", "")
            if not raw:
                continue
            if not raw.isdigit() or int(raw) < 1:
                raise SettingError(f"{name}={os.environ[name]!r}: expected a whole number "
                                   "greater than 0")
            values[f.name] = int(raw)
        return cls(**values)


def binary_kind(head: bytes) -> str | None:
    """What binary format `head` (the first bytes of a file) starts with, or None."""
    return next((kind for sig, kind in SIGNATURES if head.startswith(sig)), None)


def refuse_binary(data: bytes, path: Path) -> None:
    """Raise InputError if `data` starts like a binary format (PDF, PNG, ZIP...)."""
    kind = binary_kind(data[:32])
    if kind:
        raise InputError(path, f"{kind}, not text: convert it to .txt, .md or .html first")


def decode(data: bytes, path: Path, *, legacy: bool = True) -> str:
    """Decode an article file's bytes by the rule in this module's docstring.

    With `legacy=False`, bytes that are not UTF-8 or UTF-16/32 with a BOM are
    refused (an HTML page names its own charset). Raises InputError.
    """
    if not data.strip():
        raise InputError(path, "empty file (no text)")
    refuse_binary(data, path)
    encoding = next((enc for bom, enc in BOMS if data.startswith(bom)), None)
    if encoding is None and b"\x00" in data:
        raise InputError(path, "contains NUL bytes: binary (or UTF-16 without a byte order "
                               "mark), not a text file")
    try:
        text = data.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        if encoding is None and legacy:
            return _legacy(data, path, exc.start)
        what = f"not valid {encoding}" if encoding else "not UTF-8 text"
        raise InputError(path, f"{what}: undecodable byte at offset {exc.start}; save the "
                               "file as UTF-8") from None
    if encoding in ("utf-16", "utf-32"):
        log.warning("%s: decoded as %s (byte order mark); UTF-8 is preferred",
                    path, encoding.upper())
    return text


def _legacy(data: bytes, path: Path, offset: int) -> str:
    """Decode non-UTF-8 bytes as Windows-1252 when that is sure; else raise InputError."""
    def refuse(why: str) -> InputError:
        return InputError(path, f"not UTF-8 (undecodable byte at offset {offset}) and {why}; "
                                "save the file as UTF-8")

    if _UTF8_SEQUENCE.search(data):
        raise refuse("it mixes UTF-8 with other bytes, so its encoding is not sure")
    try:
        text = data.decode(LEGACY)
    except UnicodeDecodeError:
        raise refuse("not Windows-1252 or Latin-1 either (binary?)") from None
    odd = [ch for ch in text if ord(ch) > 127
           and not (unicodedata.category(ch).startswith("L") or ch in _LEGACY_PUNCT)]
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    if odd or non_ascii > len(text) * MAX_NON_ASCII:
        raise refuse("read as Windows-1252 it would not be plain text, so its encoding is not "
                     "sure")
    log.warning("%s: not UTF-8; decoded as Windows-1252 (Latin-1); check its accented letters, "
                "or save it as UTF-8", path)
    return text


def check_size(text: str, path: Path, limits: Limits, line: int | None = None) -> None:
    """Raise InputError if the article `text` is longer than `limits.max_article_chars`."""
    if len(text) > limits.max_article_chars:
        raise InputError(path, f"article of {len(text):,} characters, over the limit of "
                               f"{limits.max_article_chars:,} (KG_MAX_ARTICLE_CHARS): skipped",
                         line)


@cache
def english_words() -> frozenset[str]:
    """The common English function words of kg/data/english_words.json (read once)."""
    data = json.loads((DATA / "english_words.json").read_text(encoding="utf-8"))
    return frozenset(data["words"])


def english_share(text: str) -> tuple[float, int, int]:
    """(share of words that are English function words, words, letters) of `text`'s start."""
    words = _WORD.findall(text[: LANGUAGE_SAMPLE_WORDS * 12])[:LANGUAGE_SAMPLE_WORDS]
    known = english_words()
    hits = sum(1 for w in words if w.lower() in known)
    return hits / max(1, len(words)), len(words), sum(map(len, words))


def check_english(text: str, path: Path, line: int | None = None) -> None:
    """Raise NotEnglishError if `text` is long enough to judge and does not read as English."""
    share, words, letters = english_share(text)
    if (words >= LANGUAGE_MIN_WORDS or letters >= LANGUAGE_MIN_LETTERS) \
            and share < ENGLISH_MIN_SHARE:
        raise NotEnglishError(path, f"not English: only {share:.0%} of its words are common "
                                    "English words such as 'the' and 'of' (English text has "
                                    f"well over {ENGLISH_MIN_SHARE:.0%}); diplograph reads "
                                    "English only, so it is not mined for facts", line)
