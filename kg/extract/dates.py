"""Dates in news text -> ISO strings, resolved against the publication date.

Granularity is kept: a day gives `YYYY-MM-DD`, a month `YYYY-MM`, a year
`YYYY`. Relative expressions ("on Thursday", "yesterday", "last month") need
the publication date; without one they resolve to None.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
WEEKDAYS = {d: i for i, d in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
PATTERNS = [
    re.compile(rf"\b{_YEAR}-(?P<m>\d\d)-(?P<d>\d\d)\b"),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?\b", re.I),
    re.compile(rf"\b{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?\b", re.I),
    re.compile(rf"\b{_MONTH},?\s+{_YEAR}\b", re.I),
    re.compile(rf"\b(?:in\s+)?{_YEAR}\b"),
]
RELATIVE_DAYS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}


def parse_date(text: str, published: str | None = None) -> str | None:
    """Return the ISO date a date expression names, or None.

    `published` (ISO, any granularity) anchors relative expressions and
    supplies the year for "July 3"; a month-day after the publication date is
    taken to be in the previous year (news reports the past).
    """
    low = text.lower().strip()
    anchor = _as_date(published)
    for word, shift in RELATIVE_DAYS.items():
        if re.search(rf"\b{word}\b", low):
            return (anchor + timedelta(days=shift)).isoformat() if anchor else None
    for day, idx in WEEKDAYS.items():
        if re.search(rf"\b{day}\b", low) and not _has_explicit(low):
            if anchor is None:
                return None
            back = (anchor.weekday() - idx) % 7
            if "next" in low:
                return (anchor + timedelta(days=(idx - anchor.weekday()) % 7 or 7)).isoformat()
            return (anchor - timedelta(days=back)).isoformat()
    if anchor and re.search(r"\blast\s+month\b", low):
        prev = anchor.replace(day=1) - timedelta(days=1)
        return f"{prev.year:04d}-{prev.month:02d}"
    if anchor and re.search(r"\bthis\s+month\b", low):
        return f"{anchor.year:04d}-{anchor.month:02d}"
    if anchor and re.search(r"\blast\s+year\b", low):
        return f"{anchor.year - 1:04d}"
    if anchor and re.search(r"\bthis\s+year\b", low):
        return f"{anchor.year:04d}"
    return _absolute(low, anchor)


def _has_explicit(low: str) -> bool:
    return any(p.search(low) for p in PATTERNS[:4])


def _absolute(low: str, anchor: date | None) -> str | None:
    m = PATTERNS[0].search(low)
    if m:
        return _iso(int(m["year"]), int(m["m"]), int(m["d"]))
    for pattern in PATTERNS[1:3]:
        m = pattern.search(low)
        if m:
            month, day = MONTHS[m["month"].lower()], int(m["day"])
            if m["year"]:
                return _iso(int(m["year"]), month, day)
            if anchor is None:
                return None
            year = anchor.year
            guess = _iso(year, month, day)
            if guess and guess > anchor.isoformat():
                guess = _iso(year - 1, month, day)
            return guess
    m = PATTERNS[3].search(low)
    if m:
        return f"{int(m['year']):04d}-{MONTHS[m['month'].lower()]:02d}"
    m = PATTERNS[4].search(low)
    if m:
        return m["year"]
    return None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _as_date(published: str | None) -> date | None:
    if not published or len(published) < 10:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None
