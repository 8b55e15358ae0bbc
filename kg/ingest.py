"""Read article files into `Article`s: paths -> Iterator[Article].

Reads `.txt`, `.md` (lightly stripped), `.html`/`.htm` (boilerplate removed by
trafilatura) and `.jsonl` (one article a line); `NAME.url` beside `NAME.txt` holds
its URL. Ids are content hashes; dates and titles are taken where the file states them.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.model import Article

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm", ".jsonl"})
SIDECAR_SUFFIX = ".url"
HEAD_LINES = 6  # non-empty lines searched for a dateline / date line
MAX_TITLE_CHARS = 200
MAX_DATE_LINE_CHARS = 100

ErrorHandler = Callable[[InputError], None]

# --- dates -------------------------------------------------------------------
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = (r"(?<![a-zA-Z])(?P<mon>(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may"
          r"|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?"
          r"|dec(?:ember)?))(?![a-zA-Z])\.?")
_YEAR = r"(?P<y>(?:19|20)[0-9]{2})(?![0-9])"
_DAY = r"(?<![0-9])(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?"
_DATE_FORMATS = (  # y-m-d; d.m.y or m/d/y; 16 October 2017; Oct. 16, 2017; October 2017
    re.compile(r"(?<![0-9])(?P<y>(?:19|20)[0-9]{2})(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?P=sep)"
               r"(?P<d>[0-9]{1,2})(?![0-9])"),
    re.compile(r"(?<![0-9])(?P<a>[0-9]{1,2})(?P<sep>[-/.])(?P<b>[0-9]{1,2})(?P=sep)" + _YEAR),
    re.compile(_DAY + r"(?:\s+of)?\s+" + _MONTH + r",?\s+" + _YEAR),
    re.compile(_MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR),
    re.compile(_MONTH + r",?\s+" + _YEAR),
)
_PARTIAL_ISO = re.compile(r"(?P<y>(?:19|20)[0-9]{2})(?:-(?P<m>[0-9]{2}))?")
_DATE_MARKER = re.compile(r"\A\s*date[ \t]+(?P<iso>[0-9]{4}-[0-9]{2}-[0-9]{2})(?=\s|\Z)[ \t]*")
_TIME = re.compile(r"T?(?<![0-9])[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?Z?"
                   r"(?:\s*(?i:[ap]\.?m\.?))?(?:\s*(?:GMT|UTC|[A-Z]{2,4}T)(?:\s*[+-][0-9:]{1,5})?)?")
_WEEKDAY = re.compile(r"(?i:\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)"
                      r"(?:day|nesday|sday|urday|rsday)?\b\.?)")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*|[0-9]+")
# A dateline opens a wire story: "HANOI, Dec 13 2025 —", "BELGRADE (Agency - 29 July, 2021)".
_PLACE = re.compile(r"[A-Z][A-Z'’.-]+(?:[ -][A-Z][A-Z'’.-]+){0,3}(?![\w])")
_PLACE_TO_DATE = re.compile(
    r"\s*(?:,\s*[A-Z][^\W\d_]*\.?(?:\s+[A-Z][^\W\d_]*\.?){0,3}\s*)?"
    r"(?:,|\((?:[^()]{0,60}?[-–—/,])?)\s*(?:" + _WEEKDAY.pattern + r",?\s*)?")
_DATE_TO_TEXT = re.compile(r"\s*(?:\)|,?\s*(?:\([^()]{1,40}\)\s*)?(?:—|–|--|-|:|\.(?:\s|$)))")
# Words that may label a date line ("Published on", "General News of") vs. ones that
# open a body sentence about an event ("On 6 May 2024, the Minister ...").
_LABEL_WORDS = frozenset({"published", "posted", "updated", "last", "modified", "released",
                          "issued", "date", "dated", "created", "first"})
_LINK_WORDS = frozenset({"on", "at", "of", "the", "by", "news"})
_EVENT_WORDS = frozenset({"on", "in", "since", "from", "until", "till", "before", "after",
                          "between", "during", "through", "as", "at", "for", "to"})


def _iso(y: int, m: int | None = None, d: int | None = None) -> str | None:
    """Format a date at its known granularity, or None if it does not exist."""
    try:
        date(y, m or 1, d or 1)
    except ValueError:
        return None
    return f"{y:04d}" + (f"-{m:02d}" if m else "") + (f"-{d:02d}" if m and d else "")


def _from_match(m: re.Match[str]) -> str | None:
    g = m.groupdict()
    y = int(g["y"])
    if g.get("mon"):
        return _iso(y, _MONTHS.index(g["mon"][:3].lower()) + 1, int(g["d"]) if g.get("d") else None)
    if g.get("a"):
        a, b = int(g["a"]), int(g["b"])
        if a > 12 or (b <= 12 and g["sep"] in ".-"):
            return _iso(y, b, a)  # day first, as most of the world writes it
        return _iso(y, a, b) if b > 12 else _iso(y)  # 03/04/2024 is ambiguous: keep the year
    return _iso(y, int(g["m"]), int(g["d"]))


def find_date(text: str) -> tuple[int, int, str] | None:
    """Return `(start, end, iso)` of the first real date (month and year at least), or None."""
    matches = [m for fmt in _DATE_FORMATS for m in fmt.finditer(text)]
    matches.sort(key=lambda m: (m.start(), -m.end()))  # earliest, then longest
    return next(((m.start(), m.end(), iso) for m in matches if (iso := _from_match(m))), None)


def parse_date(value: str) -> str | None:
    """Return the date in `value` (ISO, datetime, "16 October 2017"...) as ISO, or None."""
    partial = _PARTIAL_ISO.fullmatch(value.strip())
    if partial:
        return _iso(int(partial["y"]), int(partial["m"]) if partial["m"] else None)
    found = find_date(value)
    return found[2] if found else None


def _words(text: str) -> list[str]:
    return _WORD.findall(_WEEKDAY.sub(" ", _TIME.sub(" ", text)))


def _label_ok(prefix: str) -> bool:
    """True if the text before a date can be a label such as 'Published:'."""
    words = _words(prefix)
    low = [w.lower() for w in words]
    if words and (len(words) > 6 or low[0] in _EVENT_WORDS or (
            low[-1] in _EVENT_WORDS and not _LABEL_WORDS.intersection(low))):
        return False  # "On 6 May 2024, ...", "Talks were held on 6 May 2024"
    allowed = _LABEL_WORDS | _LINK_WORDS
    return all(w[0].isupper() or w.isdigit() or w.lower() in allowed for w in words)


def _trailer_ok(trailer: str) -> bool:
    """True if the text after a date is only a time, a zone, or a short byline."""
    rest = _TIME.sub(" ", trailer).strip(" \t,.;:|()[]/-–—•·")
    byline = re.match(r"(?i:by)\s", rest) or trailer.lstrip().startswith(("|", "•", "·"))
    return not rest or (bool(byline) and len(_words(rest)) <= 5)


def date_of_line(line: str) -> str | None:
    """Return the date a dateline (`PLACE, DATE —`) or a mostly-date line states, else None."""
    line = line.strip()
    found = find_date(line)
    if found is None:
        return None
    start, end, iso = found
    place = _PLACE.match(line)
    if place and _PLACE_TO_DATE.fullmatch(line[place.end():start]) \
            and _DATE_TO_TEXT.match(line[end:]):
        return iso
    if len(line) > MAX_DATE_LINE_CHARS:
        return None
    return iso if _label_ok(line[:start]) and _trailer_ok(line[end:]) else None


def find_published(text: str) -> str | None:
    """Return the date of the first dateline/date line among the first lines, or None.

    A date in a body sentence ("On 6 May 2024, the Minister...") is an event date: not taken.
    """
    head = [line for line in text.split("\n") if line.strip()][:HEAD_LINES]
    return next((iso for iso in map(date_of_line, head) if iso), None)


def strip_date_marker(text: str) -> tuple[str, str | None]:
    """Remove a leading `date YYYY-MM-DD` marker; return `(text, iso date or None)`."""
    m = _DATE_MARKER.match(text)
    iso = parse_date(m["iso"]) if m else None  # an impossible date leaves the text as is
    return (text[m.end():], iso) if m and iso else (text, None)


# --- text --------------------------------------------------------------------
def content_id(text: str) -> str:
    """Return the article id of `text`: sha256 of its NFC, whitespace-collapsed form, 16 hex."""
    norm = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


def guess_title(text: str) -> str | None:
    """Return the first line (past a date line) if headline-like: short, no final period."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if lines and date_of_line(lines[0]) and len(_words(lines[0])) <= 8:
        lines = lines[1:]
    if len(lines) < 2 or len(lines[0]) >= MAX_TITLE_CHARS or lines[0].endswith(tuple(".,:;")):
        return None
    return lines[0] if any(ch.isalpha() for ch in lines[0]) else None


_MD_RULES = (
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.M), r"\1"),
    (re.compile(r"^[ \t]*([-=*_])(?:[ \t]*\1){2,}[ \t]*$", re.M), ""),
    (re.compile(r"^[ \t]*\[[^\]\n]+\]:[ \t]*\S+.*$", re.M), ""),
    (re.compile(r"^[ \t]*>[ \t]?", re.M), ""),
    (re.compile(r"^([ \t]*)[-*+][ \t]+", re.M), r"\1"),
    (re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),
    (re.compile(r"\[([^\]\n]+)\](?:\([^)\n]*\)|\[[^\]\n]*\])"), r"\1"),
    (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), r"\1"),
    (re.compile(r"(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*_])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*_])"), r"\2"),
    (re.compile(r"`([^`\n]+)`"), r"\1"),
)


def strip_markdown(text: str) -> str:
    """Return `text` with Markdown syntax lightly removed (headings, emphasis, links)."""
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    return text


def _decode(data: bytes, path: Path) -> str:
    """Decode UTF-8, UTF-8 with BOM, or UTF-16/32 with BOM; raise InputError otherwise."""
    if not data.strip():
        raise InputError(path, "empty file (no text)")
    boms = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
            (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
    encoding = next((enc for bom, enc in boms if data.startswith(bom)), None)
    if encoding is None and b"\x00" in data:
        raise InputError(path, "contains NUL bytes: binary, not a text file")
    try:
        return data.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        what = f"not valid {encoding}" if encoding else "not UTF-8 text (binary?)"
        raise InputError(path, f"{what}: undecodable byte at offset {exc.start}; "
                               "save the file as UTF-8") from None


def _article(text: str, path: Path, *, line: int | None = None, title: str | None = None,
             published: str | None = None, url: str | None = None,
             headline: bool = True) -> Article:
    """Build an Article from raw text: strip the date marker, find date and title."""
    body, marked = strip_date_marker(text.replace("\r\n", "\n").replace("\r", "\n").strip())
    text = body.strip()
    if not text:
        raise InputError(path, "no text (empty or only whitespace)", line)
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\f\v")
    if "\x00" in text or controls > len(text) * 0.05:
        raise InputError(path, "contains control characters: binary, not text", line)
    source = f"{path}:{line}" if line is not None else str(path)
    return Article(content_id(text), text, source, url=url,
                   title=title or (guess_title(text) if headline else None),
                   published=published or marked or find_published(text))


# --- files -------------------------------------------------------------------
def _sidecar_url(path: Path) -> str | None:
    """Return the URL held by the `.url` file beside `path`, if any."""
    sidecar = path.with_suffix(SIDECAR_SUFFIX)
    try:
        lines = sidecar.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        if not isinstance(exc, FileNotFoundError):
            logger.warning("%s: cannot read URL sidecar: %s", sidecar, exc)
        return None
    values = (raw.strip().removeprefix("URL=") for raw in lines)  # also Windows shortcuts
    url = next((v for v in values if re.fullmatch(r"[A-Za-z][\w+.-]*://\S+", v)), None)
    if url is None:
        logger.warning("%s: no URL found in sidecar file", sidecar)
    return url


def _read_html(data: bytes, path: Path, url: str | None) -> Article:
    import trafilatura  # heavy; imported only when HTML is read

    try:
        content: str | bytes = _decode(data, path)
    except InputError:
        if b"\x00" in data or not data.strip():
            raise
        content = data  # legacy charset: let trafilatura read the <meta charset>
    try:
        doc = trafilatura.bare_extraction(
            content, with_metadata=True, include_comments=False,
            date_extraction_params={"extensive_search": False, "original_date": True})
    except Exception as exc:  # noqa: BLE001 - a third-party parser on untrusted input
        raise InputError(path, f"cannot parse HTML: {exc}") from exc
    meta: dict[str, Any] = {} if doc is None else doc if isinstance(doc, dict) else doc.as_dict()
    if not str(meta.get("text") or "").strip():
        raise InputError(path, "no article text found in the HTML")
    published = parse_date(str(meta["date"])) if meta.get("date") else None
    return _article(str(meta["text"]), path, title=meta.get("title") or None,
                    published=published, url=url or meta.get("url") or None, headline=False)


def _jsonl_line(raw: str, path: Path, number: int) -> Article:
    """Return the Article of one JSON Lines record; raise InputError naming the line."""
    try:
        record = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise InputError(path, f"invalid JSON: {exc}", number) from None
    if not isinstance(record, dict):
        raise InputError(path, "expected a JSON object with a 'text' field", number)
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(path, "missing required field 'text' (a non-empty string)", number)
    fields: dict[str, str] = {}
    for key in ("id", "title", "url", "published"):
        value = record.get(key)
        if isinstance(value, bool) or not isinstance(value, str | int | None):
            raise InputError(path, f"field {key!r} must be a string", number)
        if value not in (None, ""):
            fields[key] = str(value)
    published = parse_date(fields["published"]) if "published" in fields else None
    if "published" in fields and published is None:
        raise InputError(path, f"'published' {fields['published']!r} is not a date "
                               "(use YYYY-MM-DD)", number)
    return _article(text, path, line=number, title=fields.get("title"), published=published,
                    url=fields.get("url"), headline=False)


def read_file(path: Path | str, *, on_error: ErrorHandler | None = None) -> Iterator[Article]:
    """Yield the articles of one supported file, in file order, without de-duplication.

    A whole-file problem raises InputError; a bad JSON Lines record goes to
    `on_error` (raised if None) and the following lines are still read.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError(path, "not a regular file" if path.exists() else "no such file or folder")
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(path, f"unsupported file type {path.suffix!r}; expected one of "
                               f"{', '.join(sorted(SUPPORTED_SUFFIXES))}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    if suffix in (".html", ".htm"):
        yield _read_html(data, path, _sidecar_url(path))
        return
    text = _decode(data, path).replace("\r\n", "\n")
    if suffix == ".jsonl":
        for number, raw in enumerate(text.split("\n"), start=1):
            try:
                if raw.strip():
                    yield _jsonl_line(raw, path, number)
            except InputError as err:
                _report(err, on_error)
        return
    yield _article(strip_markdown(text) if suffix == ".md" else text, path,
                   url=_sidecar_url(path))


def _report(err: InputError, on_error: ErrorHandler | None) -> None:
    if on_error is None:
        raise err
    logger.debug("input error: %s", err)
    on_error(err)


def _walk(folder: str, visited: set[str], on_error: ErrorHandler | None) -> Iterator[str]:
    """Yield supported files under `folder`, sorted by name, entering each real folder once."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        _report(InputError(folder, f"cannot list folder: {exc.strerror or exc}"), on_error)
        return
    for entry in entries:
        path = os.path.join(folder, entry.name)
        if entry.name.startswith("."):
            logger.debug("skipping hidden %s", path)
        elif entry.is_dir() and os.path.realpath(path) in visited:
            logger.debug("skipping %s: folder already read (symlink loop?)", path)
        elif entry.is_dir():
            visited.add(os.path.realpath(path))
            yield from _walk(path, visited, on_error)
        elif not entry.is_file():
            logger.debug("skipping %s: not a regular file", path)
        elif Path(entry.name).suffix.lower() in SUPPORTED_SUFFIXES:
            yield path
        elif not entry.name.lower().endswith(SIDECAR_SUFFIX):
            logger.debug("skipping %s: unsupported file type", path)


def iter_articles(paths: Iterable[str | Path], *,
                  on_error: ErrorHandler | None = None) -> Iterator[Article]:
    """Yield the articles of files and folders (recursive, sorted), each text once.

    A file or line that cannot be read goes to `on_error` as an InputError and
    reading goes on (raised if `on_error` is None). A text already yielded
    (same `content_id`) is skipped and logged at info level.
    """
    seen: dict[str, str] = {}
    duplicates = 0
    for given in paths:
        name = os.fspath(given)
        isdir = os.path.isdir(name)
        files = _walk(name, {os.path.realpath(name)}, on_error) if isdir else iter([name])
        for file in files:
            try:
                for article in read_file(file, on_error=on_error):
                    if article.id not in seen:
                        seen[article.id] = article.source
                        yield article
                        continue
                    duplicates += 1
                    logger.info("%s: same text as %s, skipped", article.source, seen[article.id])
            except InputError as err:
                _report(err, on_error)
    if duplicates:
        logger.info("skipped %d duplicate article(s)", duplicates)


def read_path(path: str | Path, *, on_error: ErrorHandler | None = None) -> list[Article]:
    """Return the articles of one file or folder, as `iter_articles` yields them."""
    return list(iter_articles([path], on_error=on_error))
