"""Personal names the NER misses, found next to titles of office.

"President Alar Karis", "the President of Estonia, Alar Karis", "Alar Karis,
President of Estonia", "Albania's Edi Rama", "Chairman of the State Committee
for National Security Kamchybek Tashiev": each gives a Person mention.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from kg import knowledge, offices
from kg.extract.mention import Mention
from kg.extract.repair import given_name, post_words
from kg.extract.text import doc_text, doc_words

BODY_WORDS = {"ministry", "committee", "council", "commission", "department", "assembly",
              "parliament", "security", "relations", "affairs", "party", "agency", "office",
              "service", "union", "court", "bank", "republic", "federation", "kingdom", "state",
              "states", "government", "cabinet", "senate", "congress", "house", "chamber"}
# lower-case particles inside personal names ("Ursula von der Leyen", "Hamad bin Isa")
PARTICLES = {"-", "bin", "ibn", "binti", "bint", "al", "Al", "el", "van", "von", "de", "der",
             "den", "du", "da", "di", "dos", "das", "del", "la", "le", "ben", "ould", "ter"}
INITIAL_NAME = re.compile(r"^[A-Z]\.[A-Z][a-z]{2,}$")  # "U.Khurelsukh"
STOP_TITLE = {"counterpart", "counterparts"}
BIN = {"bin", "ibn", "bint", "binti"}  # "son/daughter of" in Arabic and Malay names


ORG_HEADS = {"group", "company", "corporation", "corp", "bank", "ministry", "council", "party",
             "agency", "fund", "airlines", "airways", "university", "institute", "committee",
             "commission", "government", "parliament", "assembly", "forces", "force", "army",
             "police", "news", "times", "post", "inc", "ltd", "llc", "jsc", "holding",
             "holdings", "foundation", "association", "union", "organization", "organisation",
             "palace", "house", "center", "centre", "office", "department", "court"}


def _is_name_token(t: Token) -> bool:
    if INITIAL_NAME.match(t.text):
        return True
    if t.lower_ in ORG_HEADS or t.lower_ in {"pro", "tempore", "interim", "acting", "elect"}:
        return False
    return (t.text[:1].isupper() and t.is_alpha is not False and t.pos_ in {"PROPN", "NOUN", "ADJ",
                                                                          "VERB", "X"}
            and not offices.is_title_word(t.text) and not offices.is_honorific(t.text)
            and knowledge.country(t.text) is None and knowledge.country_by_demonym(t.text) is None
            and t.lower_ not in {"the", "and", "of"})


def _skip_honorifics(doc: Doc, i: int) -> int:
    """The index after any honorifics starting at token i ("His Excellency", "H.E. Mr.")."""
    moved = True
    while moved and i < len(doc):
        moved = False
        for k in (3, 2, 1):
            if i + k <= len(doc) and offices.is_honorific(doc[i:i + k].text):
                i, moved = i + k, True
                break
        if not moved and doc[i].text == ".":
            i, moved = i + 1, True
    return i


def _name_after(doc: Doc, i: int) -> tuple[int, int] | None:
    """A 1-4 token personal name starting at token i (after honorifics), or None."""
    i = _skip_honorifics(doc, i)
    j = i
    while j < len(doc) and j - i < 6 and (_is_name_token(doc[j]) or (
            j > i and doc[j].text in PARTICLES)):
        j += 1
    if j == i or (j < len(doc) and doc[j].text[:1].isupper() and doc[j].pos_ == "PROPN"
                  and not offices.is_title_word(doc[j].text)):
        return None
    if doc[j - 1].text in PARTICLES:
        j -= 1
    if j - i >= 3 and doc[j - 2].text in {"-", "–"} and doc[j - 1].text.islower():
        j -= 2  # "Xi Jinping - ed."
    return (i, j) if j > i else None


def title_person_mentions(doc: Doc) -> list[Mention]:
    """Person mentions found next to titles of office, whatever the NER said."""
    out = []
    words = doc_words(doc)
    for i, (text, low, tag) in enumerate(zip(words.texts, words.lowers, words.tags,
                                             strict=True)):
        if not (offices.is_given_name_title(text) or tag == "POS" or low in post_words()
                or low in STOP_TITLE or (text[:1].isupper() and offices.is_rank(text))
                or (knowledge.is_acronym(text) and offices.is_title_word(text))):
            continue  # none of the cases below (the last one skips such a token too)
        t = doc[i]
        if t.i + 1 < len(doc) and given_name(t, doc[t.i + 1]) and not t.ent_type_:
            span = _name_after(doc, t.i + 1)  # "Sultan Al Hashimi": the whole name
            if span:
                start, end = t.idx, doc[span[1] - 1].idx + len(doc[span[1] - 1].text)
                out.append(Mention(start, end, "Person", doc_text(doc)[start:end], "title",
                                   doc_text(doc)[start:end]))
            continue
        if t.i + 1 < len(doc) and doc[t.i + 1].lower_ in {"bin", "ibn", "bint", "binti"}:
            continue  # "Sultan bin Saad", "Hamad bin Isa": a given name, not a title
        if t.tag_ == "POS" and t.i > 0 and knowledge.country(doc[t.i - 1].text) is not None:
            # "Albania's Edi Rama": a two- or three-word name right after a country's "'s"
            span = _name_after(doc, t.i + 1)
            if span and span[1] - span[0] >= 2 and all(
                    x.pos_ == "PROPN" for x in doc[span[0]:span[1]]):
                a, b = span
                start, end = doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)
                out.append(Mention(start, end, "Person", doc_text(doc)[start:end], "title",
                                   doc_text(doc)[start:end]))
            continue
        if t.text[:1].isupper() and offices.is_rank(t.text) and t.lower_ not in post_words():
            # "Marshal Khalid Haftar": a rank before a two- or three-word name
            span = _name_after(doc, t.i + 1)
            if span and span[1] - span[0] >= 2 and all(
                    x.pos_ == "PROPN" for x in doc[span[0]:span[1]]):
                start, end = doc[span[0]].idx, doc[span[1] - 1].idx + len(doc[span[1] - 1].text)
                out.append(Mention(start, end, "Person", doc_text(doc)[start:end], "title",
                                   doc_text(doc)[start:end]))
            continue
        if t.lower_ not in post_words() and t.lower_ not in STOP_TITLE and not (
                knowledge.is_acronym(t.text) and offices.is_title_word(t.text)):
            continue  # not a post, nor a post's abbreviation in capitals ("PM", "FM")
        back = _name_before_apposition(doc, t.i)
        if back is not None:
            a, b = back
            start, end = doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)
            out.append(Mention(start, end, "Person", doc_text(doc)[start:end], "title",
                               doc_text(doc)[start:end]))
        nxt = t.i + 1
        span = None
        # "the President of Estonia, Alar Karis": skip the body phrase up to the comma
        k = nxt
        while k < len(doc) and k - nxt < 12 and doc[k].text not in {",", "."} and (
                doc[k].lower_ in {"of", "the", "for", "and", "&"} or doc[k].text[:1].isupper()
                or doc[k].text in PARTICLES or (k == nxt and doc[k].lower_ == "to")
                or (doc[k].lower_ == "to" and k > nxt and k + 1 < len(doc)  # "of A to B"
                    and knowledge.country(doc[k + 1].text) is not None)
                or doc[k].lower_[:2] in {"d'", "d’"}) and not (
                doc[k].lower_ == "and" and any(x.lower_ in post_words() for x in doc[k + 1:k + 4])):
            k += 1  # ("... and Additional Secretary to ...": the next title starts)
        if k > nxt and k < len(doc) and doc[k].text == "," and doc[nxt].lower_ in {"of", "for",
                                                                                    "to"}:
            nxt = k
        elif k - nxt >= 4 and doc[nxt].lower_ in {"of", "for", "to"}:
            # "Chairman of the State Committee for National Security Kamchybek Tashiev": the
            # body ends at its last body word; two or three names after it are the person's
            last = max((x for x in range(nxt, k) if (doc[x].lower_ in BODY_WORDS
                        or offices.is_title_word(doc[x].text)
                        or knowledge.country(doc[x].text) is not None)
                        and (x + 1 >= len(doc) or doc[x + 1].lower_ not in BIN)),
                       default=None)
            first = last + 1 if last is not None else k
            while first < k - 1 and len(doc[first].text.strip(".")) == 1:
                first += 1  # "H E" / "H.E." before the name
            tail = range(first, k)
            if 2 <= len(tail) <= 5 and all(
                    (_is_name_token(doc[x]) and doc[x].pos_ == "PROPN") or doc[x].text in PARTICLES
                    or x + 1 < len(doc) and doc[x + 1].lower_ in BIN for x in tail):
                start, end = doc[tail[0]].idx, doc[k - 1].idx + len(doc[k - 1].text)
                out.append(Mention(start, end, "Person", doc_text(doc)[start:end], "title",
                                   doc_text(doc)[start:end]))
                continue
        if nxt < len(doc) and doc[nxt].text[:1].isupper():
            span = _name_after(doc, nxt)          # President Alar Karis
        elif nxt < len(doc) and doc[nxt].text == ",":
            # the President of Estonia, Alar Karis  (title phrase ends right here)
            span = _name_after(doc, nxt + 1)
            if span and span[1] < len(doc) and doc[span[1]].text not in {",", ".", "and", ")",
                                                                           ";", "who"}:
                span = None
        if span is None:
            continue
        a, b = span
        if b - a == 1 and (doc[a].pos_ not in {"PROPN", "ADJ", "NOUN"} or doc[a].is_sent_start
                           or doc[a].lower_ in post_words()):
            continue
        start, end = doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)
        text = doc_text(doc)[start:end]
        out.append(Mention(start, end, "Person", text, "title", text))
    return out


def _name_before_apposition(doc: Doc, i: int) -> tuple[int, int] | None:
    """"Kassym-Jomart Tokayev, President of Kazakhstan": the name before ", (the) Title"."""
    j = i - 1
    while j >= 0 and (doc[j].lower_ in {"the", "a"} or offices.is_title_word(doc[j].text)
                      or knowledge.country_by_demonym(doc[j].text)):
        j -= 1  # ", the German Chancellor"
    if j < 1 or doc[j].text != ",":
        return None
    end = j
    k = end - 1
    while k >= 0 and end - k <= 4 and (_is_name_token(doc[k]) or doc[k].text in {"-"}):
        k -= 1
    start = k + 1
    if end - start < 2 or doc[start].text == "-" or not all(
            t.pos_ == "PROPN" or t.text == "-" for t in doc[start:end]):
        return None
    if start > 0 and doc[start - 1].text[:1].isupper() and doc[start - 1].pos_ == "PROPN":
        return None
    return start, end
