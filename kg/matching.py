"""Pure name comparisons used by `kg.resolve`: each answers one question about names.

No state, no spaCy: every function here can be unit-tested with strings.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from kg import knowledge
from kg.extract.patterns import AGREEMENT_HEADS, EVENT_HEADS, GENERIC_NAMES, INITIATIVE_HEADS
from kg.model import Extraction
from kg.names import fold, is_acronym, one_edit_apart, own_tokens, translit

NAMED_TYPES = ("Organization", "Event", "Initiative", "Agreement")
"""Types whose names are titles of things, which news types inconsistently."""

TYPE_ORDER = ("Person", "Country", "Event", "Initiative", "Agreement", "Organization", "Place")
"""Tie-break between types, most specific first."""

_CONNECTORS = re.compile(r"\s+(?:of|on|to|for|between|in|at|with|against)\s+", re.I)
_VOWELS = set("aeiou")


def match_key(type_: str, name: str) -> str:
    """The key two names of one type are "the same name" on.

    Titles of things (organisations, events, initiatives, agreements) also ignore
    spaces, hyphens and British/US spelling ("Organisation" == "Organization").
    """
    if type_ in NAMED_TYPES:
        return knowledge.org_key(name) or fold(name)
    return fold(name)


# --- persons ---------------------------------------------------------------------------------
def person_tokens(name: str) -> tuple[str, ...]:
    """A person's own name words, transliteration-folded ("Sergey" == "Sergei")."""
    return tuple(translit(t) for t in own_tokens(name))


def variant_tokens(a: str, b: str) -> bool:
    """True when two differing name words are spelling variants of one another.

    One edit apart (or equal after transliteration folding), same first letter,
    the longer at least three letters, and not a change of final vowel
    (Mario/Maria, Ivana/Ivano are different people).
    """
    if a == b:
        return True
    if a[:1] != b[:1] or max(len(a), len(b)) < 3:
        return False
    if len(a) == len(b) and a[:-1] == b[:-1] and {a[-1], b[-1]} <= _VOWELS:
        return False
    return one_edit_apart(a, b)


def variant_names(a: str, b: str) -> bool:
    """True when two full person names differ only by the spelling of one word.

    Both have at least two words, all but one identical, and the identical words
    carry at least five letters: "Jorge Faurie" ~ "Jourge Faurie", "Liu Jianchao" ~
    "Lu Jianchao", "Sergei Lavrov" ~ "Sergey Lavrov"; never "Wang Yi" ~ "Wang Yu",
    never "Heydar Aliyev" ~ "Ilham Aliyev".
    """
    ta, tb = person_tokens(a), person_tokens(b)
    if len(ta) != len(tb) or len(ta) < 2 or ta == tb:
        return len(ta) >= 2 and ta == tb
    diff = [i for i in range(len(ta)) if ta[i] != tb[i]]
    if len(diff) != 1:
        return False
    shared = sum(len(t) for i, t in enumerate(ta) if i != diff[0])
    return shared >= 5 and variant_tokens(ta[diff[0]], tb[diff[0]])


def compatible_persons(a: str, b: str) -> bool:
    """True unless two full names (two words or more) are clearly different people.

    Compatible: one name's words are a subset of the other's, or they are
    spelling variants. A shared family name alone is not enough.
    """
    ta, tb = set(person_tokens(a)), set(person_tokens(b))
    if len(ta) < 2 or len(tb) < 2:
        return True
    return ta <= tb or tb <= ta or variant_names(a, b)


def person_name_tail(partial: str, full: str) -> bool:
    """True when `partial` (two words or more) is the end of the full name `full`
    ("Bamba Meguet" of "Mohamed Bamba Meguet")."""
    tp, tf = tokens_of(partial), tokens_of(full)
    return 2 <= len(tp) <= len(tf) and tf[-len(tp):] == tp


def tokens_of(name: str) -> list[str]:
    return fold(name).split()


# --- organisations ---------------------------------------------------------------------------
def country_scoped(name: str) -> tuple[str, str] | None:
    """(body, ISO code) of an organisation named by its country, or None.

    "Kyrgyz Parliament", "Parliament of Kyrgyzstan", "Kyrgyzstan's Parliament" and
    "Parliament of the Kyrgyz Republic" all give ("parliament", "KG").
    """
    text = name.strip()
    for m in re.finditer(r"\s+of\s+(?:the\s+)?", text, re.I):  # leftmost "of <country>"
        c = knowledge.country(text[m.end():])
        body = fold(text[:m.start()])
        if c is not None and c.alpha2 and body:
            return body, c.alpha2
    words = text.split()
    if len(words) >= 2:
        first = re.sub(r"[’']s$", "", words[0])
        c = knowledge.country_by_demonym(words[0]) if first == words[0] else None
        if c is None and first != words[0]:
            c = knowledge.country(first)
        if c is not None and c.alpha2:
            return fold(" ".join(words[1:])), c.alpha2
    return None


def head_type(name: str) -> str | None:
    """The entity type a title's head word implies: "... Summit" an Event, "Agreement on
    ..." an Agreement, "... Initiative" an Initiative; None when it implies none."""
    head = _CONNECTORS.split(name.strip(), maxsplit=1)[0].split()
    if not head:
        return None
    word = head[-1].strip(".,;:’'\"").lower()
    if word in {h.lower() for h in EVENT_HEADS}:
        return "Event"
    if word in {h.lower() for h in INITIATIVE_HEADS}:
        return "Initiative"
    if word in {h.split()[-1] for h in AGREEMENT_HEADS}:
        return "Agreement"
    return None


def expand_acronyms(name: str, expansions: dict[str, str]) -> str | None:
    """`name` with an acronym word replaced by its one known expansion ("SCO Summit" ->
    "Shanghai Cooperation Organisation Summit"), or None when it has none."""
    words = name.split()
    if len(words) < 2:
        return None
    out, changed = [], False
    for w in words:
        if is_acronym(w) and w in expansions:
            out.append(expansions[w])
            changed = True
        else:
            out.append(w)
    return " ".join(out) if changed else None


def without_parties(title: str) -> str | None:
    """An agreement title without its trailing "between A and B" when A and B are
    countries (or "the two countries"), else None."""
    m = re.match(r"^(.+?)\s+between\s+(.+)$", title.strip(), re.I)
    if not m:
        return None
    rest = m.group(2).strip()
    if re.fullmatch(r"(?:the\s+)?(?:two|both)\s+(?:countries|states|nations|sides)", rest, re.I):
        return m.group(1)
    parts = re.split(r"\s*,\s*|\s+and\s+", rest)
    if len(parts) >= 2 and all(knowledge.country(p) for p in parts):
        return m.group(1)
    return None


# --- patterns in an article's text ----------------------------------------------------------
_ACRONYM_DEF = re.compile(r"\(\s*([A-Z][A-Za-z0-9&.\-]{1,11})\s*\)")


def defined_acronyms(text: str, names: Iterable[str]) -> list[tuple[str, str]]:
    """(long name, acronym) pairs the text defines as "Long Name (ACR)", for the long names
    given (the longest that ends just before the parenthesis)."""
    by_len = sorted({n for n in names if n and not is_acronym(n)}, key=len, reverse=True)
    out = []
    for m in _ACRONYM_DEF.finditer(text):
        before = text[max(0, m.start() - 200):m.start()].rstrip().lower()
        for n in by_len:
            if before.endswith(n.lower()):
                out.append((n, m.group(1)))
                break
    return out


_QUOTE_OPEN = re.compile(r"\s*,?\s*[\"'‘“(]\s*")
_QUOTE_CLOSE = re.compile(r"\s*[\"'’”)]")


def quoted_after(text: str, full: str, nickname: str) -> bool:
    """True when the text writes `nickname` in quotes (or brackets) right after `full`:
    "Pushpa Kamal Dahal, ‘Prachanda’" or "Pushpa Kamal Dahal (Prachanda)".
    (Plain searches and two fixed patterns: a pattern per pair compiled for every call
    outgrows re's cache and made resolution slow.)"""
    at = text.find(full) if full else -1
    while at >= 0:
        opened = _QUOTE_OPEN.match(text, at + len(full))
        if opened and text.startswith(nickname, opened.end()) and _QUOTE_CLOSE.match(
                text, opened.end() + len(nickname)):
            return True
        at = text.find(full, at + 1)
    return False


# --- generic agreements ----------------------------------------------------------------------
def generic_agreement_keys(ex: Extraction) -> dict[str, str]:
    """Generic agreements of an article keyed by their parties and date, so that two
    articles' "Joint Statement"s are one node only when they agree on both."""
    out: dict[str, str] = {}
    generic = {e.key for e in ex.entities if e.type == "Agreement"
               and e.name in set(GENERIC_NAMES.values())}
    names = {e.key: f"{e.type}:{fold(e.name)}" for e in ex.entities}
    for f in ex.facts:
        if f.kind == "agreement" and f.role("agreement")[0] in generic:
            parties = ",".join(sorted(names.get(p, p) for p in f.role("party")))
            out[f.role("agreement")[0]] = f"{parties}@{f.value('date') or ex.article.id}"
    for key in generic - set(out):
        out[key] = ex.article.id
    return out


# words news uses loosely ("an agreement to cut tariffs"): a generic one is not taken to be
# the article's titled document
_LOOSE = frozenset({"agreement", "deal", "pact", "accord"})
_PLURALS = frozenset({"agreements", "memoranda", "mous", "treaties", "accords", "protocols",
                      "deals", "pacts", "declarations", "statements", "communiques",
                      "conventions", "charters", "roadmaps", "plans"})


def generic_to_titled(ex: Extraction) -> list[tuple[str, str]]:
    """(generic key, titled key) pairs of an article's agreements: a generic mention ("the
    Communique") and the article's only titled agreement of that kind ("Joint Communique on
    Diplomatic Relations"), when the generic one is never plural ("two MoUs") and their
    parties agree (one's parties within the other's). Loose words ("an agreement", "a
    deal") are left alone: news uses them for things that are no document."""
    generic_names = {fold(n) for n in GENERIC_NAMES.values()}
    agreements = [e for e in ex.entities if e.type == "Agreement"]
    parties: dict[str, set[str]] = {}
    for f in ex.facts:
        if f.kind == "agreement" and f.role("agreement"):
            parties.setdefault(f.role("agreement")[0], set()).update(f.role("party"))
    out = []
    for g in agreements:
        if fold(g.name) not in generic_names or fold(g.name) in _LOOSE or any(
                _PLURALS & set(fold(a).split()) for a in (g.name, *g.aliases)):
            continue
        head = head_word(g.name)
        titled = [t for t in agreements if fold(t.name) not in generic_names
                  and head_word(t.name) == head]
        if len(titled) != 1:
            continue
        pg, pt = parties.get(g.key, set()), parties.get(titled[0].key, set())
        if pg <= pt or pt <= pg:
            out.append((g.key, titled[0].key))
    return out


def head_word(title: str) -> str:
    """The head word of a title: the last word before its first connector, folded
    ("Joint Declaration on X" -> "declaration", "Memorandum of Understanding" -> "memorandum")."""
    head = _CONNECTORS.split(title.strip(), maxsplit=1)[0].split()
    return fold(head[-1]) if head else ""
