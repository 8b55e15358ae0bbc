"""spaCy's entity spans repaired: the small model's usual mistakes on names, titles,
places and bodies, one entity at a time.

A name cut short ("Pablo Ortega" of "Pablo Ortega Ruiz", "Ursula von der"), a ranked
name tagged an organisation ("General X"), a title or demonym tagged a person or place,
a body tagged a person after "of the", a place running on into "in <capital>": each is
fixed or dropped here, before the spans meet the gazetteer and pattern candidates in
`kg.extract.mentions`.
"""
from __future__ import annotations

import re
from functools import cache

from spacy.tokens import Doc, Span, Token

from kg import knowledge, offices
from kg.extract import patterns as pat
from kg.extract.mention import Mention
from kg.extract.text import doc_text

NER_TYPES = {"PERSON": "Person", "GPE": "Place", "LOC": "Place", "FAC": "Place",
             "ORG": "Organization", "EVENT": "Event", "LAW": "Agreement",
             "WORK_OF_ART": "Agreement", "NORP": "Organization"}


def ner_mentions(doc: Doc) -> list[Mention]:
    """Mentions from spaCy's entities, each repaired (see `_clean_ner`); some are dropped."""
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
    if not tokens or offices.is_honorific(doc_text(doc)[tokens[0].idx:tokens[-1].idx
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
                            or knowledge.fold(text) in offices.title_qualifiers() or all(
            knowledge.country_by_demonym(t.text) or not t.is_alpha for t in tokens)):
        return None
    if typ != "Person" and _names_a_post(doc, tokens):
        return None
    if typ == "Person" and (knowledge.country_by_demonym(text)
                            or knowledge.country_by_demonym(text.rstrip("s"))):
        return None  # "Solomon Islanders"
    if typ in {"Organization", "Place"} and (
            re.search(r"[/:]|\d{2,}", text) or all(
                offices.is_title_word(t.text) or t.is_stop or not t.is_alpha for t in tokens)
            and not (len(tokens) >= 2 and (tokens[-1].lower_ in BUILDINGS  # "State House"
                                           or tokens[0].lower_ in ORG_HEAD_WORDS))
            or tokens[-1].tag_ in {"NNS", "NNPS"} and offices.is_title_word(
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
    elif typ in {"Organization", "Place"} and pat.agreement_head(text) and pat.agreement_like(
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
    for t in offices.titles():
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
        if len(tokens) >= 2 and tokens[0].text.isupper() and offices.is_title_word(
                tokens[1].text):
            tokens, changed = tokens[1:], True
            continue
        for k in (3, 2, 1):
            if len(tokens) > k - 1:
                if len(tokens) > k and (tokens[k].lower_ in {"bin", "ibn", "bint", "binti"}
                                        or k == 1 and given_name(tokens[0], tokens[1])):
                    continue  # "Sultan bin Saad": a given name before "bin", not a title
                head = " ".join(t.text for t in tokens[:k])
                if offices.is_honorific(head) or offices.is_honorific(f"His {head}") or (
                        k == 1 and (offices.is_title_word(head)
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
    return offices.is_given_name_title(word.text) and (
        nxt.lower_ in {"al", "el"} or nxt.lower_.startswith(("al-", "el-")))


def _ranked_name(tokens: list) -> bool:
    """A rank or form of address before two or three bare proper nouns ("Colonel Amara
    Diallo", "Sheikh Ali Hassan"): a person, whatever label the model gave the span."""
    rest = tokens[1:]
    if not tokens or not offices.is_honorific(tokens[0].text) or not 2 <= len(rest) <= 3:
        return False
    return all(t.pos_ == "PROPN" and t.is_alpha and t.text[:1].isupper()
               and t.lower_ not in ORG_HEAD_WORDS | BUILDINGS
               and not offices.is_title_word(t.text) and knowledge.country(t.text) is None
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
            doc[back - 1].is_alpha and not offices.is_title_word(doc[back - 1].text) and \
            knowledge.country(doc[back - 1].text) is None:
        tokens = [*doc[back - 1:first], *tokens]  # "Frans van der" + "Berg"
        first = back - 1
    if first >= 2 and doc[first - 1].text[:1].isupper() and doc[first - 1].is_alpha and \
            doc[first - 1].pos_ in {"ADP", "PART", "CCONJ", "DET"} and \
            offices.is_title_word(doc[first - 2].text) and not doc[first - 1].ent_type_:
        tokens = [doc[first - 1], *tokens]
    j = tokens[-1].i + 1
    if tokens[-1].lower_ in NAME_PARTICLES and j < len(doc) and doc[j].text[:1].isupper() \
            and doc[j].is_alpha:
        return [*tokens, doc[j]]
    extra: list = []
    while j < len(doc) and len(extra) < 2:
        t = doc[j]
        if not (t.pos_ == "PROPN" and t.is_alpha and t.text[:1].isupper() and not t.ent_type_
                and t.text[1:].islower() and not offices.is_title_word(t.text)
                and not offices.is_honorific(t.text) and knowledge.country(t.text) is None
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
            and not t.ent_type_ and not t.is_sent_start and not offices.is_title_word(t.text)
            and not offices.is_honorific(t.text) and knowledge.country(t.text) is None
            and knowledge.country_by_demonym(t.text) is None)


def _titleish(text: str) -> bool:
    return all(offices.is_title_word(w) or offices.is_honorific(w) for w in text.split())
