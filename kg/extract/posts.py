"""Posts the article states without a title next to the name: "the Albanian prime
minister" for the one person tied to Albania, "the foreign ministers of Mali, Burkina Faso
and Niger" for the people tied to each, and a bare title in an article about one country.
"""
from __future__ import annotations

from kg import knowledge
from kg.extract.context import Context
from kg.extract.mentions import post_words


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
        after = doc[span.end:span.end + 4]
        words = [t.text for t in after]
        for lead in (["("], [",", "from"], ["from"], ["of"]):
            if words[:len(lead)] == lead and len(after) > len(lead):
                hit = ctx.mention_at(after[len(lead)])
                if hit and hit[0].type == "Country":
                    out.append((key, hit[1]))
    return list(dict.fromkeys(out))


def nominal_titles(ctx: Context, linked: list[tuple[str, str]],
                    found: dict) -> list[tuple[str, str, str]]:
    """"The Albanian prime minister said ...": a title with a demonym and no name is the
    title of the one person the article ties to that country (and who has no title)."""
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


def home_country(ctx: Context, title: str, found: dict,
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
