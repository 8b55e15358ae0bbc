"""Meetings, talks and calls that took place: who, where, when.

A meeting is anchored on a verb of meeting ("met", "received", "hosted",
"held talks/a meeting/a phone call with", "spoke by phone") whose subject and
objects hold the participants; planned or invited meetings are skipped.
Several sentences about the same participants in one article are one meeting.
"""
from __future__ import annotations

import re

from spacy.tokens import Span, Token

from kg.extract.context import Context, clause_tokens, is_negated, is_planned
from kg.extract.text import doc_text
from kg.model import Fact

MEET_VERBS = {"meet", "receive", "host", "confer", "greet", "welcome", "visit"}
MEET_NOUNS = {"talk", "talks", "meeting", "conversation", "call", "discussion", "discussions",
              "consultation", "consultations", "negotiation", "negotiations", "summit",
              "audience", "dialogue", "session", "phone", "telephone", "interview"}
LIGHT_VERBS = {"hold", "have", "conduct", "pay", "make", "engage", "chair", "co-chair"}
PARTICIPANT_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "agent", "conj", "appos", "attr",
                    "compound", "npadvmod", "dative"}
PLACE_PREPS = {"in", "at"}
CREDENTIALS = {"credential", "credentials"}
ENVOY_WORDS = ("ambassador", "high commissioner", "envoy", "chargé", "charge d", "nuncio")
SPEECH_VERBS = {"say", "tell", "state", "note", "add", "stress", "report", "write", "announce"}


def extract_meetings(ctx: Context) -> list[Fact]:
    """Meeting facts of the article, one per distinct meeting."""
    meetings: list[dict] = []
    for sent in ctx.doc.sents:
        for trigger in _triggers(sent) + _noun_triggers(sent):
            if is_planned(trigger) or _planned_noun(trigger) or (
                    trigger.pos_ in {"VERB", "AUX"} and is_negated(trigger)):
                continue
            credentials = _credential_meetings(ctx, trigger)
            if credentials is not None:
                if credentials:
                    place = _place(ctx, sent, credentials[0], trigger)
                    date = ctx.sentence_date(sent, trigger) or ctx.lead_date()
                    for group in credentials:
                        _merge(meetings, group, place, date, sent.text.strip(), None)
                    ctx.note_meeting(sent.start_char,
                                     tuple(dict.fromkeys(p for g in credentials for p in g)))
                    break
                continue
            people = _participants(ctx, trigger)
            if trigger.pos_ == "NOUN" and trigger.head.lower_ in {"at", "during", "in", "on",
                                                                   "after", "following"}:
                # "At the meeting in Niamey, X, Y and Z agreed ..."
                verb = _governing_verb(trigger)
                if verb is not None and (verb.lemma_.lower() not in SPEECH_VERBS
                                         or _joint_appearance(trigger)):
                    for c in verb.children:
                        if c.dep_ in {"nsubj", "nsubjpass"}:
                            people += [p for t in clause_tokens(c) for p in ctx.persons_for(t)
                                       if p not in people]
            people = list(dict.fromkeys(people))
            if len(people) == 1 and trigger.lemma_.lower() in {"meet", "receive", "host"}:
                # a parse that lost the object ("received ... delegation head X"): the one
                # person named after the verb in its sentence is the guest
                after = [k for m, k in ctx.mentions_in(trigger.idx, sent.end_char)
                         if m.type == "Person" and k not in people]
                if len(set(after)) == 1:
                    people.append(after[0])
            if len(people) < 2 or _unresolved_subject(ctx, trigger):
                continue
            anchor = trigger if trigger.pos_ in {"VERB", "AUX"} else next(
                (c for c in trigger.children if c.dep_ == "acl" and c.lemma_.lower() in {
                    "hold", "take", "conduct"}),  # "talks held in A on Friday"
                None) or _governing_verb(trigger)
            place = _place(ctx, sent, people, anchor)
            date = ctx.sentence_date(sent, anchor) or _carried_date(ctx, sent) or (
                ctx.lead_date())
            for group in _groups(ctx, trigger, people):
                _merge(meetings, group, place, date, sent.text.strip(), _event(ctx, sent))
            ctx.note_meeting(sent.start_char, tuple(people))
            break
    facts = []
    for m in meetings:
        roles = [("participant", tuple(m["people"]))]
        if m["place"]:
            roles.append(("location", (m["place"],)))
        if m.get("event"):
            roles.append(("event", (m["event"],)))
        values = (("date", m["date"]),) if m["date"] else ()
        for evidence in m["evidence"]:
            facts.append(Fact("meeting", tuple(roles), values, evidence, 0.8))
    return facts


def _triggers(sent: Span) -> list[Token]:
    """Verbs that report a meeting: "met", "received", "held talks", "spoke by phone"."""
    out = []
    for t in sent:
        lemma = t.lemma_.lower()
        verb = t.pos_ == "VERB"
        if (t.pos_ in {"VERB", "AUX"} and lemma in MEET_VERBS) or (
                verb and lemma in LIGHT_VERBS and any(
                    c.dep_ == "dobj" and c.lemma_.lower() in MEET_NOUNS for c in t.children)) or (
                verb and lemma in {"speak", "talk", "discuss", "chat"} and any(
                    c.lower_ in {"phone", "telephone", "with"} for c in t.subtree)) or (
                verb and lemma == "call" and _calls_on(t)) or (
                verb and lemma in {"present", "submit", "hand", "deliver", "accept"} and any(
                    c.dep_ == "dobj" and c.lemma_.lower() in CREDENTIALS | {"letter"}
                    for c in t.children)):
            out.append(t)
    return out


def _credential_meetings(ctx: Context, trigger: Token) -> list[list[str]] | None:
    """Credentials presented ("A presented her credentials to President B", "B received
    the credentials of A"): one meeting of the head of state with each envoy. The envoys
    of a ceremony are often named only in a list further down ("the Ambassador of Chile
    presented ...; the envoys were: ..."): then they are the article's people who hold an
    envoy's title. None when the trigger is not about credentials."""
    if not any(c.dep_ == "dobj" and (c.lemma_.lower() in CREDENTIALS or c.lower_ == "letters"
                                      and any(x.lower_ == "credence" for x in c.subtree))
               for c in trigger.children):
        return None
    lemma = trigger.lemma_.lower()
    subjects = [t for c in trigger.children if c.dep_ in {"nsubj", "nsubjpass"}
                for t in clause_tokens(c)]
    if lemma in {"present", "submit", "hand", "deliver"}:
        hosts = [t for c in trigger.children if c.dep_ in {"prep", "dative"} and c.lower_ == "to"
                 for t in clause_tokens(c)]
        guests = subjects
    elif lemma in {"receive", "accept"}:
        hosts = subjects
        guests = [t for c in trigger.children if c.dep_ in {"dobj", "prep"}
                  for t in clause_tokens(c)]
    else:
        return None
    host = next((p for t in hosts for p in ctx.persons_for(t)), None)
    if host is None:
        return []
    envoys = [p for t in guests for p in ctx.persons_for(t) if p != host]
    if not envoys:
        envoys = [p for p, held in ctx.titles.items() if p != host and any(
            w in title.lower() for title, _ in held for w in ENVOY_WORDS)]
    return [[host, g] for g in dict.fromkeys(envoys)]


def _calls_on(verb: Token) -> bool:
    """"X called on Y" (a courtesy visit), not "X called on Y to act" (an appeal)."""
    return any(c.dep_ == "prep" and c.lower_ == "on" for c in verb.children) and not any(
        c.dep_ in {"xcomp", "ccomp", "advcl"} for c in verb.children) and not any(
        t.lower_ == "to" and t.head.pos_ == "VERB" and t.head.i != verb.i
        for t in verb.subtree)


def _groups(ctx: Context, trigger: Token, people: list[str]) -> list[list[str]]:
    """One host meeting several guests in turn ("X met A, B and C") is a meeting with
    each guest; people named together as the subject ("X and Y met") met together."""
    if trigger.pos_ not in {"VERB", "AUX"}:
        return [people]
    subj = {p for c in trigger.children if c.dep_ in {"nsubj", "nsubjpass"}
            for t in clause_tokens(c) for p in ctx.persons_for(t)}
    guests = [p for p in people if p not in subj]
    separate = any(t.lower_ in {"separate", "separately", "respectively", "individually"}
                   for t in trigger.subtree)
    if len(subj) == 1 and (len(guests) >= 3 or separate and len(guests) >= 2):
        host = next(iter(subj))
        return [[host, g] for g in guests]  # "X held separate meetings with A and B"
    return [people]


def _unresolved_subject(ctx: Context, trigger: Token) -> bool:
    """A verb whose subject names someone we could not resolve ("the Minister met A and
    B"): its objects did not meet each other, so no meeting is reported."""
    if trigger.pos_ not in {"VERB", "AUX"}:
        return False
    subjects = [c for c in trigger.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if not subjects:
        return False
    found = [p for c in subjects for t in clause_tokens(c) for p in ctx.persons_for(t)]
    hits = [ctx.mention_at(t) for c in subjects for t in clause_tokens(c)]
    return not found and not any(
        h is not None and h[0].type in {"Country", "Organization"} for h in hits)


def _noun_triggers(sent: Span) -> list[Token]:
    """Meeting nouns that report a meeting: "a meeting between X and Y was held",
    "At the meeting in Niamey, X, Y and Z agreed"."""
    out = []
    for t in sent:
        if t.pos_ == "NOUN" and t.lemma_.lower() in {"meeting", "talk", "talks", "summit",
                                                      "conversation", "call", "discussion"}:
            if t.head.lemma_.lower() in LIGHT_VERBS and t.dep_ == "dobj":
                continue  # handled as a verb trigger
            out.append(t)
        elif _joint_appearance(t):
            out.append(t)
    return out


def _joint_appearance(t: Token) -> bool:
    """"a joint press conference/statement with X": the speakers appeared together."""
    return t.pos_ == "NOUN" and t.lemma_.lower() in {"conference", "statement", "briefing",
                                                      "appearance"} and any(
        c.lower_ == "joint" for c in t.children) and any(
        c.lower_ in {"press", "news", "media"} for c in t.children) and any(
        c.dep_ == "prep" and c.lower_ == "with" for c in t.children)


def _governing_verb(t: Token) -> Token | None:
    head = t
    for _ in range(4):
        if head.pos_ in {"VERB", "AUX"}:
            return head
        if head.head.i == head.i:
            return None
        head = head.head
    return None


def _planned_noun(t: Token) -> bool:
    """"the next meeting", "an upcoming summit", "a meeting is expected"."""
    if any(c.lower_ in {"next", "upcoming", "future", "planned", "proposed", "possible",
                        "another"} for c in t.children):
        return True
    if t.pos_ != "NOUN":
        return False
    verb = _governing_verb(t)
    return verb is not None and is_planned(verb)


def _participants(ctx: Context, trigger: Token) -> list[str]:
    """Persons in the trigger's clause: its subject(s), objects and "with" phrases; a
    verb joined to another ("X attended ... and held a meeting with him") shares its
    subject; a meeting noun keeps what its participle says ("talks held ... between A
    and B")."""
    people: list[str] = []
    tokens = clause_tokens(trigger)
    if trigger.dep_ in {"conj", "advcl", "pcomp", "xcomp"} and not any(
            c.dep_ in {"nsubj", "nsubjpass"} for c in trigger.children):
        # "X attended ... and held talks with Y", "X said after meeting Y"
        head = trigger.head
        while head.pos_ not in {"VERB", "AUX"} and head.head.i != head.i:
            head = head.head
        tokens += [t for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}
                   for t in clause_tokens(c)]
    if trigger.pos_ == "NOUN":
        tokens += [t for c in trigger.children if c.dep_ == "acl"
                   and c.lemma_.lower() in {"hold", "take", "conduct"}
                   for t in clause_tokens(c)]
    for tok in tokens:
        if tok.i == trigger.i:
            continue
        for key in ctx.persons_for(tok):
            if key not in people:
                people.append(key)
    return people


def _place(ctx: Context, sent: Span, people: list[str],
           anchor: Token | None = None) -> str | None:
    """The place a sentence says the meeting happened in ("in Beijing", "at the Palace"):
    one the meeting verb itself governs first ("X, based in A, met Y at B" is at B)."""
    best = None
    own = [t for t in anchor.children if t.dep_ == "prep"] if anchor is not None else []
    for tok in [*own, *sent]:
        if tok.lower_ not in PLACE_PREPS:
            continue
        for child in tok.children:
            if child.dep_ != "pobj":
                continue
            keys = ctx.in_span(list(child.subtree), "Place", "Country")
            for key in keys:
                typ = ctx.type_of(key)
                if typ == "Place":
                    return key
                best = best or key
    return best


def _carried_date(ctx: Context, sent: Span) -> str | None:
    """A date stated in the previous sentence of the same paragraph ("On 6 May, X was in
    Tallinn. There she met ...")."""
    start = sent.start
    if start == 0:
        return None
    prev = ctx.doc[start - 1].sent
    gap = doc_text(ctx.doc)[prev.start_char:sent.start_char]
    if "\n" in gap[len(gap.rstrip()):]:
        return None  # the whitespace after the previous sentence ends a paragraph
    date = ctx.sentence_date(prev)
    return date if date and len(date) == 10 else None


def _event(ctx: Context, sent: Span) -> str | None:
    """The named event a meeting was part of: "on the sidelines of the G20 Summit",
    "in the margins of the SCO Summit", "during the forum"."""
    for m, key in ctx.mentions_in(sent.start_char, sent.end_char):
        if m.type == "Event" and re.search(r"\b(sidelines?|margins?|during|at|on)\s+(of\s+)?"
                                           r"(the\s+)?$", doc_text(ctx.doc)[m.start - 25:m.start]):
            return key
    return None


def _merge(meetings: list[dict], people: list[str], place: str | None, date: str | None,
           evidence: str, event: str | None = None) -> None:
    """Add one sentence's meeting: a sentence naming the same people as known meetings
    (or a subset or superset of them, with no clash of place or date) supports those."""
    matches = []
    for m in meetings:
        same = set(people) <= set(m["people"]) or set(m["people"]) <= set(people)
        # a country and a place are compatible ("in China" ... "in Beijing")
        places = {place, m["place"]} - {None}
        clash = (len(places) == 2 and sum(p.startswith("Country:") for p in places) != 1) or (
            date and m["date"] and date != m["date"])
        if same and not clash:
            matches.append(m)
    for m in matches:
        m["event"] = m.get("event") or event
        if place and (m["place"] is None or m["place"].startswith("Country:")):
            m["place"] = place
        m["date"] = m["date"] or date
        if evidence not in m["evidence"]:
            m["evidence"].append(evidence)
    if not matches:
        meetings.append({"people": people, "place": place, "date": date, "evidence": [evidence],
                         "event": event})
