"""Membership, support for initiatives, and levels of partnership."""
from __future__ import annotations

import re

from spacy.tokens import Span, Token

from kg import knowledge
from kg.extract.context import Context
from kg.extract.text import doc_text
from kg.model import Fact

SUPPORT = re.compile(r"\b(support(s|ed|ing)?|back(s|ed|ing)?|endors(e|es|ed|ing)|adher(e|es|ed|"
                     r"ence|ing)|stood by|stand(s)? by|committed to|commitment to|uphold(s|ing)?|"
                     r"upheld|recogni[sz](e|es|ed)|joined|participat(e|es|ed|ion))\b", re.I)
LEVEL = re.compile(
    r"\b((?:(?:comprehensive|all-round|all-weather|enhanced|extended|global|special|privileged|"
    r"innovative|new|deepened|everlasting|high-level)\s+)*"
    r"(?:strategic\s+)(?:cooperative\s+)?(?:partnership|alliance|cooperation)|"
    r"(?:comprehensive|all-round|privileged|special)\s+(?:cooperative\s+)?partnership|"
    r"allied\s+(?:relations|interaction)|"
    # "A is a strategic partner for B", "A and B are strategic partners"
    r"(?:(?:comprehensive|all-round|enhanced|global|special|privileged)\s+)*strategic\s+"
    r"partners?(?=\s+(?:for|of|to)\b|\s*[.,;])"
    r")\b", re.I)


DOC_BEFORE = re.compile(r"\b(memorand\w+|agreements?|declarations?|treat\w+|statements?|"
                        r"communiqu\w+|mous?|charters?|roadmaps?|plans?)\s+(on|for|of|to)\s+"
                        r"((a|an|the)\s+)?(new\s+)?$", re.I)


def extract_relations(ctx: Context) -> list[Fact]:
    facts: list[Fact] = []
    for sent in ctx.doc.sents:
        facts += _supports(ctx, sent)
        facts += _members(ctx, sent)
        facts += _partnerships(ctx, sent)
    return facts


def _supports(ctx: Context, sent: Span) -> list[Fact]:
    """"X reaffirmed its support for the Y": for each initiative, the nearest cue of
    support before it and the nearest country or person before that cue (a possessive
    "Azerbaijan's support" or a pronoun resolved to the person)."""
    facts = []
    cues = [sent.start_char + c.start() for c in SUPPORT.finditer(sent.text)]
    for m, initiative in ctx.mentions_in(sent.start_char, sent.end_char):
        if m.type != "Initiative":
            continue
        before = [c for c in cues if c < m.start]
        if not before:
            continue
        cue_at = before[-1]
        who = _actor_before(ctx, sent, cue_at)
        if who is not None:
            facts.append(Fact("supports", (("who", (who,)), ("what", (initiative,))), (),
                              sent.text.strip(), 0.8))
    return facts


def _actor_before(ctx: Context, sent: Span, at: int) -> str | None:
    """The country or person closest before a character offset, pronouns resolved."""
    best: tuple[int, str] | None = None
    for m, key in ctx.mentions_in(sent.start_char, at):
        if m.type in {"Country", "Person"}:
            best = (m.start, key)
        elif m.type == "Place" and (capital := knowledge.capital_of(m.name)) is not None:
            best = (m.start, ctx.add_entity("Country", capital.name))  # "Tehran supports"
    for tok in sent:
        if tok.idx >= at:
            break
        if tok.lower_ in {"he", "she", "his", "her"} and (best is None or tok.idx > best[0]):
            people = ctx.persons_for(tok)
            if people:
                best = (tok.idx, people[0])
        elif (c := ctx.country_of_word(tok)) and tok.dep_ in {"amod", "nsubj", "poss"} and (
                best is None or tok.idx > best[0]) and ctx.mention_at(tok) is None:
            best = (tok.idx, c)  # "the Azerbaijani side supports"
    return best[1] if best else None


def _members(ctx: Context, sent: Span) -> list[Fact]:
    """Membership from the shapes news uses:
    "X is (now) a member of ORG" / "admitted X as a member" (the subject or object),
    "Member states of ORG are A, B and C" / "ORG members A and B" (the list after the cue),
    "X joined ORG" (subject and object), "ORG was founded by A, B and C" (the founders)."""
    if not ctx.in_span(sent, "Organization"):
        return []
    found: list[tuple[str, str]] = []
    for t in sent:
        lemma = t.lemma_.lower()
        if lemma == "member" and t.pos_ in {"NOUN", "PROPN"}:
            if t.dep_ in {"compound", "amod"} and t.head.lemma_.lower() in {
                    "state", "country", "nation"}:
                t = t.head  # "member states of ORG"
            org = _org_near(ctx, t)
            if org is None:
                continue
            members = _countries_after(ctx, t, sent)
            verb = t.head
            while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
                verb = verb.head
            if _negated(verb) or any(c.lower_ in {"not", "non"} for c in t.children):
                continue  # "Ukraine is not a member of NATO"
            hit = ctx.mention_at(t.head)
            if not members and t.dep_ == "appos" and hit and hit[0].type == "Country":
                members = [hit[1]]  # "Finland, a new member of NATO"
            elif not members and (t.dep_ in {"attr", "oprd", "xcomp"} or t.head.lower_ == "as"):
                members = [k for c in verb.children if c.dep_ in {"nsubj", "nsubjpass", "dobj"}
                           and c.i != t.i for k in ctx.in_span(list(c.subtree), "Country")]
            found += [(m, org) for m in members]
        elif lemma in {"join", "accede"} and t.pos_ == "VERB":
            orgs = [k for c in t.children if c.dep_ in {"dobj", "prep"}
                    for k in ctx.in_span(list(c.subtree), "Organization")]
            subj = [k for c in t.children if c.dep_ == "nsubj"
                    for k in ctx.in_span(list(c.subtree), "Country")]
            if orgs and not _negated(t):
                found += [(m, orgs[0]) for m in subj]
        elif lemma in {"found", "create", "establish"} and t.tag_ == "VBN":
            orgs = [k for c in t.children if c.dep_ == "nsubjpass"
                    for k in ctx.in_span(list(c.subtree), "Organization")]
            by = [k for c in t.children if c.dep_ == "agent"
                  for k in ctx.in_span(list(c.subtree), "Country")]
            if orgs:
                found += [(m, orgs[0]) for m in by]
    facts = []
    for member, org in dict.fromkeys(found):
        facts.append(Fact("member", (("member", (member,)), ("org", (org,))), (),
                          sent.text.strip(), 0.85))
    return facts


def _org_near(ctx: Context, t: Token) -> str | None:
    """The organisation of a "member" noun: "of ORG" after it, or "ORG member(s)" before."""
    for child in t.children:
        if child.dep_ == "prep" and child.lower_ in {"of", "in"}:
            orgs = ctx.in_span(list(child.subtree), "Organization")
            if orgs:
                return orgs[0]
    left = ctx.doc[max(t.sent.start, t.i - 4):t.i]
    orgs = ctx.in_span(left, "Organization")
    if not orgs and any(c.dep_ == "poss" and c.lower_ in {"its", "their"} for c in t.children):
        # "the SCO admitted Belarus as its tenth member": "its" is the verb's subject
        verb = t.head
        while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
            verb = verb.head
        orgs = [k for c in verb.children if c.dep_ == "nsubj"
                for k in ctx.in_span(list(c.subtree), "Organization")]
        return orgs[0] if orgs else None
    return orgs[-1] if orgs else None


def _countries_after(ctx: Context, t: Token, sent: Span) -> list[str]:
    """Countries listed right after a "member(s)" noun: "member states are A, B and C",
    "members, including A and B", "members A, B"."""
    rest = ctx.doc[t.i + 1:sent.end]
    out = []
    for tok in rest:
        if tok.pos_ == "VERB" and tok.lemma_.lower() not in {"include", "be"}:
            break
        hit = ctx.mention_at(tok)
        if hit and hit[0].type == "Country" and hit[1] not in out:
            out.append(hit[1])
    return out


def _negated(t: Token) -> bool:
    return any(c.dep_ == "neg" for c in t.children)


def _nearest_org(ctx: Context, sent: Span, at: int) -> str | None:
    best = None
    for m, key in ctx.mentions_in(sent.start_char, sent.end_char):
        if m.type == "Organization" and (best is None or abs(m.start - at) < best[0]):
            best = (abs(m.start - at), key)
    return best[1] if best else None


def _partnerships(ctx: Context, sent: Span) -> list[Fact]:
    out = []
    titles = [(m.start, m.end) for m, _ in ctx.mentions_in(sent.start_char, sent.end_char)
              if m.type in {"Agreement", "Initiative", "Event", "Organization"}]
    for m in LEVEL.finditer(sent.text):
        at = sent.start_char + m.start()
        if any(a <= at < b for a, b in titles) or DOC_BEFORE.search(
                doc_text(ctx.doc)[max(0, at - 40):at]):
            continue  # "Memorandum on Strategic Partnership" names a document
        level = re.sub(r"^(new|deepened)\s+", "", m.group(1).lower())
        level = re.sub(r"\bcooperation\b", "partnership", level)
        level = re.sub(r"\bpartners?$", "partnership", level)
        pair = _pair(ctx, sent, sent.start_char + m.start())
        if pair is None:
            continue
        out.append(Fact("partnership", (("partner", pair),), (("level", level),),
                        sent.text.strip(), 0.7))
    return out


def _pair(ctx: Context, sent: Span, at: int) -> tuple[str, str] | None:
    """The two countries a level of relations is stated between."""
    # "Azerbaijani-Chinese strategic partnership", "Vietnam–Malaysia Comprehensive ..."
    before = doc_text(ctx.doc)[max(sent.start_char, at - 60):at]
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

    c = knowledge.country(word) or knowledge.country_by_demonym(word)
    return ctx.add_entity("Country", c.name) if c else None
