"""Agreements: titled and generic documents, their parties, signatories and date.

A document counts as signed (or adopted) when a verb of signing governs the
sentence and is not future or hoped for; otherwise it is kept as an entity
with status "planned" or "mentioned" and no signing facts.
"""
from __future__ import annotations

import re

from spacy.tokens import Span, Token

from kg import knowledge
from kg.extract import patterns as pat
from kg.extract.context import Context, clause_tokens, is_negated, is_planned
from kg.extract.text import doc_text
from kg.model import Entity, Fact

SIGN_VERBS = {"sign", "ink", "seal", "conclude", "adopt", "ratify", "exchange", "initial",
              "endorse", "approve", "finalize", "finalise", "issue", "release"}
SIDES = {"sides", "parties", "delegations", "governments", "countries"}
TWO_COUNTRIES = re.compile(r"\b(two|both) (countries|nations|states|sides|governments)\b|"
                           r"\bbilateral\b|\bour countries\b", re.I)


def extract_agreements(ctx: Context) -> list[Fact]:
    """Agreement facts; adds generic agreement entities and statuses to `ctx.entities`."""
    facts: list[Fact] = []
    titled_by_head: dict[str, str] = {}
    intro: tuple[str, list[str], str | None] | None = None  # "... documents signed:"
    for sent in ctx.doc.sents:
        docs = _agreements_in(ctx, sent, titled_by_head)
        verb = _sign_verb(sent)
        if verb is not None and sent.text.rstrip().endswith(":"):
            countries = ctx.in_span(sent, "Country")
            intro = ("planned" if is_planned(verb) else "signed",
                     countries if 2 <= len(countries) <= 4 else [], ctx.sentence_date(sent, verb))
        if not docs:
            continue
        planned = verb is not None and is_planned(verb)
        status = "planned" if planned else ("signed" if verb is not None else None)
        if verb is not None and is_negated(verb):
            status = None  # "refused to sign", "has not signed": only mentioned
        listed = intro is not None and verb is None and _is_list_item(ctx, sent)
        if listed and intro is not None:
            status = intro[0]
        for key in docs:
            _set_status(ctx, key, status)
            if status != "signed":
                continue
            parties, conf = _parties(ctx, sent, key, verb)
            if listed and intro is not None and not parties:
                parties, conf = intro[1], 0.75
            signers, sides = _signatories(ctx, verb) if verb is not None else ([], [])
            if not parties:
                parties, conf = _signer_countries(ctx, signers + sides), 0.7
            # a date inside a document's title ("Plan ... for 2020-2022") is not its date
            titles = [(m.start, m.end) for m, k in ctx.mentions_in(sent.start_char, sent.end_char)
                      if m.type == "Agreement"]
            date = ctx.sentence_date(sent, verb, titles) or ctx.lead_date()
            roles = [("agreement", (key,)), ("party", tuple(parties)),
                     ("signatory", tuple(signers))]
            values = (("date", date),) if date else ()
            facts.append(Fact("agreement", tuple(roles), values, sent.text.strip(), conf))
    return facts


def _is_list_item(ctx: Context, sent: Span) -> bool:
    """A sentence that is one line of a list of documents (mostly one agreement title)."""
    titles = [m for m, _ in ctx.mentions_in(sent.start_char, sent.end_char)
              if m.type == "Agreement"]
    return bool(titles) and sum(m.end - m.start for m in titles) >= 0.6 * len(sent.text.strip())


def _agreements_in(ctx: Context, sent: Span, titled_by_head: dict[str, str]) -> list[str]:
    """Agreement entity keys of a sentence: titled mentions, then generic ones."""
    keys = ctx.in_span(sent, "Agreement")
    for key in keys:
        head = pat.agreement_head(ctx.entities[key].name)
        if head:
            titled_by_head[pat.GENERIC_NAMES.get(head, head)] = key
    taken = [(m.start, m.end) for m, _ in ctx.mentions_in(sent.start_char, sent.end_char)]
    for m in pat.GENERIC_AGREEMENT.finditer(sent.text):
        start = sent.start_char + m.start(1)
        if any(s <= start < e for s, e in taken):
            continue
        head = m.group(1).lower()
        if head.endswith("s") and (re.match(r"\s*(,\s*)?(including|:|among them|such as)",
                                            sent.text[m.end():m.end() + 20])
                                   or sent.text.rstrip().endswith(":")):
            continue  # "six agreements, including ...": the count, not a document
        name = pat.GENERIC_NAMES.get(head, pat.GENERIC_NAMES.get(head.rstrip("s"), "Agreement"))
        # "a defence cooperation agreement": the kind of document is part of its name
        kinds = [w for w in sent.text[m.start():m.start(1)].split()[1:]
                 if w.lower() in pat.TOPICAL_MODIFIERS]
        if kinds and head.rstrip("s") not in {"mou", "memorandum of understanding"}:
            name = " ".join([*(w.capitalize() for w in kinds), name])
        topic = _list_topic(sent.text[m.end(1):]) or _topic(ctx, sent.start_char + m.end(1))
        if name in titled_by_head and not topic and m.group(0).lower().startswith((
                "the ", "this ", "that ")):  # "the treaty": the one named before
            key = titled_by_head[name]
        elif _sign_verb(sent) is not None:
            key = ctx.add_entity("Agreement", f"{name} {topic}" if topic else name)
            titled_by_head.setdefault(name, key)  # "a treaty of accession ... the treaty"
        else:
            continue
        if key not in keys:
            keys.append(key)
    return keys


LIST_TOPIC = re.compile(r"^\s+((?:and\s+cooperation\s+)?(?:on|of|in|for|between|regarding|"
                        r"concerning)\s[^;.()\n]{3,160}?)\s*(?=;|\.|\(|$|,?\s+and\s+(?:a|an)\s)")


def _list_topic(rest: str) -> str | None:
    """The topic of a document in a list separated by semicolons ("a memorandum of
    understanding and cooperation in easing imports, exports and movement of goods; a ...")."""
    m = LIST_TOPIC.match(rest)
    if not m or ";" not in rest[m.end():m.end() + 3] and ", and a" not in rest[m.end():m.end() + 8]:
        return None
    return m.group(1).strip(" ,")


def _topic(ctx: Context, end: int) -> str | None:
    """What a generic document is about: "an agreement on the delimitation of the border"
    -> "on the delimitation of the border" (up to the end of its noun phrase)."""
    doc = ctx.doc
    span = doc.char_span(end - 1, end, alignment_mode="expand")
    if span is None:
        return None
    noun = span[-1]
    preps = [c for c in noun.rights if c.dep_ == "prep" and c.lower_ in {
        "on", "of", "between", "for", "in", "to", "regarding", "concerning"} and not (
        c.lower_ == "in" and ctx.in_span(list(c.subtree), "Place", "Country"))]  # where
    if not preps:
        # "an agreement to facilitate trade": the purpose names the document
        preps = [c for c in noun.rights if c.dep_ == "acl" and c.tag_ == "VB" and any(
            a.lower_ == "to" and a.i == c.i - 1 for a in c.children)][:1]
    if preps:
        tokens = [t for p in preps for t in p.subtree]
    elif noun.i + 1 < noun.sent.end and doc[noun.i + 1].lower_ in {"on", "between", "regarding",
                                                                     "concerning"}:
        # the parser hung "on ..." elsewhere: read the words that follow the noun
        preps = [doc[noun.i + 1]]
        tokens = list(doc[noun.i + 1:min(noun.sent.end, noun.i + 25)])
    else:
        return None
    cut = next((i for i, t in enumerate(tokens) if t.text in {",", ";", "(", "."} or "\n" in t.text
                or t.pos_ in {"VERB", "AUX"} and t.tag_ != "VBG" and t not in preps
                or t.ent_type_ in {"DATE", "TIME"}
                or t.lower_ in {"which", "that"} or t.lower_ == "and" and i + 1 < len(tokens)
                and (tokens[i + 1].lower_ in {"a", "an"} or pat.agreement_head(tokens[i + 1].text)
                     or i + 2 < len(tokens) and tokens[i + 1].lower_ == "the"
                     and pat.agreement_head(tokens[i + 2].text))
                or t.lower_ in {"in", "at"} and i > 0
                and ctx.in_span(list(t.subtree), "Place", "Country")),
               len(tokens))
    tokens = tokens[:cut][:24]
    while tokens and tokens[-1].lower_ in {"and", "the", "of", "on", "a", "an"}:
        tokens.pop()
    if len(tokens) < 2:
        return None
    return doc_text(doc)[tokens[0].idx:tokens[-1].idx + len(tokens[-1].text)]


def _sign_verb(sent: Span) -> Token | None:
    for t in sent:
        lemma = t.lemma_.lower()
        if lemma in {"exchange", "issue", "release"} and not any(
                c.dep_ == "dobj" and (pat.agreement_head(" ".join(x.text for x in c.subtree))
                                      or c.lemma_.lower() in {
                    "document", "instrument", "note", "text"}) for c in t.children):
            continue  # "exchanged views" is not a signing
        if t.pos_ in {"VERB", "AUX"} and lemma in SIGN_VERBS:
            return t
        if t.lower_ == "signing" and t.pos_ == "NOUN":
            return t  # "witnessed the signing of five memoranda"
        if t.lower_ in {"signed", "adopted", "concluded"} and t.dep_ in {"amod", "acl"}:
            return t
    return None


def _set_status(ctx: Context, key: str, status: str | None) -> None:
    ent = ctx.entities[key]
    old = ent.attr("status")
    if old == "signed" or status is None and old:
        return
    new = status or "mentioned"
    ctx.entities[key] = Entity(ent.key, ent.type, ent.name, ent.aliases, (("status", new),))


def _parties(ctx: Context, sent: Span, key: str,
             verb: Token | None) -> tuple[list[str], float]:
    """Countries party to an agreement, with how sure that is: named in its title (0.85),
    else subjects of the signing (0.8), else the article's two countries when the sentence
    says "the two countries" (0.65), else the sentence's countries (0.6)."""
    title = ctx.entities[key].name
    named = [c.name for c in _countries_in_text(title)]
    bodies = [ctx.add_entity("Organization", b) for b in _bodies_between(title)]
    if named or bodies:
        return bodies + [ctx.add_entity("Country", n) for n in named], 0.85
    if verb is not None:
        subj = [t for c in verb.children if c.dep_ in {"nsubj", "nsubjpass", "agent"}
                for t in clause_tokens(c)]
        keys = ctx.in_span(subj, "Country", "Organization") if subj else []
        countries = [k for k in keys if ctx.type_of(k) == "Country"]
        if not countries:
            # "Kenyan, Ugandan and Tanzanian leaders signed": the demonyms' countries
            countries = list(dict.fromkeys(
                c for t in subj if t.pos_ in {"ADJ", "PROPN"} and t.dep_ != "poss"
                and knowledge.country_by_demonym(t.text) and (c := ctx.country_of_word(t))))
        if countries:
            return countries, 0.8
    pair = ctx.main_pair()
    if pair and TWO_COUNTRIES.search(sent.text):
        return list(pair), 0.65
    # the sentence's countries, but not where it happened ("signed in Entebbe in Uganda")
    countries = [k for m, k in ctx.mentions_in(sent.start_char, sent.end_char)
                 if m.type == "Country" and not re.search(r"\b(in|at)\s+(the\s+)?$",
                                                         doc_text(ctx.doc)[m.start - 8:m.start])]
    countries = list(dict.fromkeys(countries))
    return (countries, 0.6) if 2 <= len(countries) <= 4 else ([], 0.7)


BODY_HEAD = re.compile(r"^(the\s+)?(Ministry|Ministries|Government|National|State|Federal|"
                       r"Central|Agency|Bank|Council|Committee|Commission|Office|Department|"
                       r"Chamber|Union|Association|Corporation|Company|University|Academy|"
                       r"Institute|Russian|[A-Z]\w+ (Bank|Company|Corporation|Center|Centre))",
                       re.I)


def _bodies_between(title: str) -> list[str]:
    """The two bodies of "... between A and B on ..." when they are not governments
    (a government is its country): ministries, agencies, companies."""
    m = re.search(r"\bbetween\s+(.+?)(?:\s+(?:on|in|for|regarding|concerning|to)\s+[a-z]|$)",
                  title)
    if not m:
        return []
    inner = m.group(1)
    splits = [s.start() for s in re.finditer(r"\s+and\s+", inner)]
    best = None
    for at in splits:
        left, right = inner[:at], re.sub(r"^\s+and\s+", "", inner[at:])
        if _countries_in_text(left[-40:]) and left.split()[-1][:1].isupper():
            best = (left, right)  # "... of Mongolia and ..." ends a body with its country
            break
        if best is None and (BODY_HEAD.match(right) or _owned(right)):
            best = (left, right)
    if best is None:
        # two proper names, each perhaps with a description ("A Exchange state owned
        # company and B Koja, union of tanneries of Russia")
        best = next(((a, b) for at in splits if (a := _proper(inner[:at]))
                     and (b := _proper(re.sub(r"^\s+and\s+", "", inner[at:])))), None)
    if best is None:
        return []
    left, right = (re.split(r"\s+for\s+(?:\d|the\s+period)", s)[0] for s in best)
    plural = re.match(r"^(?:the\s+)?(Ministries|Governments|Parliaments)\s+of\s+(.+?)\s+of\s+(.+)$",
                      left)
    if plural and knowledge.country(right):
        # "the Ministries of Foreign Affairs of Mongolia and Russia": one body for each
        head = plural.group(1)[:-3] + "y" if plural.group(1).endswith("ies") else \
            plural.group(1)[:-1]
        if head == "Government":
            return []
        return [f"{head} of {plural.group(2)} of {c}" for c in (plural.group(3), right)]
    best = (left, right)
    out = []
    for side in best:
        side = re.sub(r"^the\s+", "", side.strip(" ,"))
        side = _owned(side) or side
        if re.match(r"(the\s+)?Governments?\b", side, re.I) or knowledge.country(side):
            continue  # the government of a country is the country itself
        if len(side.split()) >= 2 and side[:1].isupper():
            out.append(side)
    return out


def _proper(side: str) -> str | None:
    """A side of "between A and B" that is a proper name of two or more capitalised words
    (connectors allowed), its lower-case description dropped; None otherwise."""
    name = re.split(r",\s+[a-z]", side.strip())[0]
    name = re.sub(r"(\s+[a-z][\w\-]*)+$", "", name).strip(" ,")
    words = name.split()
    if len(words) < 2 or not all(w[:1].isupper() or w in {"of", "and", "for", "the", "&"}
                                 for w in words) or knowledge.country(name):
        return None
    return name


def _owned(side: str) -> str | None:
    """"Kenya's Tana Energy Company" -> "Tana Energy Company": a body named after its
    country's possessive (the country is not the party, the body is)."""
    m = re.match(r"^([A-Z][\w\s\-]*?)['’]s\s+([A-Z].*)$", side)
    return m.group(2) if m and knowledge.country(m.group(1)) else None


def _countries_in_text(text: str) -> list[knowledge.Country]:
    out: list[knowledge.Country] = []
    for word in re.findall(r"[A-Z][\w'’\-]+(?:\s+(?:of\s+)?[A-Z][\w'’\-]+)*", text):
        for piece in re.split(r"[-–]", word) if "-" in word or "–" in word else [word]:
            c = knowledge.country(piece) or knowledge.country_by_demonym(piece)
            if c is None:
                # "Government of the Republic of Azerbaijan": try the tail words
                tail = piece.split()
                for i in range(len(tail)):
                    c = knowledge.country(" ".join(tail[i:]))
                    if c:
                        break
            if c and c not in out:
                out.append(c)
    return out


def _signatories(ctx: Context, verb: Token) -> tuple[list[str], list[str]]:
    """The people who signed (the verb's subject or "by" phrase), and apart the people
    behind "the sides"/"the parties"/"the delegations", who speak for their countries
    but did not sign themselves."""
    people: list[str] = []
    sides: list[str] = []
    for child in verb.children:
        if child.dep_ in {"nsubj", "agent"} or (child.dep_ == "prep" and child.lower_ == "by"):
            for tok in clause_tokens(child):
                into = sides if tok.lower_ in SIDES else people
                for key in ctx.persons_for(tok):
                    if key not in into:
                        into.append(key)
    return people, sides


def _signer_countries(ctx: Context, signers: list[str]) -> list[str]:
    out = []
    for person in signers:
        for _title, body in ctx.titles.get(person, []):
            if body and ctx.type_of(body) == "Country" and body not in out:
                out.append(body)
                break
    return out
