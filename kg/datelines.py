"""Dates and titles an article states at its top: datelines, date lines, `date` markers.

`find_published` takes the publication date from a dateline ("HANOI, Dec 13 2025 —")
or a date line ("Published: 3 July 2024") among the first lines, never from a body
sentence; `guess_title` takes a headline-like first line. Used by `kg.ingest`.
"""
from __future__ import annotations

import re
from datetime import date

HEAD_LINES = 6  # non-empty lines searched for a dateline / date line
MAX_TITLE_CHARS = 200
MAX_DATE_LINE_CHARS = 100
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


def guess_title(text: str) -> str | None:
    """Return the first line (past a date line) if headline-like: short, no final period."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if lines and date_of_line(lines[0]) and len(_words(lines[0])) <= 8:
        lines = lines[1:]
    if len(lines) < 2 or len(lines[0]) >= MAX_TITLE_CHARS or lines[0].endswith(tuple(".,:;")):
        return None
    return lines[0] if any(ch.isalpha() for ch in lines[0]) else None
