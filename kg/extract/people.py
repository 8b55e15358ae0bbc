"""Persons and the posts they hold.

Names the NER missed are recovered next to titles ("President Alar Karis",
"the President of Estonia, Alar Karis", "Alar Karis, President of Estonia").
Positions come from the same three shapes plus possessives and demonyms
("Azerbaijan's President X", "Russian Foreign Minister X", "his Malaysian
counterpart X"); the post is tied to the body named in the title phrase, else
to the country.
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from kg import knowledge
from kg.extract.context import Context
from kg.extract.mentions import Mention
from kg.model import Fact

LINKS = {"of", "for", "the", "and", "&", "'s", "’s", "to", "on", "in"}
STOP_TITLE = {"counterpart", "counterparts"}


def _is_name_token(t: Token) -> bool:
    return (t.text[:1].isupper() and t.is_alpha is not False and t.pos_ in {"PROPN", "NOUN", "ADJ",
                                                                          "VERB", "X"}
            and not knowledge.is_title_word(t.text) and not knowledge.is_honorific(t.text)
            and knowledge.country(t.text) is None and knowledge.country_by_demonym(t.text) is None
            and t.lower_ not in {"the", "and", "of"})


def _name_after(doc: Doc, i: int) -> tuple[int, int] | None:
    """A 1-4 token personal name starting at token i (after honorifics), or None."""
    while i < len(doc) and (knowledge.is_honorific(doc[i].text) or doc[i].text in {".", "Mr.",
                                                                                   "Mrs."}):
        i += 1
    j = i
    while j < len(doc) and j - i < 4 and (_is_name_token(doc[j]) or (
            j > i and doc[j].text in {"-", "bin", "ibn", "al", "Al", "el", "van", "von", "de"})):
        j += 1
    if j == i or (j < len(doc) and doc[j].text[:1].isupper() and doc[j].pos_ == "PROPN"
                  and not knowledge.is_title_word(doc[j].text)):
        return None
    if doc[j - 1].text in {"-", "bin", "ibn", "al", "el", "van", "von", "de"}:
        j -= 1
    return (i, j) if j > i else None


def title_person_mentions(doc: Doc) -> list[Mention]:
    """Person mentions found next to titles of office, whatever the NER said."""
    out = []
    for t in doc:
        if not knowledge.is_title_word(t.text) or t.lower_ in STOP_TITLE - {"counterpart"}:
            continue
        nxt = t.i + 1
        span = None
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
        if b - a == 1 and doc[a].pos_ != "PROPN":
            continue
        start, end = doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)
        text = doc.text[start:end]
        out.append(Mention(start, end, "Person", text, "title", text))
    return out


def extract_positions(ctx: Context) -> list[Fact]:
    """One position fact per (person, body), carrying every title seen for it."""
    found: dict[tuple[str, str], tuple[list[str], str]] = {}
    loose: list[tuple[str, str, str]] = []
    doc = ctx.doc
    for m, key in zip(ctx.mentions, ctx.keys, strict=True):
        if m.type != "Person":
            continue
        span = m.span(doc)
        if span is None:
            continue
        sent = span.sent
        for phrase in (_before(ctx, span.start, sent.start), _after(ctx, span.end, sent.end)):
            if not phrase:
                continue
            title, body = _parse_phrase(ctx, phrase, key)
            if title is None:
                continue
            ctx.attached.update(t.i for t in phrase)
            evidence = sent.text.strip()
            ctx.titles.setdefault(key, []).append((title, body))
            if body is None:
                loose.append((key, title, evidence))
                continue
            titles, _ = found.setdefault((key, body), ([], evidence))
            if title not in titles:
                titles.append(title)
    # a title seen without its body borrows the body this person holds elsewhere
    for key, title, evidence in loose:
        bodies = [b for (p, b) in found if p == key]
        if bodies:
            titles, _ = found[(key, bodies[0])]
            if title not in titles:
                titles.append(title)
    facts = []
    for (person, body), (titles, evidence) in found.items():
        facts.append(Fact("position", (("person", (person,)), ("org", (body,))),
                          (("title", " | ".join(titles)),), evidence, 0.85))
    return facts


def _before(ctx: Context, i: int, sent_start: int) -> list[Token]:
    """The title phrase right before a name: "Azerbaijan's President", "the President
    of Estonia," (an apposition ending in a comma)."""
    doc = ctx.doc
    j = i - 1
    while j >= sent_start and (knowledge.is_honorific(doc[j].text) or doc[j].text in {"."}):
        j -= 1
    if j >= sent_start and doc[j].text == ",":
        j -= 1
    out: list[Token] = []
    while j >= sent_start:
        t = doc[j]
        hit = ctx.mention_at(t)
        if hit and hit[0].type == "Person":
            break
        if (knowledge.is_title_word(t.text) or t.lower_ in LINKS or t.tag_ == "POS" or hit
                or knowledge.country_by_demonym(t.text) or (t.text[:1].isupper() and out)
                or t.text in {"-", "–"}):
            out.insert(0, t)
            j -= 1
            continue
        break
    while out and (out[0].lower_ in LINKS or out[0].tag_ == "POS"):
        out = out[1:]
    return out if any(knowledge.is_title_word(t.text) for t in out) else []


def _after(ctx: Context, i: int, sent_end: int) -> list[Token]:
    """The apposition after a name: ", President of the Republic of Azerbaijan,"."""
    doc = ctx.doc
    if i >= sent_end or doc[i].text != ",":
        return []
    out: list[Token] = []
    j = i + 1
    while j < sent_end:
        t = doc[j]
        if t.text in {",", ";", "(", ")", "."} or t.pos_ in {"VERB", "AUX"}:
            break
        hit = ctx.mention_at(t)
        if hit and hit[0].type == "Person":
            break
        out.append(t)
        j += 1
    while out and out[0].lower_ in {"the", "a", "an"}:
        out = out[1:]
    if not out or not knowledge.is_title_word(out[0].text) and not (
            len(out) > 1 and knowledge.is_title_word(out[1].text)):
        return []
    return out


def _parse_phrase(ctx: Context, phrase: list[Token], person: str) -> tuple[str | None,
                                                                            str | None]:
    """Split a title phrase into (title, body key)."""
    body_org = body_country = None
    title_tokens: list[Token] = []
    counterpart = False
    for t in phrase:
        hit = ctx.mention_at(t)
        if hit and hit[0].type == "Organization":
            body_org = body_org or hit[1]
            continue
        if hit and hit[0].type in {"Country", "Place"}:
            body_country = body_country or (hit[1] if hit[0].type == "Country" else None)
            continue
        c = ctx.country_of_word(t) if t.pos_ in {"ADJ", "PROPN", "NOUN"} else None
        if c and not knowledge.is_title_word(t.text):
            body_country = body_country or c
            continue
        if t.lower_ in {"counterpart", "counterparts"}:
            counterpart = True
            continue
        title_tokens.append(t)
    words = [t.text for t in title_tokens]
    while words and words[-1].lower() in LINKS | {"-", "–"}:
        words.pop()
    while words and (words[0].lower() in LINKS or knowledge.is_honorific(words[0])):
        words.pop(0)
    title = " ".join(words).replace(" - ", "-").strip()
    if counterpart and not title:
        title = _counterpart_title(ctx, phrase[0], person) or ""
    if not title or not any(knowledge.is_title_word(w) for w in words or title.split()):
        return None, None
    title = knowledge.normalize_title(title) or title
    return title, body_org or body_country


def _counterpart_title(ctx: Context, token: Token, person: str) -> str | None:
    """"his Malaysian counterpart X": X holds the title of the sentence's other leader."""
    for key, held in ctx.titles.items():
        if key != person and held and key in ctx.in_span(token.sent, "Person"):
            return held[0][0]
    return None
