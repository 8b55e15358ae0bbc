"""Posts the article states without a title next to the name: "the Albanian prime
minister" for the one person tied to Albania, "the foreign ministers of Mali, Burkina Faso
and Niger" for the people tied to each, "X and Y, the foreign ministers of A and B
respectively" pairwise, and a bare title in an article about one country.
"""
from __future__ import annotations

import re
from collections import Counter

from spacy.tokens import Span

from kg import knowledge, offices
from kg.extract.context import Context
from kg.extract.repair import post_words
from kg.extract.text import doc_text, doc_words


def possessive_links(ctx: Context) -> list[tuple[str, str]]:
    """(person, country) for "Albania's Edi Rama", "Abdoulaye Diop (Mali)", "Jorge
    Faurie, from Argentina": the country a name is tied to."""
    out = []
    doc = ctx.doc
    for _m, key, span in ctx.persons():
        if span.start >= 2:
            pos, before = doc[span.start - 1], doc[span.start - 2]
            hit = ctx.mention_at(before)
            if pos.tag_ == "POS" and hit and hit[0].type == "Country":
                out.append((key, hit[1]))
        if (body := _delegation_body(ctx, span)) is not None:
            out.append((key, body))
        after = doc[span.end:span.end + 4]
        words = [t.text for t in after]
        for lead in (["("], [",", "from"], ["from"], ["of"]):
            if words[:len(lead)] == lead and len(after) > len(lead):
                at = len(lead) + (words[len(lead)] == "the" and len(after) > len(lead) + 1)
                hit = ctx.mention_at(after[at])
                if hit and hit[0].type == "Country":
                    out.append((key, hit[1]))
    return list(dict.fromkeys(out))


DELEGATIONS = {"delegation", "team", "mission", "group"}


def _delegation_body(ctx: Context, span: Span) -> str | None:
    """"a delegation of the Grand National Assembly of Türkiye led by Speaker X": the body
    (else the country) the delegation comes from is X's."""
    doc = ctx.doc
    j = span.start - 1
    while j > 0 and (offices.is_title_word(doc[j].text) or offices.is_honorific(doc[j].text)):
        j -= 1
    if j < 1 or doc[j].lower_ != "by" or doc[j - 1].lemma_.lower() not in {"lead", "head"}:
        return None
    noun = doc[j - 1].head
    if noun.lemma_.lower() not in DELEGATIONS:
        return None
    found = [(m.type, k) for t in noun.subtree if t.i < j - 1
             and (hit := ctx.mention_at(t)) is not None for m, k in [hit]
             if m.type in {"Organization", "Country"}]
    for typ in ("Organization", "Country"):
        keys = [k for ty, k in found if ty == typ]
        if keys:
            return keys[0]
    return None


def nominal_titles(ctx: Context, linked: list[tuple[str, str]], found: dict,
                   loose: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """"The Albanian prime minister said ...": a title with a demonym and no name is the
    title of the one person the article ties to that country (and who has no title);
    failing that, of the one person who holds that title with no country and no tie
    ("the Minister of Foreign Affairs, X, ... the Latvian Foreign Minister"), who is then
    tied to the country (appended to `linked`)."""
    out = _plural_titles(ctx, linked, found)
    tied = {p for p, _ in linked} | {p for p, _ in found}
    for i, low in enumerate(doc_words(ctx.doc).lowers):
        if low not in post_words() or i in ctx.attached or i < 1:
            continue
        t = ctx.doc[i]
        j = t.i - 1
        while j >= 0 and offices.is_title_word(ctx.doc[j].text):
            j -= 1
        country = ctx.country_of_word(ctx.doc[j]) if j >= 0 else None
        if country is None or (t.i + 1 < len(ctx.doc) and ctx.doc[t.i + 1].text[:1].isupper()):
            continue
        people = [p for p, c in linked if c == country and not any(q == p for q, _ in found)]
        title = ctx.doc[j + 1:t.i + 1].text
        norm = offices.normalize_title(title)
        if not people and norm:
            people = [p for p, held, _ in loose if p not in tied and norm in held.split(" | ")]
            if len(set(people)) == 1:
                linked.append((people[0], country))
        if len(set(people)) == 1:
            out.append((people[0], f"{title} | {norm}" if norm and norm != title else title,
                        t.sent.text.strip()))
    return out


def _plural_titles(ctx: Context, linked: list[tuple[str, str]],
                   found: dict) -> list[tuple[str, str, str]]:
    """"The foreign ministers of Mali, Burkina Faso and Niger met ...": each person the
    article ties to one of those countries holds the title (in the singular)."""
    out = []
    for i, low in enumerate(doc_words(ctx.doc).lowers):
        if not (low.endswith("s") and low[:-1] in post_words()) or i + 1 >= len(ctx.doc):
            continue
        t = ctx.doc[i]
        start = t.i
        while start > 0 and offices.is_title_word(ctx.doc[start - 1].text):
            start -= 1
        end = t.i + 1
        # "heads of diplomacy of Mali, ...": a lower-case complement belongs to the title
        if ctx.doc[end].lower_ == "of" and end + 1 < len(ctx.doc) and \
                ctx.doc[end + 1].text.islower() and ctx.doc[end + 1].pos_ == "NOUN":
            end += 2
        countries = []
        for tok in ctx.doc[end + 1:t.sent.end] if end < len(ctx.doc) and \
                ctx.doc[end].lower_ == "of" else []:
            hit = ctx.mention_at(tok)
            if hit and hit[0].type == "Country":
                countries.append(hit[1])
            elif tok.text not in {",", "and", "the"} and hit is None:
                break
        people = None
        if len(set(countries)) < 2:
            # "The foreign ministers ... took part, among them X, from Argentina; Y, from
            # Paraguay": the people named after the post, each tied to a country
            after = set(ctx.in_span(ctx.doc[t.i + 1:t.sent.end], "Person"))
            people = {p for p, _ in linked if p in after}
            countries = [c for p, c in linked if p in people]
            if len(people) < 2:
                continue
        words = [w.text for w in ctx.doc[start:end]]
        words[t.i - start] = t.text[:-1]
        title = " ".join(words)
        for person, country in linked:
            if country in countries and not any(p == person for p, _ in found) and (
                    people is None or person in people):
                norm = offices.normalize_title(title)
                out.append((person, f"{title} | {norm}" if norm and norm != title else title,
                            t.sent.text.strip()))
    return out


def home_country(ctx: Context, title: str, found: dict,
                  loose: list[tuple[str, str, str]]) -> str | None:
    """The country an unqualified title most likely belongs to: the article's most
    mentioned country (capitals count) not already holding that title for someone else.
    None when two people of the article hold the same unqualified title (which is whose
    cannot be told)."""
    head = title.split(" | ")[-1].lower()
    if len({p for p, t, _ in loose if t.split(" | ")[-1].lower() == head}) > 1:
        return None

    counts = _country_counts(ctx)
    taken = {b for (p, b), (titles, _) in found.items()
             if any(t.lower() == head or t.lower().endswith(head) for t in titles)}
    ranked = [(c, n) for c, n in counts.most_common() if c not in taken]
    if not ranked:
        return None
    # only a clear favourite: an article about two countries does not say whose it is
    if len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1] and not taken:
        return None
    return ranked[0][0]


SEPARATOR = re.compile(r"^\s*(?:,\s*|;\s*)?(?:and\s+|as\s+well\s+as\s+)?(?:the\s+)?$")
NON_NAME = re.compile(r"[\w.’'-]+")


def respective_links(ctx: Context) -> list[tuple[str, str, str | None, str]]:
    """(person, country, title or None, evidence) for "A, B and C, respectively under
    Captain X, Colonel Y and General Z", "X and Y, the foreign ministers of A and B
    respectively", "A and B ... their respective leaders, X and Y": a list of countries
    and a list of people of the same length, paired in order. The title is the one
    written before the name (a military rank counts), else the plural post of the
    sentence in the singular ("the foreign ministers" -> "foreign minister")."""
    out: list[tuple[str, str, str | None, str]] = []
    for sent in ctx.doc.sents:
        if not re.search(r"\brespective(ly)?\b", sent.text, re.I):
            continue
        inside = ctx.mentions_in(sent.start_char, sent.end_char)
        countries = _lists(ctx, [(m, k) for m, k in inside if m.type == "Country"], False)
        people = _lists(ctx, [(m, k) for m, k in inside if m.type == "Person"], True)
        people = [p for p in people if len(p) >= 2]
        if len(people) != 1:
            continue
        group = people[0]
        same = [c for c in countries if len(c) == len(group)]
        if len(same) != 1:
            continue
        plural = _plural_post(sent)
        for (pm, person), (_cm, country) in zip(group, same[0], strict=True):
            title = _title_before(ctx, pm.start, sent.start_char) or plural
            out.append((person, country, title, sent.text.strip()))
    return out


def _lists(ctx: Context, mentions: list, titled: bool) -> list[list]:
    """Runs of mentions joined only by commas and "and" (and, for people, by the titles,
    honorifics and demonyms written before each name)."""
    runs: list[list] = []
    for m, k in mentions:
        if runs and k not in [x for _, x in runs[-1]]:
            gap = doc_text(ctx.doc)[runs[-1][-1][0].end:m.start]
            if titled:
                gap = NON_NAME.sub(lambda w: "" if _title_word(w.group(0)) else w.group(0), gap)
            if SEPARATOR.match(gap):
                runs[-1].append((m, k))
                continue
        runs.append([(m, k)])
    return runs


def _title_word(word: str) -> bool:
    return (offices.is_title_word(word) or offices.is_honorific(word)
            or knowledge.country_by_demonym(word) is not None
            or word.lower() in {"the", "his", "her", "their"})


def _title_before(ctx: Context, start: int, sent_start: int) -> str | None:
    """The title or military rank written right before a name ("Colonel", "King")."""
    words = doc_text(ctx.doc)[max(sent_start, start - 40):start].split()
    title: list[str] = []
    while words and (offices.is_title_word(words[-1]) or offices.is_rank(words[-1])):
        title.insert(0, words.pop())
    if not title:
        return None
    text = " ".join(title)
    norm = offices.normalize_title(text)
    if norm is None and not offices.is_rank(text) and not any(
            w.lower() in post_words() for w in title):
        return None
    return f"{text} | {norm}" if norm and norm != text else text


def _plural_post(sent: Span) -> str | None:
    """"the foreign ministers of ..." -> "foreign minister"."""
    for t in sent:
        low = t.lower_
        if low.endswith("s") and low[:-1] in post_words():
            words = [t.text[:-1]]
            j = t.i - 1
            while j >= sent.start and offices.is_title_word(t.doc[j].text):
                words.insert(0, t.doc[j].text)
                j -= 1
            text = " ".join(words)
            norm = offices.normalize_title(text)
            return f"{text} | {norm}" if norm and norm.lower() != text.lower() else text
    return None


def _country_counts(ctx: Context) -> Counter[str]:
    """How often the article names each country (demonyms and capitals count), counted
    once per article (kept in `ctx.memo`)."""
    counts = ctx.memo.get("country_counts")
    if isinstance(counts, Counter):
        return counts
    out: Counter[str] = Counter()
    for i, text in enumerate(doc_words(ctx.doc).texts):
        if (c := knowledge.country_by_demonym(text)) is not None and ctx.doc[i].pos_ in {
                "ADJ", "PROPN"} and ctx.mention_at(ctx.doc[i]) is None:
            out[ctx.add_entity("Country", c.name)] += 1
    for m, k in zip(ctx.mentions, ctx.keys, strict=True):
        if m.type == "Country":
            out[k] += 1
        elif m.type == "Place" and (c := knowledge.capital_of(m.name)) is not None:
            out[ctx.add_entity("Country", c.name)] += 1
    ctx.memo["country_counts"] = out
    return out


def list_links(ctx: Context, found: dict,
               loose: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """(person, country) for a person whose title names no body, listed next to people
    whose posts name one country with no verb between them: "met the President of
    Estonia, A, the Speaker of the Riigikogu, B, and the Minister of Foreign Affairs, C"
    (C is Estonia's). A verb between ("Ruto received the Minister of Foreign Affairs, C"),
    a country stated only after C ("C, Foreign Minister, and D, Oman's Foreign Minister")
    or two countries among the neighbours says nothing."""
    # both titles must be given in the sentence itself: a list of titled names
    countries: dict[tuple[str, str], set[str]] = {}
    for (person, body), (_titles, evidence) in found.items():
        if ctx.type_of(body) == "Country":
            countries.setdefault((person, evidence), set()).add(body)
    has_country = {p for p, _ in countries}
    wanted = {(p, ev) for p, _, ev in loose if p not in has_country}
    if not wanted:
        return []
    by_sentence: dict[int, list[tuple[str, Span]]] = {}
    for _m, key, span in ctx.persons():
        by_sentence.setdefault(span.sent.start, []).append((key, span))
    out = []
    for people in by_sentence.values():
        text = people[0][1].sent.text.strip()
        for key, span in people:
            if (key, text) not in wanted:
                continue
            near: set[str] = set()
            for other, other_span in people:
                if (other, text) not in countries or other == key or \
                        other_span.start > span.start:
                    continue  # only a country stated earlier in the list carries over
                lo, hi = other_span, span
                if hi.start - lo.end <= 40 and not any(
                        t.pos_ in {"VERB", "AUX"} for t in ctx.doc[lo.end:hi.start]):
                    near |= countries[(other, text)]
            if len(near) == 1:
                out.append((key, near.pop()))
    return list(dict.fromkeys(out))
