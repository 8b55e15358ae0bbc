"""Persons and the posts they hold.

Names the NER missed are recovered next to titles ("President Alar Karis",
"the President of Estonia, Alar Karis", "Alar Karis, President of Estonia").
Positions come from the same three shapes plus possessives and demonyms
("Azerbaijan's President X", "Russian Foreign Minister X", "his Malaysian
counterpart X"); the post is tied to the body named in the title phrase, else
to the country.
"""
from __future__ import annotations

from spacy.tokens import Token

from kg import knowledge, offices
from kg.extract.context import Context
from kg.extract.mention import Mention
from kg.extract.names import STOP_TITLE
from kg.extract.posts import (
    home_country,
    list_links,
    nominal_titles,
    possessive_links,
    respective_links,
)
from kg.extract.repair import post_words
from kg.extract.text import doc_text
from kg.model import Fact

ENVOYS = {"ambassador", "envoy", "commissioner", "chargé", "charge", "consul", "ambassadors"}
LINKS = {"of", "for", "the", "and", "&", "'s", "’s", "to", "on", "in"}


def extract_positions(ctx: Context) -> list[Fact]:
    """One position fact per (person, body), carrying every title seen for it."""
    found: dict[tuple[str, str], tuple[list[str], str]] = {}
    loose: list[tuple[str, str, str]] = []
    doc = ctx.doc
    consumed: set[int] = set()
    for m, key, span in ctx.persons():
        sent = span.sent
        before = _before(ctx, span.start, sent.start)
        tail = _of_country(ctx, span.end, sent.end)
        if before and tail is not None:
            before = before + [tail]
        if before and before[-1].i + 1 < span.start and any(
                doc[x].text == "," for x in range(before[-1].i + 1, span.start)):
            # "the President of Estonia, Alar Karis": an apposition before the name; the
            # phrase after the name then belongs to the next name, and a phrase already
            # used as the previous name's apposition is not this one's
            phrases = [_after(ctx, span.end, sent.end)] if any(
                t.i in consumed for t in before) else [before]
        else:
            phrases = [before, *_split_titles(_after(ctx, span.end, sent.end)),
                       _as_title(ctx, span.end, sent.end), _next_line_title(ctx, m)]
        for phrase in phrases:
            if not phrase:
                continue
            consumed.update(t.i for t in phrase)
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
            titles.extend(x for x in title.split(" | ") if x not in titles)
    # a title seen without its body borrows the body this person holds elsewhere,
    # else the article's home country (less sure)
    guessed = set()
    linked = possessive_links(ctx)
    for person, country, title, evidence in _respective(ctx, found):
        linked.insert(0, (person, country))
        if title and not any(p == person for p, _ in found) and not any(
                p == person for p, _, _ in loose):
            loose.append((person, title, evidence))
    linked += list_links(ctx, found, loose)
    loose += nominal_titles(ctx, linked, found, loose)
    for key, title, evidence in loose:
        bodies = [b for (p, b) in found if p == key] or [c for p, c in linked if p == key]
        if not bodies:
            home = home_country(ctx, title, found, loose)
            if home is None:
                continue
            bodies = [home]
            guessed.add((key, home))
        titles, _ = found.setdefault((key, bodies[0]), ([], evidence))
        titles.extend(x for x in title.split(" | ") if x not in titles)
        ctx.titles.setdefault(key, []).append((title, bodies[0]))
    facts = []
    for (person, body), (titles, evidence) in found.items():
        conf = 0.55 if (person, body) in guessed else 0.85
        facts.append(Fact("position", (("person", (person,)), ("org", (body,))),
                          (("title", " | ".join(titles)),), evidence, conf))
    return facts


def _respective(ctx: Context, found: dict) -> list[tuple[str, str, str | None, str]]:
    """`respective_links` of the article, less the sentences that contradict a post
    already found (a person paired with one country but holding a post of another)."""
    pairs = respective_links(ctx)
    clash = {ev for p, c, _, ev in pairs for (q, body) in found
             if q == p and ctx.type_of(body) == "Country" and body != c}
    return [x for x in pairs if x[3] not in clash]


def _before(ctx: Context, i: int, sent_start: int) -> list[Token]:
    """The title phrase right before a name: "Azerbaijan's President", "the President
    of Estonia," (an apposition ending in a comma)."""
    doc = ctx.doc
    j = i - 1
    moved = True
    while moved and j >= sent_start:
        moved = False
        for k in (3, 2, 1):
            if j - k >= sent_start and doc[j - k].text in {"-", "–"}:
                continue  # "Secretary-General": part of a hyphenated title, not a rank
            if j - k + 1 >= sent_start and (offices.is_honorific(doc[j - k + 1:j + 1].text)
                                             or k == 1 and doc[j].text == "."):
                j, moved = j - k, True
                break
    if j >= sent_start and doc[j].text == ",":
        j -= 1
    out: list[Token] = []
    while j >= sent_start:
        t = doc[j]
        if t.text == ")" and not out:
            # skip a parenthesis: "the President of the Riigikogu (Parliament), X"
            while j >= sent_start and doc[j].text != "(":
                j -= 1
            j -= 1
            continue
        hit = ctx.mention_at(t)
        if hit and hit[0].type == "Person":
            break
        if t.text in {"-", "–", "—"} and (t.whitespace_ or j > 0 and doc[j - 1].whitespace_) \
                or t.ent_type_ in {"DATE", "TIME", "CARDINAL"}:
            break  # "Yerevan, 4 April – Speaker X": a dateline, not part of the title
        if t.text == "," and out and offices.is_title_word(out[0].text) and j > sent_start \
                and offices.is_title_word(doc[j - 1].text):
            out.insert(0, t)  # "Defence, Justice and Security Minister"
            j -= 1
            continue
        if (offices.is_title_word(t.text) or t.lower_ in LINKS | STOP_TITLE or t.tag_ == "POS"
                or hit
                or knowledge.country_by_demonym(t.text) or t.text[:1].isupper()
                or t.text in {"-", "–"}):
            out.insert(0, t)
            j -= 1
            continue
        break
    while out and (out[0].lower_ in LINKS or out[0].tag_ == "POS"):
        out = out[1:]
    return out if any(offices.is_title_word(t.text) or t.lower_ in STOP_TITLE
                      for t in out) else []


def _split_titles(phrase: list[Token]) -> list[list[Token]]:
    """"member of the Central Committee and head of the International Department": one
    phrase per title, split at an "and" that starts a new title."""
    parts: list[list[Token]] = [[]]
    for n, t in enumerate(phrase):
        nxt = phrase[n + 1] if n + 1 < len(phrase) else None
        if t.lower_ == "and" and nxt is not None and parts[-1] and (
                nxt.lower_ in post_words() or nxt.lower_ in {"deputy", "vice", "first"}):
            parts.append([])
            continue
        parts[-1].append(t)
    return [p for p in parts if p]


def _as_title(ctx: Context, i: int, sent_end: int) -> list[Token]:
    """"appointed X as the country's new ambassador to Y": the phrase after "as"."""
    doc = ctx.doc
    if i < sent_end and doc[i].lower_ == "as":
        out = []
        for t in doc[i + 1:sent_end]:
            if t.text in {",", ";", "."} or t.pos_ in {"VERB", "AUX"}:
                break
            out.append(t)
        while out and out[0].lower_ in {"the", "a", "an", "new"}:
            out = out[1:]
        if any(offices.is_title_word(t.text) for t in out):
            return out
    return []


def _next_line_title(ctx: Context, m: Mention) -> list[Token]:
    """A name alone on its line, its title on the next ("Mr. X" / "Ambassador of Y")."""
    text = doc_text(ctx.doc)
    line_start = text.rfind("\n", 0, m.start) + 1
    line_end = text.find("\n", m.end)
    if line_end < 0 or text[m.end:line_end].strip() or not all(
            offices.is_honorific(w) or w in {".", ""} for w in
            text[line_start:m.start].replace(".", " ").split()):
        return []
    nxt = line_end
    while nxt < len(text) and text[nxt] in "\n \t":
        nxt += 1
    end = text.find("\n", nxt)
    span = ctx.doc.char_span(nxt, end if end > 0 else len(text), alignment_mode="expand")
    if span is None or not len(span) or not offices.is_title_word(span[0].text):
        return []
    out = []
    for t in span:
        if t.text in {",", ";", "."} or t.pos_ in {"VERB", "AUX"}:
            break
        out.append(t)
    return out


def _of_country(ctx: Context, i: int, sent_end: int) -> Token | None:
    """"... Salva Kiir of South Sudan": the country token right after "of" after a name."""
    doc = ctx.doc
    if i + 1 < sent_end and doc[i].lower_ == "of":
        j = i + 1 + (doc[i + 1].lower_ == "the")
        hit = ctx.mention_at(doc[j]) if j < sent_end else None
        if hit and hit[0].type == "Country":
            return doc[j]
    return None


def _after(ctx: Context, i: int, sent_end: int) -> list[Token]:
    """The apposition after a name: ", President of the Republic of Azerbaijan,"."""
    doc = ctx.doc
    if i >= sent_end or doc[i].text not in {",", "–", "—"}:
        return []
    out: list[Token] = []
    j = i + 1
    while j < sent_end:
        t = doc[j]
        if t.text == "(" and out:
            # "(CPC)": an acronym in parentheses does not end the apposition
            close = next((k for k in range(j, min(j + 6, sent_end)) if doc[k].text == ")"), None)
            if close is not None:
                j = close + 1
                continue
        if t.text in {",", ";", "(", ")", "."} or t.pos_ in {"VERB", "AUX"}:
            break
        hit = ctx.mention_at(t)
        if hit and hit[0].type == "Person":
            return []  # "X, Finance Minister Y": the title is Y's
        out.append(t)
        j += 1
    while out and out[0].lower_ in {"the", "a", "an"}:
        out = out[1:]
    head = next((n for n, t in enumerate(out) if t.lower_ in {"of", "for", "to"}), len(out))
    if any(t.lower_.endswith("s") and t.lower_[:-1] in post_words() for t in out[:head]):
        return []  # "X and Y, the foreign ministers of A and B": a post of several people
    lead = 0
    while lead + 1 < len(out) and out[lead + 1].tag_ == "POS" and (
            hit := ctx.mention_at(out[lead])) and hit[0].type in {"Country", "Place"}:
        lead += 2  # "X, Oman's Foreign Minister": the country's title
    if lead >= len(out) or not offices.is_title_word(out[lead].text) and not (
            len(out) > lead + 1 and offices.is_title_word(out[lead + 1].text)):
        return []
    return out


def _parse_phrase(ctx: Context, phrase: list[Token], person: str) -> tuple[str | None,
                                                                            str | None]:
    """Split a title phrase into (title, body key)."""
    body_org = body_country = None
    title_tokens: list[Token] = []
    counterpart = False
    skip = -1
    for n, t in enumerate(phrase):
        if n == skip:
            continue
        if n + 1 < len(phrase) and (two := knowledge.country_by_demonym(
                f"{t.text} {phrase[n + 1].text}")) is not None:
            body_country = body_country or ctx.add_entity("Country", two.name)
            skip = n + 1
            continue
        hit = ctx.mention_at(t)
        if hit and hit[0].type == "Organization":
            body_org = body_org or hit[1]
            continue
        if hit and hit[0].type in {"Country", "Place"} and n > 0 and phrase[n - 1].lower_ in {
                "to", "in"} and any(w.lower_ in ENVOYS for w in phrase[:n]):
            continue  # "ambassador to Qatar": the host country, not the envoy's own
        if (len(t.text) == 1 and t.text.isupper()) or t.lower_ in {"country", "'s", "’s", "new"}:
            continue  # "King H M" (His Majesty), "the country's ambassador"
        if hit and hit[0].type in {"Country", "Place"}:
            capital = knowledge.capital_of(hit[0].name) if hit[0].type == "Place" else None
            home = ctx.add_entity("Country", capital.name) if capital else None
            body_country = body_country or (hit[1] if hit[0].type == "Country" else home)
            continue
        c = ctx.country_of_word(t) if t.pos_ in {"ADJ", "PROPN", "NOUN"} else None
        if c and not offices.is_title_word(t.text):
            body_country = body_country or c
            continue
        if t.lower_ in {"counterpart", "counterparts"}:
            counterpart = True
            continue
        title_tokens.append(t)
    words = [t.text for t in title_tokens]
    while words and words[-1].lower() in LINKS | {"-", "–"}:
        words.pop()
    while words and not (len(words) > 1 and offices.normalize_title(" ".join(words[:2]))):
        # but "General Secretary" is a title, not a rank and a title
        lead = next((k for k in (3, 2, 1) if len(words) > k
                     and offices.is_honorific(" ".join(words[:k]))), 0)
        if not lead and words[0].lower() not in LINKS:
            break
        del words[:lead or 1]  # "His Excellency President" -> "President"
    title = " ".join(words).replace(" - ", "-").strip()
    if counterpart and not title:
        title = _counterpart_title(ctx, phrase[0], person) or ""
    if not title or not any(w.lower().strip(".,") in post_words() or offices.normalize_title(w)
                            for w in title.replace("-", " ").split()):
        return None, None
    if body_org is None and body_country is None:
        body_org = _named_body(ctx, phrase)
    norm = offices.normalize_title(title)
    if norm and norm.lower() != title.lower():
        title = f"{title} | {norm}"
    return title, body_org or body_country


def _named_body(ctx: Context, phrase: list[Token]) -> str | None:
    """"President of the Riigikogu": a capitalised name after "of (the)" that no
    gazetteer knows is taken as the body (an organisation). After "Minister"/"Secretary"
    it is a portfolio ("Minister of Foreign Affairs and External Trade"), not a body."""
    heads = [t.lower_ for t in phrase if t.lower_ in {"minister", "secretary", "ministers"}]
    if heads:
        return None
    for i, t in enumerate(phrase):
        if t.lower_ != "of":
            continue
        rest = phrase[i + 1:]
        while rest and rest[0].lower_ == "the":
            rest = rest[1:]
        words: list[str] = []
        for r in rest:
            if r.text[:1].isupper() or (words and r.lower_ in {"of", "and", "for", "the"}):
                words.append(r.text)
            else:
                break
        while words and words[-1].lower() in {"of", "and", "for", "the"}:
            words.pop()
        if words and not all(offices.is_title_word(w) for w in words):
            return ctx.add_entity("Organization", " ".join(words))
    return None


def _counterpart_title(ctx: Context, token: Token, person: str) -> str | None:
    """"his Malaysian counterpart X": X holds the title of the sentence's other leader."""
    for key, held in ctx.titles.items():
        if key != person and held and key in ctx.in_span(token.sent, "Person"):
            return held[0][0]
    return None
