"""Membership, support for initiatives, and levels of partnership."""
from __future__ import annotations

import re

from spacy.tokens import Span

from kg.extract.context import Context
from kg.model import Fact

SUPPORT = re.compile(r"\b(support(s|ed|ing)?|back(s|ed|ing)?|endors(e|es|ed|ing)|adher(e|es|ed|"
                     r"ence|ing)|stood by|stand(s)? by|committed to|commitment to|uphold(s|ing)?|"
                     r"upheld|recogni[sz](e|es|ed)|joined|participat(e|es|ed|ion))\b", re.I)
LEVEL = re.compile(
    r"\b((?:(?:comprehensive|all-round|all-weather|enhanced|extended|global|special|privileged|"
    r"innovative|new|deepened|everlasting|high-level)\s+)*"
    r"(?:strategic\s+)(?:cooperative\s+)?(?:partnership|alliance|cooperation)|"
    r"(?:comprehensive|all-round|privileged|special)\s+(?:cooperative\s+)?partnership|"
    r"allied\s+(?:relations|interaction))\b", re.I)
MEMBER = re.compile(r"\b(member(s|ship)?|joined|join|accession|acceded|comprising|comprises|"
                    r"bloc|belongs?)\b", re.I)


def extract_relations(ctx: Context) -> list[Fact]:
    facts: list[Fact] = []
    for sent in ctx.doc.sents:
        facts += _supports(ctx, sent)
        facts += _members(ctx, sent)
        facts += _partnerships(ctx, sent)
    return facts


def _supports(ctx: Context, sent: Span) -> list[Fact]:
    initiatives = ctx.in_span(sent, "Initiative")
    cue = SUPPORT.search(sent.text)
    if not initiatives or cue is None:
        return []
    cue_at = sent.start_char + cue.start()
    who = None
    for m, key in ctx.mentions_in(sent.start_char, cue_at):
        if m.type in {"Country", "Person"}:
            who = key
    if who is None:
        for tok in sent:
            if tok.idx >= cue_at:
                break
            if tok.dep_ in {"nsubj", "nsubjpass"}:
                people = ctx.persons_for(tok)
                country = ctx.country_of_word(tok) or next(
                    (ctx.country_of_word(c) for c in tok.children if ctx.country_of_word(c)),
                    None)
                who = country or (people[0] if people else None)
    if who is None:
        return []
    after = ctx.doc.char_span(cue_at, sent.end_char, alignment_mode="expand")
    supported = ctx.in_span(after, "Initiative") if after is not None else []
    return [Fact("supports", (("who", (who,)), ("what", (i,))), (), sent.text.strip(), 0.7)
            for i in initiatives if i in supported]


def _members(ctx: Context, sent: Span) -> list[Fact]:
    cue = MEMBER.search(sent.text)
    orgs = ctx.in_span(sent, "Organization")
    if cue is None or not orgs:
        return []
    countries = ctx.in_span(sent, "Country")
    if not countries or len(countries) > 12:
        return []
    word = cue.group(1).lower()
    # "X, Y and Z are members of ORG", "ORG members X, Y", "X joined ORG"
    org = orgs[0] if len(orgs) == 1 else _nearest_org(ctx, sent, sent.start_char + cue.start())
    if org is None:
        return []
    if word in {"member", "members", "membership", "bloc", "comprising", "comprises"} and \
            not re.search(r"\bmember(s|ship)?\s+(states?|countries|nations)?\s*(of|in)\b|"
                          r"\bmembers?\b|\bcomprising\b|\bcomprises\b", sent.text, re.I):
        return []
    return [Fact("member", (("member", (c,)), ("org", (org,))), (), sent.text.strip(), 0.6)
            for c in countries]


def _nearest_org(ctx: Context, sent: Span, at: int) -> str | None:
    best = None
    for m, key in ctx.mentions_in(sent.start_char, sent.end_char):
        if m.type == "Organization" and (best is None or abs(m.start - at) < best[0]):
            best = (abs(m.start - at), key)
    return best[1] if best else None


def _partnerships(ctx: Context, sent: Span) -> list[Fact]:
    out = []
    for m in LEVEL.finditer(sent.text):
        level = re.sub(r"^(new|deepened)\s+", "", m.group(1).lower())
        level = re.sub(r"\bcooperation\b", "partnership", level)
        pair = _pair(ctx, sent, sent.start_char + m.start())
        if pair is None:
            continue
        out.append(Fact("partnership", (("partner", pair),), (("level", level),),
                        sent.text.strip(), 0.7))
    return out


def _pair(ctx: Context, sent: Span, at: int) -> tuple[str, str] | None:
    """The two countries a level of relations is stated between."""
    # "Azerbaijani-Chinese strategic partnership", "Vietnam–Malaysia Comprehensive ..."
    before = ctx.doc.text[max(sent.start_char, at - 60):at]
    hy = re.search(r"([A-Z][\w'’]+)\s?[-–]\s?([A-Z][\w'’]+)\s*(?:[a-z]+\s+)?$", before)
    if hy:
        a = _country_key(ctx, hy.group(1))
        b = _country_key(ctx, hy.group(2))
        if a and b and a != b:
            return a, b
    countries = [k for k in ctx.in_span(sent, "Country")]
    if len(countries) == 2:
        return countries[0], countries[1]
    pair = ctx.main_pair()
    if pair and re.search(r"\b(two|both|our|bilateral)\b", sent.text, re.I):
        return pair
    return None


def _country_key(ctx: Context, word: str) -> str | None:
    from kg import knowledge

    c = knowledge.country(word) or knowledge.country_by_demonym(word)
    return ctx.add_entity("Country", c.name) if c else None
