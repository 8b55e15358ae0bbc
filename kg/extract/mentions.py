"""Doc -> typed entity mentions: spaCy NER repaired with gazetteers and patterns.

Candidates come from four sources (gazetteers of countries and organisations,
title patterns for agreements, initiatives and events, acronym definitions,
and spaCy's NER) and are reconciled so that no two mentions overlap.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache

from spacy.tokens import Doc, Span, Token

from kg import knowledge
from kg.extract import patterns as pat
from kg.extract.text import doc_text

# higher wins on overlap when lengths tie; a longer span wins otherwise,
# except that a spaCy span may not cut through a gazetteer or pattern match
PRIORITY = {"pattern": 4, "gazetteer": 3, "acronym": 3, "title": 2, "surname": 2, "ner": 1}
NER_TYPES = {"PERSON": "Person", "GPE": "Place", "LOC": "Place", "FAC": "Place",
             "ORG": "Organization", "EVENT": "Event", "LAW": "Agreement",
             "WORK_OF_ART": "Agreement", "NORP": "Organization"}
NEWS_WORDS = {"reports", "reported", "news", "agency"}


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


def find_mentions(doc: Doc) -> list[Mention]:
    """Every entity mention of `doc`, non-overlapping, in text order."""
    text = doc_text(doc)
    cands: list[Mention] = []
    cands += _gazetteer(text)
    cands += _patterns(text)
    cands += _ner(doc)
    chosen = reconcile(cands)
    chosen = _acronyms(text, chosen)
    return sorted(chosen, key=lambda m: m.start)


# ------------------------------------------------------------------ sources

@cache
def _gazetteer_regex() -> tuple[re.Pattern[str], dict[str, tuple[str, str]], re.Pattern[str]]:
    """One regex over every country and organisation name (case-insensitive) and one
    over acronyms (case-sensitive), with a lookup from the lower-cased form."""
    lookup: dict[str, tuple[str, str]] = {}
    for c in knowledge.countries():
        for n in (c.name, *c.aliases):
            if len(n) > 3 or n.isupper():
                lookup.setdefault(_fold(n), ("Country", c.name))
    for c in knowledge.countries():
        # capitals (and seats of government) are places: "Kyiv", "The Hague", "Vilnius"
        for city in (c.capital, *c.capital_aliases):
            if city and len(city) > 3 and knowledge.country(city) is None:
                lookup.setdefault(_fold(city), ("Place", city))
    acr: dict[str, tuple[str, str]] = {}
    for o in knowledge.organizations():
        for n in (o.name, *o.aliases):
            lookup.setdefault(_fold(n), ("Organization", o.name))
        for a in o.acronyms:
            acr[a] = ("Organization", o.name)
    for c in knowledge.countries():
        for n in (c.name, *c.aliases):
            if n.isupper() and len(n) <= 5:
                acr.setdefault(n.replace(".", ""), ("Country", c.name))
    names = sorted(lookup, key=len, reverse=True)
    rx = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])",
                    re.I)
    acr_rx = re.compile(r"(?<![\w-])(?:" + "|".join(
        re.escape(a) for a in sorted(acr, key=len, reverse=True)) + r")(?![\w-])")
    lookup.update({"\x00" + k: v for k, v in acr.items()})
    return rx, lookup, acr_rx


def _fold(s: str) -> str:
    """Lower-case, straight apostrophes, accents dropped, one character for one."""
    return "".join(_fold_char(c) for c in s)


@cache
def _fold_char(c: str) -> str:
    if c in "’‘`´":
        return "'"
    base = unicodedata.normalize("NFKD", c)[:1].lower()
    return base if len(base) == 1 and base.isascii() else c.lower()[:1] or c


def _gazetteer(text: str) -> list[Mention]:
    rx, lookup, acr_rx = _gazetteer_regex()
    folded = _fold(text)
    out = []
    for m in rx.finditer(folded):
        if not text[m.start()].isupper() and text[m.start():m.start() + 4].lower() != "the ":
            continue  # "male", "turkey", "chad": names are capitalised
        typ, name = lookup[m.group(0)]
        out.append(Mention(m.start(), m.end(), typ, name, "gazetteer", text[m.start():m.end()]))
    for m in acr_rx.finditer(text):
        typ, name = lookup["\x00" + m.group(0)]
        out.append(Mention(m.start(), m.end(), typ, name, "gazetteer", m.group(0)))
    return out


def _patterns(text: str) -> list[Mention]:
    out = []
    for m in pat.QUOTED.finditer(text):
        inner = m.group(1).strip(" ,.;")
        start = m.start(1) + m.group(1).find(inner)
        words = inner.split()
        titled = sum(w[:1].isupper() for w in words) >= 0.5 * len(words)
        early = pat.agreement_head(" ".join(words[:5]))
        # a quoted title, not a quoted sentence that mentions a document
        if pat.agreement_head(inner) and inner[:1].isupper() and len(words) >= 2 and (
                titled or early):
            out.append(Mention(start, start + len(inner), "Agreement", inner, "pattern", inner))
    for start, end, run in pat.title_runs(text):
        out += _typed_run(text, start, end, run)
    for m in ACRONYM_EVENT.finditer(text):
        # "the Group of 20 (G20) Summit": the event is named by the acronym and its head
        name = f"{m.group(1)} {m.group(2)}"
        out.append(Mention(m.start(1), m.end(), "Event", name, "pattern", m.group(0)))
    for m in pat.COP.finditer(text):
        out.append(Mention(m.start(), m.end(), "Event", m.group(0), "pattern", m.group(0)))
    out += _distributed_heads(text)
    for m in LIST_ITEM.finditer(text):
        # a line that is a document's title, as in "the following documents were signed:"
        item = re.split(r",\s+and\s+(?:[a-z]+(?:ed|s)|gave|held|made|met|took|spoke|told|"
                        r"said|went)\b", m.group(1))[0].rstrip(" ,;.")
        out.append(Mention(m.start(1), m.start(1) + len(item), "Agreement", item, "pattern",
                           item))
    for m in re.finditer(r"\b([a-z]+-[A-Z][\w]*)\s+(policy|principle)\b", text):
        # "the one-China principle"
        name = f"{m.group(1)} {m.group(2)}"
        out.append(Mention(m.start(), m.end(), "Initiative", name, "pattern", m.group(0)))
    for m in re.finditer(r"[“\"]([A-Z][\w\- ]{1,40})[”\"]\s+(policy|principle)\b", text):
        name = f"{m.group(1)} {m.group(2)}"
        out.append(Mention(m.start(), m.end(), "Initiative", name, "pattern", m.group(0)))
    return out


DISTRIBUTED = re.compile(r"\b(initiatives|corridors|programmes|programs|strategies)\s+(?:on|of)\s+",
                         re.I)
ITEM = re.compile(r"([A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){0,4})(\s*,\s*(?:and\s+)?|\s+and\s+)?")


ACRONYM_EVENT = re.compile(r"\(([A-Z][A-Za-z0-9&\-]{1,10})\)\s+(" + "|".join(pat.EVENT_HEADS)
                           + r")\b")
_LIST_HEADS = (r"(?:Agreement|Memorandum|Memoranda|Plan|Protocol|Treaty|Programme|Program|"
               r"Roadmap|Declaration|Convention|Contract|Statement|Action Plan)\b")
LIST_ITEM = re.compile(
    r"(?m)^[ \t]*(?:[-•*·]\s*|\d{1,2}[.)]\s*)?((?:(?:Intergovernmental|Bilateral|Joint|Trilateral)"
    rf"\s+(?i:{_LIST_HEADS})|{_LIST_HEADS})[^\n]{{5,300}}?)[ \t]*[,;.]?[ \t]*$")


def _distributed_heads(text: str) -> list[Mention]:
    """"initiatives on Global Security, Global Development and Global Civilization":
    one initiative per item, the plural head word given to each."""
    out = []
    for m in DISTRIBUTED.finditer(text):
        head = m.group(1)[:-1].rstrip("e").capitalize()
        head = {"Initiative": "Initiative", "Corridor": "Corridor", "Programm": "Programme",
                "Program": "Program", "Strategi": "Strategy"}.get(head, "Initiative")
        pos, items = m.end(), []
        while (item := ITEM.match(text, pos)) is not None:
            items.append((item.start(1), item.end(1), item.group(1)))
            pos = item.end()
            if not item.group(2):
                break
        if len(items) >= 2:
            out += [Mention(a, b, "Initiative", f"{name} {head}", "pattern", name)
                    for a, b, name in items]
    return out


# capitalised words that start a sentence before a name, not part of it ("Under the ...")
LEADING_WORDS = {"The", "A", "An", "This", "That", "Under", "In", "At", "During", "After",
                 "Following", "With", "By", "From", "Through", "Within", "Since", "Before",
                 "Amid", "Despite", "As", "And", "But", "Both", "Its", "Their"}


TWO_TITLES = re.compile(r"\s+and\s+(?:the\s+|an?\s+)?(?=(?:Agreement|Memorandum|Treaty|Protocol|"
                        r"Convention|Declaration|Joint\s+(?:Statement|Declaration)|Charter)\b)")


def _typed_run(text: str, start: int, end: int, run: str) -> list[Mention]:
    """Agreement, initiative or event mentions inside one title-cased run."""
    two = TWO_TITLES.search(run)
    if two:
        # "The Agreement on X and the Agreement on Y": two documents; "Laos and Vietnam and
        # the Agreement": the document starts after the "and"
        second = start + two.end()
        return (_typed_run(text, start, start + two.start(), run[:two.start()])
                + _typed_run(text, second, end, run[two.end():]))
    if "," in run and not (pat.agreement_head(run.split(",")[0])
                           and _agreement_like(run.split(",")[0].split())
                           and re.search(r"\band\b", run.split(",")[-1])):
        out = []
        offset = start
        for piece in run.split(","):
            at = text.index(piece.strip(), offset) if piece.strip() else offset
            if piece.strip():
                out += _typed_run(text, at, at + len(piece.strip()), piece.strip())
            offset = at + len(piece.strip())
        return out
    words = run.split()
    # drop a leading "The"/"A" and a possessive prefix ("China's Belt and Road Initiative")
    lead = 0
    while lead < len(words) - 1 and (words[lead] in LEADING_WORDS
                                     or words[lead].endswith(("'s", "’s"))):
        lead += 1
    if lead:
        offset = run.index(words[lead])
        start, run, words = start + offset, run[offset:], words[lead:]
    # trailing lower-case "policy"/"initiative"/"summit" right after the run
    tail = re.match(r"\s+(policy|initiative|principle|summit|corridor)\b", text[end:end + 14])
    if tail and not pat.agreement_head(run):
        typ = "Event" if tail.group(1) == "summit" else "Initiative"
        end2 = end + tail.end()
        if len(words) >= 1 and not knowledge.country_by_demonym(run):
            return [Mention(start, end2, typ, text[start:end2], "pattern", text[start:end2])]
    if re.search(r"\b(Treaty|Agreement|Convention|Charter|Pact)\s+(Organi[sz]ation|Secretariat|"
                 r"Alliance|Council|Commission|Authority)\b", run):
        return []  # "North Atlantic Treaty Organization" names a body (the gazetteer's)
    if pat.agreement_head(run) and _agreement_like(words):
        run = _cut_place_and_date(run)
        return [Mention(start, start + len(run), "Agreement", run, "pattern", run)]
    if pat.has_head(run, pat.INITIATIVE_HEADS) and len(words) >= 2 and words[0] not in {
            "Privacy", "Cookie", "Cookies", "Editorial", "Refund"}:  # site boilerplate
        return [Mention(start, start + len(run), "Initiative", run, "pattern", run)]
    if pat.has_head(run, pat.EVENT_HEADS) and len(words) >= 2:
        return [Mention(start, start + len(run), "Event", run, "pattern", run)]
    # "G20 Summit in Rio de Janeiro on Monday": the name ends before where and when
    for cut in re.finditer(r"\s+(?:in|at|on)\s+", run):
        head = run[:cut.start()]
        if len(head.split()) >= 2 and (pat.has_head(head, pat.EVENT_HEADS)
                                       or pat.has_head(head, pat.INITIATIVE_HEADS)):
            return _typed_run(text, start, start + len(head), head)
    return []


def _cut_place_and_date(run: str) -> str:
    """"Treaty on Allied Relations in Tashkent on 22 December 2022" -> the title alone: a
    trailing "in/at <country or capital>" or "on <date>" is where and when, not the name."""
    m = re.search(r"\s+(?:on|in)\s+(?:\d|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
                  r"Sunday|January|February|March|April|May|June|July|August|September|"
                  r"October|November|December)\b)", run)
    if m:
        run = run[:m.start()]
    for m in re.finditer(r"\s+(?:in|at)\s+((?:[A-Z][\w'’\-]*\s?){1,3})$", run):
        place = m.group(1).strip()
        if knowledge.country(place) or knowledge.capital_of(place):
            return run[:m.start()]
    return run


def _agreement_like(words: list[str]) -> bool:
    """A title run names a document when a head word is capitalised in it."""
    joined = " ".join(words)
    for head in pat.AGREEMENT_HEADS:
        if re.search(rf"\b{re.escape(head)}\b", joined, re.I):
            found = re.search(rf"\b{re.escape(head)}\b", joined, re.I)
            assert found
            return found.group(0)[:1].isupper() and (len(words) >= 2 or head in {"mou"})
    return False


def _ner(doc: Doc) -> list[Mention]:
    out = []
    for ent in doc.ents:
        typ = NER_TYPES.get(ent.label_)
        if typ is None:
            continue
        m = _clean_ner(doc, ent, typ)
        if m is not None:
            out.append(m)
    return out


def _clean_ner(doc: Doc, ent: Span, typ: str) -> Mention | None:
    """Repair the small model's usual mistakes on one entity span."""
    tokens = list(ent)
    if "(" in [t.text for t in tokens[1:]]:
        # "Vietnam National Energy Group (Petrovietnam": the acronym is bound separately
        tokens = tokens[:[t.text for t in tokens].index("(", 1)]
    while tokens and (tokens[0].lower_ in {"the", "a", "an"} or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].tag_ == "POS"
                      or tokens[-1].lower_ in {"'s", "’s", "and", "of", "the", "&", "for"}):
        tokens = tokens[:-1]
    if typ != "Person" and _ranked_name(tokens):
        typ = "Person"  # "General Idriss Mahamat" tagged an organisation
    elif typ == "Person" and tokens and tokens[0].i >= 2 and doc[tokens[0].i - 1].lower_ == \
            "the" and doc[tokens[0].i - 2].lower_ == "of":
        if len(tokens) <= 2:
            typ = "Organization"  # "the Speaker of the Riksdag": no name follows "of the"
        elif tokens[0].i >= 3 and doc[tokens[0].i - 3].lower_ in post_words():
            tokens = tokens[1:]  # "Chairman of the Mazhilis Yerlan Koshanov": body, then name
    elif typ == "Person" and tokens and tokens[0].i >= 1 and doc[tokens[0].i - 1].lower_ in {
            "at", "in"} and ent.root.dep_ == "pobj":
        typ = "Place"  # "received X at Qasr Al Watan": people are not "at" someone
    if typ == "Person":
        tokens = _extend_name(doc, strip_honorifics(tokens))
    if not tokens or knowledge.is_honorific(doc_text(doc)[tokens[0].idx:tokens[-1].idx
                                                       + len(tokens[-1].text)]):
        return None
    if typ != "Person":
        tokens = _cut_location(tokens, typ)
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    text = doc_text(doc)[start:end]
    if "\n" in text or not any(c.isupper() for c in text[:1]):
        return None
    country = knowledge.country(text)
    if country is not None:
        return Mention(start, end, "Country", country.name, "ner", text)
    if typ != "Organization" and knowledge.country_by_demonym(text) is not None:
        return None  # "Angolan" tagged a place: a demonym, read where it qualifies a title
    if len(tokens) == 1 and knowledge.country_by_demonym(text) is not None:
        return None  # a lone "Kazakh" tagged an organisation
    if ent.label_ == "NORP":
        org = knowledge.organization(text)
        return Mention(start, end, "Organization", org.name, "ner", text) if org else None
    if typ == "Person" and (len(text) < 2 or text.isupper() or _titleish(text)
                            or knowledge.fold(text) in knowledge.title_qualifiers() or all(
            knowledge.country_by_demonym(t.text) or not t.is_alpha for t in tokens)):
        return None
    if typ != "Person" and _names_a_post(doc, tokens):
        return None
    if typ == "Person" and (knowledge.country_by_demonym(text)
                            or knowledge.country_by_demonym(text.rstrip("s"))):
        return None  # "Solomon Islanders"
    if typ in {"Organization", "Place"} and (
            re.search(r"[/:]|\d{2,}", text) or all(
                knowledge.is_title_word(t.text) or t.is_stop or not t.is_alpha for t in tokens)
            and not (len(tokens) >= 2 and (tokens[-1].lower_ in BUILDINGS  # "State House"
                                           or tokens[0].lower_ in ORG_HEAD_WORDS))
            or tokens[-1].tag_ in {"NNS", "NNPS"} and knowledge.is_title_word(
                tokens[-1].text.rstrip("s"))):
        return None  # "No:280/24", "Energy", "Ministers of Foreign Affairs", "Secretaries"
    if typ != "Person" and (tokens[0].lower_.rstrip("s") in post_words() or tokens[-1].lower_ in {
            "ministries", "governments", "parliaments", "states"} or any(
            t.lower_.endswith("s") and t.lower_[:-1] in post_words() for t in tokens)):
        return None  # "Ministers of Commerce", "Defense Ministries", "Associate States"
    parts = [p for p in re.split(r"\s*[-–]\s*", text) if p]
    if len(parts) >= 2 and all(knowledge.country(p) or knowledge.country_by_demonym(p)
                               for p in parts):
        return None  # "Azerbaijan-Pakistan-Türkiye" is a relation, not a place
    if typ == "Organization" and any(t.tag_ == "POS" for t in tokens):
        return None  # "Botswana's Defence": a possessor and a portfolio, not a name
    if typ == "Agreement" and not pat.agreement_head(text):
        return None
    if typ in {"Organization", "Place"} and tokens[-1].lower_ in BUILDINGS and len(tokens) >= 2:
        typ = "Place"  # "Hyderabad House", "Merdeka Palace", "Presidential Secretariat"
    elif typ in {"Organization", "Place"} and pat.agreement_head(text) and _agreement_like(
            text.split()):
        typ = "Agreement"
    elif typ in {"Organization", "Place"} and pat.has_head(text, pat.INITIATIVE_HEADS):
        typ = "Initiative"
    elif typ in {"Organization", "Place"} and re.search(r"\bpartnership\b", text, re.I):
        return None
    if typ == "Organization":
        org = knowledge.organization(text)
        if org is not None:
            return Mention(start, end, "Organization", org.name, "ner", text)
    return Mention(start, end, typ, text, "ner", text)


BUILDINGS = {"house", "palace", "hall", "secretariat", "kremlin", "mansion", "castle", "villa",
             "residence", "building", "complex", "centre", "center", "hotel", "square"}
ORG_HEAD_WORDS = {"ministry", "council", "committee", "commission", "department", "agency",
                  "office", "bureau", "party", "parliament", "government", "union", "bank"}


@cache
def post_words() -> frozenset[str]:
    """Words that name a post ("minister", "president"), as opposed to portfolio words
    ("foreign", "finance") that only qualify one: the head words of canonical titles."""
    out = set()
    for t in knowledge.titles():
        for phrase in (t.canonical, *t.variants):
            phrase = phrase.lower().replace("-", " ")
            head = phrase.split(" of ")[0].split(" to ")[0].split(" for ")[0].split()
            if head:
                out.add(head[-1])
    return frozenset(out - {"affairs", "state", "staff", "government", "general", "large",
                            "elect", "d'affaires", "executive"})


def _names_a_post(doc: Doc, tokens: list) -> bool:
    """An NER span that is a title of office ("Minister of Foreign Affairs") or the
    portfolio part of one ("Finance" in "Finance Minister")."""
    words = [t.lower_ for t in tokens]
    if words[0] in post_words() or words[-1] in post_words():
        return True
    nxt = tokens[-1].i + 1
    # a portfolio before a post: "Physical Infrastructure & Transport Minister"
    return nxt < len(doc) and doc[nxt].lower_ in {"minister", "secretary", "ministers"} and not any(
        t.lower_ in ORG_HEAD_WORDS for t in tokens)


def strip_honorifics(tokens: list) -> list:
    """Drop leading honorifics and titles ("H.E. Mr.", "Datuk Seri", "MFA Spokesperson"),
    and a trailing editor's mark ("- ed")."""
    while len(tokens) > 2 and tokens[-2].text in {"-", "–"} and tokens[-1].text.islower():
        tokens = tokens[:-2]
    changed = True
    while tokens and changed:
        changed = False
        if len(tokens) >= 2 and tokens[0].text.isupper() and knowledge.is_title_word(
                tokens[1].text):
            tokens, changed = tokens[1:], True
            continue
        for k in (3, 2, 1):
            if len(tokens) > k - 1:
                if len(tokens) > k and (tokens[k].lower_ in {"bin", "ibn", "bint", "binti"}
                                        or k == 1 and given_name(tokens[0], tokens[1])):
                    continue  # "Sultan bin Saad": a given name before "bin", not a title
                head = " ".join(t.text for t in tokens[:k])
                if knowledge.is_honorific(head) or knowledge.is_honorific(f"His {head}") or (
                        k == 1 and (knowledge.is_title_word(head)
                                    or knowledge.country_by_demonym(head) is not None)):
                    tokens, changed = tokens[k:], True
                    break
    return tokens


def _cut_location(tokens: list, typ: str) -> list:
    """"Presidential Secretariat in Colombo" -> the building: a span goes no further than
    a building word followed by "in"/"at", nor a place than "in <country or capital>"
    (a body may have one in its name: "UN Mission in Mozambique")."""
    for n in range(1, len(tokens) - 1):
        if tokens[n].lower_ not in {"in", "at"}:
            continue
        rest = " ".join(t.text for t in tokens[n + 1:])
        if tokens[n - 1].lower_ in BUILDINGS or typ == "Place" and (
                knowledge.country(rest) or knowledge.capital_of(rest)):
            return tokens[:n]
    return tokens


def given_name(word: Token, nxt: Token) -> bool:
    """"Sultan Al Mansouri", "Amir Al-Hashimi": a title that is also a given name, right
    before a family name in "Al", is the person's given name."""
    return knowledge.is_given_name_title(word.text) and (
        nxt.lower_ in {"al", "el"} or nxt.lower_.startswith(("al-", "el-")))


def _ranked_name(tokens: list) -> bool:
    """A rank or form of address before two or three bare proper nouns ("Colonel Amara
    Diallo", "Sheikh Ali Hassan"): a person, whatever label the model gave the span."""
    rest = tokens[1:]
    if not tokens or not knowledge.is_honorific(tokens[0].text) or not 2 <= len(rest) <= 3:
        return False
    return all(t.pos_ == "PROPN" and t.is_alpha and t.text[:1].isupper()
               and t.lower_ not in ORG_HEAD_WORDS | BUILDINGS
               and not knowledge.is_title_word(t.text) and knowledge.country(t.text) is None
               and knowledge.country_by_demonym(t.text) is None for t in rest)


NAME_PARTICLES = {"von", "van", "der", "den", "de", "du", "da", "di", "dos", "das", "del",
                  "la", "le", "ter", "bin", "ibn", "bint", "al", "el"}


def _extend_name(doc: Doc, tokens: list) -> list:
    """A person span the model cut short takes what it left out: up to two more
    capitalised proper nouns that no entity, title or country claims at the end of a
    line or phrase ("Pablo Ortega" of "Pablo Ortega Ruiz\n", not "Xi Jinping Thought on");
    the word after a trailing particle ("Ursula von der" + "Leyen"); a capitalised function
    word between a title and the name ("President To Lam")."""
    if not tokens:
        return tokens
    first = tokens[0].i
    while first > 1 and first > tokens[-1].i - 3 and _bare_name(doc[first - 1]) and not \
            _bare_name(doc[first - 2]) and doc[first - 2].lower_ not in {"the", "a", "an", "of"}:
        first -= 1  # "Ambassador of Japan to Armenia Masanori" + "Fukushima"
        tokens = [doc[first], *tokens]
    back = first
    while back > 0 and doc[back - 1].text in NAME_PARTICLES:
        back -= 1
    if back < first and back > 0 and doc[back - 1].text[:1].isupper() and \
            doc[back - 1].is_alpha and not knowledge.is_title_word(doc[back - 1].text) and \
            knowledge.country(doc[back - 1].text) is None:
        tokens = [*doc[back - 1:first], *tokens]  # "Frans van der" + "Berg"
        first = back - 1
    if first >= 2 and doc[first - 1].text[:1].isupper() and doc[first - 1].is_alpha and \
            doc[first - 1].pos_ in {"ADP", "PART", "CCONJ", "DET"} and \
            knowledge.is_title_word(doc[first - 2].text) and not doc[first - 1].ent_type_:
        tokens = [doc[first - 1], *tokens]
    j = tokens[-1].i + 1
    if tokens[-1].lower_ in NAME_PARTICLES and j < len(doc) and doc[j].text[:1].isupper() \
            and doc[j].is_alpha:
        return [*tokens, doc[j]]
    extra: list = []
    while j < len(doc) and len(extra) < 2:
        t = doc[j]
        if not (t.pos_ == "PROPN" and t.is_alpha and t.text[:1].isupper() and not t.ent_type_
                and t.text[1:].islower() and not knowledge.is_title_word(t.text)
                and not knowledge.is_honorific(t.text) and knowledge.country(t.text) is None
                and knowledge.country_by_demonym(t.text) is None):
            break
        extra.append(t)
        j += 1
    if not extra or (j < len(doc) and doc[j].is_alpha):
        return tokens  # the name ends only where the phrase does: "Xi Jinping Thought on"
    return tokens + extra


def _bare_name(t: Token) -> bool:
    """A capitalised proper noun that no entity, title, honorific or country claims."""
    return (t.pos_ == "PROPN" and t.is_alpha and t.text[:1].isupper() and t.text[1:].islower()
            and not t.ent_type_ and not t.is_sent_start and not knowledge.is_title_word(t.text)
            and not knowledge.is_honorific(t.text) and knowledge.country(t.text) is None
            and knowledge.country_by_demonym(t.text) is None)


def _titleish(text: str) -> bool:
    return all(knowledge.is_title_word(w) or knowledge.is_honorific(w) for w in text.split())


# ---------------------------------------------------------------- reconcile

def reconcile(cands: list[Mention]) -> list[Mention]:
    """The candidates that survive overlap: longest first, a spaCy span never cutting
    through a gazetteer or pattern match."""
    cands = [_no_article(c) for c in cands]
    strong = [c for c in cands if c.source != "ner"]
    ner = [c for c in cands if c.source == "ner"]
    # a spaCy span may contain a strong match, or sit inside one, but not cut through one;
    # one that swallowed a name ("Ministry of Foreign Relations Ravinath Aryasinha") is cut
    index = _Spans(strong)
    cut = [_cut_before_person(n, index) for n in ner]
    ner = [n for n in cut if n is not None
           and not any(_crosses(n, s) for s in index.overlapping(n.start, n.end))]
    ordered = sorted(strong + ner, key=lambda m: (-(m.end - m.start), -PRIORITY[m.source],
                                                  m.start))
    # the chosen spans never overlap, so sorted by start they are sorted by end too: a new
    # span overlaps one of them only if it overlaps the last one starting before its end
    starts: list[int] = []
    ends: list[int] = []
    chosen: list[Mention] = []
    for m in ordered:
        i = bisect.bisect_left(starts, m.end)
        if i and ends[i - 1] > m.start:
            continue
        starts.insert(i, m.start)
        ends.insert(i, m.end)
        chosen.append(m)
    return chosen


class _Spans:
    """Mentions sorted by start, for overlap look-ups without a scan of them all."""

    def __init__(self, mentions: list[Mention]) -> None:
        self.sorted = sorted(mentions, key=lambda m: m.start)
        self.starts = [m.start for m in self.sorted]
        self.longest = max((m.end - m.start for m in mentions), default=0)

    def overlapping(self, start: int, end: int) -> list[Mention]:
        """The mentions that share a character with [start, end)."""
        hi = bisect.bisect_left(self.starts, end)
        lo = bisect.bisect_left(self.starts, start - self.longest)
        return [m for m in self.sorted[lo:hi] if m.end > start]


def _cut_before_person(n: Mention, index: _Spans) -> Mention | None:
    if n.type == "Person":
        return n
    inner = [s for s in index.overlapping(n.start, n.end)
             if s.type == "Person" and n.start < s.start and s.end <= n.end]
    if not inner:
        return n
    cut = min(s.start for s in inner)
    text = n.text[:cut - n.start].rstrip(" ,;:-–")
    words = text.split()
    if len(text) < 3 or words and words[-1].lower() in post_words() and all(
            knowledge.is_title_word(w) or knowledge.country_by_demonym(w) for w in words):
        return None  # "Kazakh President" left of "Kazakh President Kassym-Jomart Tokayev"
    return replace(n, end=n.start + len(text), name=text, text=text)


def _no_article(m: Mention) -> Mention:
    """"The Joint Declaration ..." -> "Joint Declaration ..." (the scorer and users ignore it)."""
    if m.type != "Person" and m.name[:4] in {"The ", "the "} and m.text[:4] == m.name[:4]:
        return replace(m, start=m.start + 4, name=m.name[4:], text=m.text[4:])
    return m


def _crosses(a: Mention, b: Mention) -> bool:
    overlap = a.start < b.end and b.start < a.end
    nested = (a.start <= b.start and b.end <= a.end) or (b.start <= a.start and a.end <= b.end)
    return overlap and not nested


def _acronyms(text: str, mentions: list[Mention]) -> list[Mention]:
    """Bind "Long Name (ACR)" and re-type every later bare ACR as the long name's entity."""
    bound: dict[str, Mention] = {}
    by_end = {m.end: m for m in mentions}
    for m in pat.ACRONYM_DEF.finditer(text):
        acr = m.group(1)
        prev = by_end.get(m.start() - 1) or by_end.get(m.start())
        if prev and prev.type in {"Organization", "Agreement", "Initiative", "Event", "Place"} \
                and (pat.acronym_matches(acr, prev.text) or prev.type == "Agreement"):
            bound[acr] = prev
    if not bound:
        return mentions
    out = [m for m in mentions if m.text not in bound]
    taken = [(m.start, m.end) for m in out]
    for acr, long in bound.items():
        for m in re.finditer(rf"(?<![\w-]){re.escape(acr)}s?(?![\w-])", text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            out.append(replace(long, start=m.start(), end=m.end(), source="acronym",
                               text=m.group(0)))
    return out
