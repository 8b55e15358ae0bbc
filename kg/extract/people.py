"""Persons and the posts they hold.

Names the NER missed are recovered next to titles ("President Alar Karis",
"the President of Estonia, Alar Karis", "Alar Karis, President of Estonia").
Positions come from the same three shapes plus possessives and demonyms
("Azerbaijan's President X", "Russian Foreign Minister X", "his Malaysian
counterpart X"); the post is tied to the body named in the title phrase, else
to the country.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from kg import knowledge
from kg.extract.context import Context
from kg.extract.mentions import Mention
from kg.model import Fact

BODY_WORDS = {"ministry", "committee", "council", "commission", "department", "assembly",
              "parliament", "security", "relations", "affairs", "party", "agency", "office",
              "service", "union", "court", "bank", "republic", "federation", "kingdom", "state",
              "states", "government", "cabinet", "senate", "congress", "house", "chamber"}
ENVOYS = {"ambassador", "envoy", "commissioner", "chargé", "charge", "consul", "ambassadors"}
# lower-case particles inside personal names ("Ursula von der Leyen", "Hamad bin Isa")
PARTICLES = {"-", "bin", "ibn", "binti", "bint", "al", "Al", "el", "van", "von", "de", "der",
             "den", "du", "da", "di", "dos", "das", "del", "la", "le", "ben", "ould", "ter"}
INITIAL_NAME = re.compile(r"^[A-Z]\.[A-Z][a-z]{2,}$")  # "U.Khurelsukh"
LINKS = {"of", "for", "the", "and", "&", "'s", "’s", "to", "on", "in"}
STOP_TITLE = {"counterpart", "counterparts"}


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
            and not knowledge.is_title_word(t.text) and not knowledge.is_honorific(t.text)
            and knowledge.country(t.text) is None and knowledge.country_by_demonym(t.text) is None
            and t.lower_ not in {"the", "and", "of"})


def _skip_honorifics(doc: Doc, i: int) -> int:
    """The index after any honorifics starting at token i ("His Excellency", "H.E. Mr.")."""
    moved = True
    while moved and i < len(doc):
        moved = False
        for k in (3, 2, 1):
            if i + k <= len(doc) and knowledge.is_honorific(doc[i:i + k].text):
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
                  and not knowledge.is_title_word(doc[j].text)):
        return None
    if doc[j - 1].text in PARTICLES:
        j -= 1
    if j - i >= 3 and doc[j - 2].text in {"-", "–"} and doc[j - 1].text.islower():
        j -= 2  # "Xi Jinping - ed."
    return (i, j) if j > i else None


def title_person_mentions(doc: Doc) -> list[Mention]:
    """Person mentions found next to titles of office, whatever the NER said."""
    from kg.extract.mentions import post_words

    out = []
    for t in doc:
        if t.i + 1 < len(doc) and doc[t.i + 1].lower_ in {"bin", "ibn", "bint", "binti"}:
            continue  # "Sultan bin Saad", "Hamad bin Isa": a given name, not a title
        if t.tag_ == "POS" and t.i > 0 and knowledge.country(doc[t.i - 1].text) is not None:
            # "Albania's Edi Rama": a two- or three-word name right after a country's "'s"
            span = _name_after(doc, t.i + 1)
            if span and span[1] - span[0] >= 2 and all(
                    x.pos_ == "PROPN" for x in doc[span[0]:span[1]]):
                a, b = span
                start, end = doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)
                out.append(Mention(start, end, "Person", doc.text[start:end], "title",
                                   doc.text[start:end]))
            continue
        if t.lower_ not in post_words() and t.lower_ not in STOP_TITLE:
            continue
        back = _name_before_apposition(doc, t.i)
        if back is not None:
            a, b = back
            start, end = doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)
            out.append(Mention(start, end, "Person", doc.text[start:end], "title",
                               doc.text[start:end]))
        nxt = t.i + 1
        span = None
        # "the President of Estonia, Alar Karis": skip the body phrase up to the comma
        k = nxt
        while k < len(doc) and k - nxt < 12 and doc[k].text not in {",", "."} and (
                doc[k].lower_ in {"of", "the", "for", "and", "&"} or doc[k].text[:1].isupper()
                or doc[k].text in PARTICLES
                or doc[k].lower_[:2] in {"d'", "d’"}):
            k += 1
        if k > nxt and k < len(doc) and doc[k].text == "," and doc[nxt].lower_ in {"of", "for"}:
            nxt = k
        elif k - nxt >= 4 and doc[nxt].lower_ in {"of", "for"}:
            # "Chairman of the State Committee for National Security Kamchybek Tashiev": the
            # body ends at its last body word; two or three names after it are the person's
            last = max((x for x in range(nxt, k) if (doc[x].lower_ in BODY_WORDS
                        or knowledge.is_title_word(doc[x].text)
                        or knowledge.country(doc[x].text) is not None)
                        and doc[x + 1].lower_ not in {"bin", "ibn", "bint", "binti"}),
                       default=None)
            first = last + 1 if last is not None else k
            while first < k - 1 and len(doc[first].text.strip(".")) == 1:
                first += 1  # "H E" / "H.E." before the name
            tail = range(first, k)
            if 2 <= len(tail) <= 5 and all(
                    (_is_name_token(doc[x]) and doc[x].pos_ == "PROPN") or doc[x].text in PARTICLES
                    or doc[x + 1].lower_ in {"bin", "ibn", "bint", "binti"} for x in tail):
                start, end = doc[tail[0]].idx, doc[k - 1].idx + len(doc[k - 1].text)
                out.append(Mention(start, end, "Person", doc.text[start:end], "title",
                                   doc.text[start:end]))
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
        text = doc.text[start:end]
        out.append(Mention(start, end, "Person", text, "title", text))
    return out


def _name_before_apposition(doc: Doc, i: int) -> tuple[int, int] | None:
    """"Kassym-Jomart Tokayev, President of Kazakhstan": the name before ", (the) Title"."""
    j = i - 1
    while j >= 0 and (doc[j].lower_ in {"the", "a"} or knowledge.is_title_word(doc[j].text)
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


def extract_positions(ctx: Context) -> list[Fact]:
    """One position fact per (person, body), carrying every title seen for it."""
    found: dict[tuple[str, str], tuple[list[str], str]] = {}
    loose: list[tuple[str, str, str]] = []
    doc = ctx.doc
    consumed: set[int] = set()
    for m, key in zip(ctx.mentions, ctx.keys, strict=True):
        if m.type != "Person":
            continue
        span = m.span(doc)
        if span is None:
            continue
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
    linked = _possessive_links(ctx)
    loose += _nominal_titles(ctx, linked, found)
    for key, title, evidence in loose:
        bodies = [b for (p, b) in found if p == key] or [c for p, c in linked if p == key]
        if not bodies:
            home = _home_country(ctx, title, found, loose)
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


def _possessive_links(ctx: Context) -> list[tuple[str, str]]:
    """(person, country) for "Albania's Edi Rama", "Abdoulaye Diop (Mali)", "Jorge
    Faurie, from Argentina": the country a name is tied to."""
    out = []
    doc = ctx.doc
    for m, key in zip(ctx.mentions, ctx.keys, strict=True):
        if m.type != "Person":
            continue
        span = m.span(doc)
        if span is None:
            continue
        if span.start >= 2:
            pos, before = doc[span.start - 1], doc[span.start - 2]
            hit = ctx.mention_at(before)
            if pos.tag_ == "POS" and hit and hit[0].type == "Country":
                out.append((key, hit[1]))
        after = doc[span.end:span.end + 4]
        words = [t.text for t in after]
        for lead in (["("], [",", "from"], ["from"], ["of"]):
            if words[:len(lead)] == lead and len(after) > len(lead):
                hit = ctx.mention_at(after[len(lead)])
                if hit and hit[0].type == "Country":
                    out.append((key, hit[1]))
    return list(dict.fromkeys(out))


def _nominal_titles(ctx: Context, linked: list[tuple[str, str]],
                    found: dict) -> list[tuple[str, str, str]]:
    """"The Albanian prime minister said ...": a title with a demonym and no name is the
    title of the one person the article ties to that country (and who has no title)."""
    from kg.extract.mentions import post_words

    out = _plural_titles(ctx, linked, found)
    for t in ctx.doc:
        if t.lower_ not in post_words() or t.i in ctx.attached or t.i < 1:
            continue
        j = t.i - 1
        while j >= 0 and knowledge.is_title_word(ctx.doc[j].text):
            j -= 1
        country = ctx.country_of_word(ctx.doc[j]) if j >= 0 else None
        if country is None or (t.i + 1 < len(ctx.doc) and ctx.doc[t.i + 1].text[:1].isupper()):
            continue
        people = [p for p, c in linked if c == country and not any(q == p for q, _ in found)]
        if len(set(people)) == 1:
            title = ctx.doc[j + 1:t.i + 1].text
            norm = knowledge.normalize_title(title)
            out.append((people[0], f"{title} | {norm}" if norm and norm != title else title,
                        t.sent.text.strip()))
    return out


def _plural_titles(ctx: Context, linked: list[tuple[str, str]],
                   found: dict) -> list[tuple[str, str, str]]:
    """"The foreign ministers of Mali, Burkina Faso and Niger met ...": each person the
    article ties to one of those countries holds the title (in the singular)."""
    from kg.extract.mentions import post_words

    out = []
    for t in ctx.doc:
        low = t.lower_
        if not (low.endswith("s") and low[:-1] in post_words()) or t.i + 1 >= len(ctx.doc):
            continue
        start = t.i
        while start > 0 and knowledge.is_title_word(ctx.doc[start - 1].text):
            start -= 1
        end = t.i + 1
        # "heads of diplomacy of Mali, ...": a lower-case complement belongs to the title
        if ctx.doc[end].lower_ == "of" and end + 1 < len(ctx.doc) and \
                ctx.doc[end + 1].text.islower() and ctx.doc[end + 1].pos_ == "NOUN":
            end += 2
        if end >= len(ctx.doc) or ctx.doc[end].lower_ != "of":
            continue
        countries = []
        for tok in ctx.doc[end + 1:t.sent.end]:
            hit = ctx.mention_at(tok)
            if hit and hit[0].type == "Country":
                countries.append(hit[1])
            elif tok.text not in {",", "and", "the"} and hit is None:
                break
        if len(set(countries)) < 2:
            continue
        words = [w.text for w in ctx.doc[start:end]]
        words[t.i - start] = t.text[:-1]
        title = " ".join(words)
        for person, country in linked:
            if country in countries and not any(p == person for p, _ in found):
                norm = knowledge.normalize_title(title)
                out.append((person, f"{title} | {norm}" if norm and norm != title else title,
                            t.sent.text.strip()))
    return out


def _home_country(ctx: Context, title: str, found: dict,
                  loose: list[tuple[str, str, str]]) -> str | None:
    """The country an unqualified title most likely belongs to: the article's most
    mentioned country (capitals count) not already holding that title for someone else.
    None when two people of the article hold the same unqualified title (which is whose
    cannot be told)."""
    from collections import Counter

    head = title.split(" | ")[-1].lower()
    if len({p for p, t, _ in loose if t.split(" | ")[-1].lower() == head}) > 1:
        return None

    counts: Counter[str] = Counter()
    for t in ctx.doc:
        if t.pos_ in {"ADJ", "PROPN"} and ctx.mention_at(t) is None and (
                c := knowledge.country_by_demonym(t.text)) is not None:
            counts[ctx.add_entity("Country", c.name)] += 1
    for m, k in zip(ctx.mentions, ctx.keys, strict=True):
        if m.type == "Country":
            counts[k] += 1
        elif m.type == "Place" and (c := knowledge.capital_of(m.name)) is not None:
            counts[ctx.add_entity("Country", c.name)] += 1
    taken = {b for (p, b), (titles, _) in found.items()
             if any(t.lower() == head or t.lower().endswith(head) for t in titles)}
    ranked = [(c, n) for c, n in counts.most_common() if c not in taken]
    if not ranked:
        return None
    # only a clear favourite: an article about two countries does not say whose it is
    if len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1] and not taken:
        return None
    return ranked[0][0]


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
            if j - k + 1 >= sent_start and (knowledge.is_honorific(doc[j - k + 1:j + 1].text)
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
        if t.text == "," and out and knowledge.is_title_word(out[0].text) and j > sent_start \
                and knowledge.is_title_word(doc[j - 1].text):
            out.insert(0, t)  # "Defence, Justice and Security Minister"
            j -= 1
            continue
        if (knowledge.is_title_word(t.text) or t.lower_ in LINKS | STOP_TITLE or t.tag_ == "POS"
                or hit
                or knowledge.country_by_demonym(t.text) or t.text[:1].isupper()
                or t.text in {"-", "–"}):
            out.insert(0, t)
            j -= 1
            continue
        break
    while out and (out[0].lower_ in LINKS or out[0].tag_ == "POS"):
        out = out[1:]
    return out if any(knowledge.is_title_word(t.text) or t.lower_ in STOP_TITLE
                      for t in out) else []


def _split_titles(phrase: list[Token]) -> list[list[Token]]:
    """"member of the Central Committee and head of the International Department": one
    phrase per title, split at an "and" that starts a new title."""
    from kg.extract.mentions import post_words

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
        if any(knowledge.is_title_word(t.text) for t in out):
            return out
    return []


def _next_line_title(ctx: Context, m: Mention) -> list[Token]:
    """A name alone on its line, its title on the next ("Mr. X" / "Ambassador of Y")."""
    text = ctx.doc.text
    line_start = text.rfind("\n", 0, m.start) + 1
    line_end = text.find("\n", m.end)
    if line_end < 0 or text[m.end:line_end].strip() or not all(
            knowledge.is_honorific(w) or w in {".", ""} for w in
            text[line_start:m.start].replace(".", " ").split()):
        return []
    nxt = line_end
    while nxt < len(text) and text[nxt] in "\n \t":
        nxt += 1
    end = text.find("\n", nxt)
    span = ctx.doc.char_span(nxt, end if end > 0 else len(text), alignment_mode="expand")
    if span is None or not len(span) or not knowledge.is_title_word(span[0].text):
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
        if (len(t.text) == 1 and t.text.isupper()) or t.lower_ in {"country", "'s", "’s"}:
            continue  # "King H M" (His Majesty), "the country's ambassador"
        if hit and hit[0].type in {"Country", "Place"}:
            capital = knowledge.capital_of(hit[0].name) if hit[0].type == "Place" else None
            home = ctx.add_entity("Country", capital.name) if capital else None
            body_country = body_country or (hit[1] if hit[0].type == "Country" else home)
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
    while words and (words[0].lower() in LINKS or knowledge.is_honorific(words[0])) and not (
            len(words) > 1 and knowledge.normalize_title(" ".join(words[:2]))):
        words.pop(0)  # but "General Secretary" is a title, not a rank and a title
    title = " ".join(words).replace(" - ", "-").strip()
    if counterpart and not title:
        title = _counterpart_title(ctx, phrase[0], person) or ""
    from kg.extract.mentions import post_words

    if not title or not any(w.lower().strip(".,") in post_words() or knowledge.normalize_title(w)
                            for w in title.replace("-", " ").split()):
        return None, None
    if body_org is None and body_country is None:
        body_org = _named_body(ctx, phrase)
    norm = knowledge.normalize_title(title)
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
        if words and not all(knowledge.is_title_word(w) for w in words):
            return ctx.add_entity("Organization", " ".join(words))
    return None


def _counterpart_title(ctx: Context, token: Token, person: str) -> str | None:
    """"his Malaysian counterpart X": X holds the title of the sentence's other leader."""
    for key, held in ctx.titles.items():
        if key != person and held and key in ctx.in_span(token.sent, "Person"):
            return held[0][0]
    return None
