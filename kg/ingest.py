"""Read article files into `Article`s: paths -> Iterator[Article].

Reads `.txt`, `.md` (lightly stripped), `.html`/`.htm` (boilerplate removed by
trafilatura) and `.jsonl` (one article a line, read a line at a time); `NAME.url`
beside `NAME.txt` holds its URL. Ids are content hashes; dates and titles are
taken where the file states them. What cannot be read (too large, binary, an
unsure encoding, not English: see `kg.screen`) is reported as an InputError
naming the file and line; a text already read is logged as a duplicate.
"""
from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from kg import screen
from kg.datelines import (
    date_of_line,
    find_date,
    find_published,
    guess_title,
    parse_date,
    strip_date_marker,
)
from kg.errors import InputError
from kg.model import Article
from kg.screen import Limits

logger = logging.getLogger(__name__)
__all__ = ["SUPPORTED_SUFFIXES", "content_id", "date_of_line", "find_date", "find_published",
           "guess_title", "iter_articles", "parse_date", "read_file", "read_path",
           "strip_date_marker", "strip_markdown"]

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm", ".jsonl"})
SIDECAR_SUFFIX = ".url"

ErrorHandler = Callable[[InputError], None]
# control characters but tab and newline, and the non-characters XML cannot hold: kept out of
# article text (a few become spaces; many make a file binary), so no label or page carries one
CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


# --- text --------------------------------------------------------------------
def content_id(text: str) -> str:
    """Return the article id of `text`: sha256 of its NFC, whitespace-collapsed form, 16 hex."""
    norm = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


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


def _article(text: str, path: Path, limits: Limits, *, line: int | None = None,
             title: str | None = None, published: str | None = None, url: str | None = None,
             headline: bool = True) -> Article:
    """Build an Article from raw text: screen it (size, control characters, language),
    strip the date marker, find date and title. Raises InputError."""
    body, marked = strip_date_marker(text.replace("\r\n", "\n").replace("\r", "\n").strip())
    text = body.strip()
    if not text:
        raise InputError(path, "no text (empty or only whitespace)", line)
    screen.check_size(text, path, limits, line)
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\f\v")
    if "\x00" in text or controls > len(text) * 0.05:
        raise InputError(path, "contains control characters: binary, not text", line)
    text = CONTROL_CHARS.sub(" ", text).strip()
    title = title and CONTROL_CHARS.sub(" ", title).strip()
    if not text:
        raise InputError(path, "no text (only control characters)", line)
    screen.check_english(text, path, line)
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


def _read_html(data: bytes, path: Path, url: str | None, limits: Limits) -> Article:
    import trafilatura  # heavy; imported only when HTML is read

    try:
        content: str | bytes = screen.decode(data, path, legacy=False)
    except InputError:
        if b"\x00" in data or not data.strip() or screen.binary_kind(data[:32]):
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
    return _article(str(meta["text"]), path, limits, title=meta.get("title") or None,
                    published=published, url=url or meta.get("url") or None, headline=False)


def _jsonl_line(raw: bytes | None, path: Path, number: int, limits: Limits) -> Article:
    """Return the Article of one JSON Lines record (None: over the size limit, unread);
    raise InputError naming the line."""
    if raw is None:
        raise InputError(path, f"line over {limits.max_file_bytes:,} bytes, the limit "
                               "(KG_MAX_FILE_BYTES): skipped unread", number)
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 (undecodable byte at offset {exc.start}); JSON "
                               "Lines must be UTF-8", number) from None
    except (ValueError, RecursionError) as exc:
        raise InputError(path, f"invalid JSON: {exc}", number) from None
    if not isinstance(record, dict):
        raise InputError(path, "expected a JSON object with a 'text' field", number)
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(path, "missing required field 'text' (a non-empty string)", number)
    fields: dict[str, str] = {}
    for key in ("id", "title", "url", "published"):  # an id is kept as data, never a file name
        value = record.get(key)
        if isinstance(value, bool) or not isinstance(value, str | int | None):
            raise InputError(path, f"field {key!r} must be a string", number)
        if value not in (None, ""):
            fields[key] = str(value)
    published = parse_date(fields["published"]) if "published" in fields else None
    if "published" in fields and published is None:
        raise InputError(path, f"'published' {fields['published']!r} is not a date "
                               "(use YYYY-MM-DD)", number)
    return _article(text, path, limits, line=number, title=fields.get("title"),
                    published=published, url=fields.get("url"), headline=False)


def _lines(f: BinaryIO, limit: int) -> Iterator[bytes | None]:
    """Yield each line of `f` without its end, or None for a line over `limit` bytes,
    which is skipped unread: memory stays bounded by `limit` whatever the file's size."""
    while chunk := f.readline(limit + 1):
        if len(chunk) > limit and not chunk.endswith(b"\n"):
            while (rest := f.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield chunk.rstrip(b"\r\n")


def _read_jsonl(path: Path, on_error: ErrorHandler | None, limits: Limits) -> Iterator[Article]:
    """Yield the articles of a UTF-8 JSON Lines file, reading a line at a time; a bad line
    goes to `on_error` (raised if None) and the following lines are still read."""
    seen_text = False
    try:
        with path.open("rb") as f:
            head = f.read(32)
            f.seek(0)
            screen.refuse_binary(head, path)
            if any(head.startswith(bom) for bom, enc in screen.BOMS if enc != "utf-8-sig"):
                raise InputError(path, "UTF-16 or UTF-32 text: JSON Lines must be UTF-8; save "
                                       "it as UTF-8")
            for number, raw in enumerate(_lines(f, limits.max_file_bytes), start=1):
                if number == 1 and raw is not None:
                    raw = raw.removeprefix(b"\xef\xbb\xbf")
                if raw is not None and not raw.strip():
                    continue
                seen_text = True
                try:
                    yield _jsonl_line(raw, path, number, limits)
                except InputError as err:
                    _report(err, on_error)
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    if not seen_text:
        raise InputError(path, "empty file (no text)")


def _stat(path: Path) -> os.stat_result:
    """The status of `path`, following symbolic links; InputError saying why there is none."""
    try:
        return path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            reason = "symbolic link loop (too many levels of symbolic links)"
        elif exc.errno == errno.ENOENT:
            reason = "broken symbolic link" if path.is_symlink() else "no such file or folder"
        else:
            reason = f"cannot read: {exc.strerror or exc}"
        raise InputError(path, reason) from None


def read_file(path: Path | str, *, on_error: ErrorHandler | None = None,
              limits: Limits | None = None) -> Iterator[Article]:
    """Yield the articles of one supported file, in file order, without de-duplication.

    A whole-file problem raises InputError; a bad JSON Lines record goes to
    `on_error` (raised if None) and the following lines are still read.
    `limits` defaults to `Limits.from_env()`.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    limits = limits or Limits.from_env()
    info = _stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise InputError(path, "not a regular file")
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(path, f"unsupported file type {path.suffix!r}; expected one of "
                               f"{', '.join(sorted(SUPPORTED_SUFFIXES))}")
    if suffix == ".jsonl":
        yield from _read_jsonl(path, on_error, limits)
        return
    too_big = InputError(path, f"file over {limits.max_file_bytes:,} bytes, the limit for one "
                               "article (KG_MAX_FILE_BYTES): not read")
    if info.st_size > limits.max_file_bytes:
        raise too_big
    try:
        with path.open("rb") as f:
            data = f.read(limits.max_file_bytes + 1)  # bounded even if the file grew
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > limits.max_file_bytes:
        raise too_big
    if suffix in (".html", ".htm"):
        yield _read_html(data, path, _sidecar_url(path), limits)
        return
    text = screen.decode(data, path).replace("\r\n", "\n")
    yield _article(strip_markdown(text) if suffix == ".md" else text, path, limits,
                   url=_sidecar_url(path))


def _report(err: InputError, on_error: ErrorHandler | None) -> None:
    if on_error is None:
        raise err
    logger.debug("input error: %s", err)
    on_error(err)


def _walk(folder: str, visited: set[str], on_error: ErrorHandler | None) -> Iterator[str]:
    """Yield the files to read under `folder`, sorted by name, entering each real folder once.

    Hidden files and `.url` sidecars are passed over; other files of no supported
    type, symbolic link loops and pipes or devices go to `on_error`.
    """
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        _report(InputError(folder, f"cannot list folder: {exc.strerror or exc}"), on_error)
        return
    here = os.path.realpath(folder)
    for entry in entries:
        path = os.path.join(folder, entry.name)
        suffix = Path(entry.name).suffix.lower()
        try:
            isdir, isfile = entry.is_dir(), entry.is_file()
        except OSError:  # a looping link
            isdir = isfile = False
        if entry.name.startswith("."):
            logger.debug("skipping hidden %s", path)
        elif isdir and (real := os.path.realpath(path)) in visited:
            if here == real or here.startswith(real + os.sep):
                _report(InputError(path, f"symbolic link loop: links back to {real}, a folder "
                                         "it is in; not followed"), on_error)
            else:
                logger.warning("%s: links to %s, a folder already read; not read again",
                               path, real)
        elif isdir:
            visited.add(real)
            yield from _walk(path, visited, on_error)
        elif isfile and suffix in SUPPORTED_SUFFIXES or entry.is_symlink():
            yield path  # read_file names what is wrong with a broken or looping link
        elif not isfile:
            _report(InputError(path, "not a regular file (a pipe, socket or device)"), on_error)
        elif suffix != SIDECAR_SUFFIX:
            _report(InputError(path, f"unsupported file type {suffix or '(none)'!r}; expected "
                                     f"one of {', '.join(sorted(SUPPORTED_SUFFIXES))}"),
                    on_error)


def iter_articles(paths: Iterable[str | Path], *, on_error: ErrorHandler | None = None,
                  limits: Limits | None = None) -> Iterator[Article]:
    """Yield the articles of files and folders (recursive, sorted), each text once.

    A file or line that cannot be read goes to `on_error` as an InputError and
    reading goes on (raised if `on_error` is None). A file reached twice is read
    once; a text already yielded (same `content_id`) is skipped with a warning
    naming both sources. `limits` defaults to `Limits.from_env()`.
    """
    limits = limits or Limits.from_env()
    seen: dict[str, str] = {}
    files_read: set[str] = set()
    duplicates = 0
    for given in paths:
        name = os.fspath(given)
        isdir = os.path.isdir(name)
        files = _walk(name, {os.path.realpath(name)}, on_error) if isdir else iter([name])
        for file in files:
            if (real := os.path.realpath(file)) in files_read:
                logger.debug("%s: read already", file)
                continue
            files_read.add(real)
            try:
                for article in read_file(file, on_error=on_error, limits=limits):
                    if article.id not in seen:
                        seen[article.id] = article.source
                        yield article
                        continue
                    duplicates += 1
                    logger.warning("%s: same text as %s: a duplicate, counted once",
                                   article.source, seen[article.id])
            except InputError as err:
                _report(err, on_error)
    if duplicates:
        logger.info("skipped %d duplicate article(s)", duplicates)


def read_path(path: str | Path, *, on_error: ErrorHandler | None = None) -> list[Article]:
    """Return the articles of one file or folder, as `iter_articles` yields them."""
    return list(iter_articles([path], on_error=on_error))
