"""What every fact extractor reads: the parsed article, its mentions and entities,
and a small coreference resolver for the forms news uses ("he", "the president",
"the Chinese leader", "the two leaders", "the Azerbaijani side")."""
from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from kg import knowledge, offices
from kg.extract.dates import MONTHS as MONTH_WORDS
from kg.extract.dates import parse_date
from kg.extract.mentions import Mention
from kg.extract.text import doc_words
from kg.model import Article, Entity
from kg.names import fold

PRONOUNS = {"he", "she", "him", "her", "his", "hers"}
HEAD_TITLES = ("president", "prime minister", "premier", "king", "emir", "amir", "sultan",
               "chancellor", "leader", "queen", "head of state", "head of government")
GROUP_NOUNS = {"leaders", "presidents", "ministers", "sides", "heads", "counterparts",
               "premiers", "officials", "parties", "delegations", "speakers", "chairmen"}


@dataclass
class Context:
    """One article's doc, mentions and entities, with lookups the extractors share."""

    article: Article
    doc: Doc
    mentions: list[Mention]
    keys: list[str]
    entities: dict[str, Entity]
    titles: dict[str, list[tuple[str, str | None]]] = field(default_factory=dict)
    meetings_seen: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)
    attached: set[int] = field(default_factory=set)  # title tokens already tied to a name

    def __post_init__(self) -> None:
        self._starts = [m.start for m in self.mentions]
        self._pair: tuple[str, str] | None = None  # main_pair(), once computed
        self._pair_done = False
        self._date_ents: list[Span] | None = None
        self._date_starts: list[int] = []
        self.memo: dict[str, object] = {}  # per-article results extractors compute once
        self._sent_starts = [s.start_char for s in self.doc.sents]

    # ------------------------------------------------------------ lookups
    def type_of(self, key: str) -> str:
        return self.entities[key].type

    def mentions_in(self, start: int, end: int) -> list[tuple[Mention, str]]:
        """Mentions (with entity keys) inside the character range [start, end)."""
        i = bisect.bisect_left(self._starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            if self.mentions[i].end <= end:
                out.append((self.mentions[i], self.keys[i]))
            i += 1
        return out

    def in_span(self, span: Span | list[Token], *types: str) -> list[str]:
        """Entity keys of the given types mentioned inside a span (or token list), in order."""
        if not isinstance(span, Span):
            # tokens of a parse subtree: a mention counts when one of its tokens is there
            # ("Côte" may hang apart from "d'Ivoire and Türkiye")
            hits = sorted({h for t in span if (h := self.mention_at(t)) is not None},
                          key=lambda h: h[0].start)
            return list(dict.fromkeys(k for m, k in hits if not types or m.type in types))
        keys = [k for m, k in self.mentions_in(span.start_char, span.end_char)
                if not types or m.type in types]
        return list(dict.fromkeys(keys))

    def mention_at(self, token: Token) -> tuple[Mention, str] | None:
        i = bisect.bisect_right(self._starts, token.idx) - 1
        if i >= 0 and self.mentions[i].start <= token.idx < self.mentions[i].end:
            return self.mentions[i], self.keys[i]
        return None

    def sentence_date(self, sent: Span, anchor: Token | None = None,
                      skip: list[tuple[int, int]] | None = None) -> str | None:
        """The date a sentence states, resolved against publication.

        With an anchor (a verb), a date in the anchor's own clause wins, a date
        introduced by "on"/"in" first; otherwise any date of the sentence that is not
        in a relative clause and not in the future ("tomorrow", "next week").
        """
        dates = [e for e in self._dates_in(sent) if not any(
            a <= e.start_char < b for a, b in skip or [])]
        if anchor is not None:
            clause = {t.i for t in clause_tokens(anchor)}
            own = [e for e in dates if e.root.i in clause]
            own.sort(key=lambda e: e.root.head.lower_ not in {"on", "in", "since"})
            rest = [e for e in dates if e not in own and not _embedded(e.root)]
            dates = own + rest
        for ent in dates:
            if re.search(r"\b(tomorrow|next|coming|upcoming)\b", ent.text, re.I):
                continue
            d = parse_date(_with_day(ent), self.article.published)
            if d:
                return d
        return None

    def _dates_in(self, sent: Span) -> list[Span]:
        """The DATE entities of a sentence (all of the doc's found once: `Span.ents`
        walks the whole document on every call)."""
        if self._date_ents is None:
            self._date_ents = [e for e in self.doc.ents if e.label_ == "DATE"]
            self._date_starts = [e.start for e in self._date_ents]
        i = bisect.bisect_left(self._date_starts, sent.start)
        out = []
        while i < len(self._date_ents) and self._date_ents[i].end <= sent.end:
            out.append(self._date_ents[i])
            i += 1
        return out

    def lead_date(self) -> str | None:
        """The first full date of the article's first three sentences that say something
        (a bare dateline or timestamp is not the news peg)."""
        for i, sent in enumerate(self.doc.sents):
            if i >= 3:
                break
            if not any(t.pos_ == "VERB" for t in sent):
                continue
            d = self.sentence_date(sent, sent.root)  # the main verb's date, not a dateline's
            if d and len(d) == 10:
                return d
        return None

    def main_pair(self) -> tuple[str, str] | None:
        """The two countries an article is mostly about ("the two countries"); a demonym
        ("the Egyptian President") counts for its country."""
        if self._pair_done:
            return self._pair
        counts = Counter(k for m, k in zip(self.mentions, self.keys, strict=True)
                         if m.type == "Country")
        for i, text in enumerate(doc_words(self.doc).texts):
            if text[:1].isupper() and (c := knowledge.country_by_demonym(text)) is not None \
                    and (t := self.doc[i]).pos_ in {"ADJ", "PROPN"} and self.mention_at(t) is None:
                counts[self.add_entity("Country", c.name)] += 1
        self._pair, self._pair_done = self._top_two(counts), True
        return self._pair

    @staticmethod
    def _top_two(counts: Counter[str]) -> tuple[str, str] | None:
        top = counts.most_common(3)
        if len(top) == 2:
            return top[0][0], top[1][0]  # the only two countries named
        # a bilateral article: two countries dominate the mentions
        if len(top) >= 2 and top[1][1] >= 2 and (
                len(top) == 2 or top[2][1] * 2 <= top[1][1]) and (
                top[0][1] + top[1][1]) >= 0.6 * sum(counts.values()):
            return top[0][0], top[1][0]
        return None

    def country_of_word(self, token: Token) -> str | None:
        """The country key a demonym or country-name token stands for, if mentioned."""
        hit = self.mention_at(token)
        if hit and hit[0].type == "Country":
            return hit[1]
        country = knowledge.country_by_demonym(token.text)
        if country is None:
            return None
        return self.add_entity("Country", country.name)

    def add_entity(self, typ: str, name: str) -> str:
        """The key of the article's entity of this type and name, created if new."""
        key = f"{typ}:{fold(name)}"
        self.entities.setdefault(key, Entity(key, typ, name))
        return key

    def persons(self) -> Iterator[tuple[Mention, str, Span]]:
        """Every person mention with its entity key and its span in the doc."""
        for m, key in zip(self.mentions, self.keys, strict=True):
            if m.type == "Person" and (span := m.span(self.doc)) is not None:
                yield m, key, span

    # ------------------------------------------------------------ coreference
    def persons_for(self, token: Token) -> list[str]:
        """Person keys a token stands for: a named mention, or what a pronoun,
        a title ("the President", "the Chinese leader") or a group noun refers to."""
        hit = self.mention_at(token)
        if hit:
            return [hit[1]] if hit[0].type == "Person" else []
        low = token.lower_
        if low in PRONOUNS:
            p = self.previous_person(token.idx)
            return [p] if p else []
        if low in GROUP_NOUNS or low == "they":
            post = _group_post(token)
            if (last := self.meeting_before(token.idx)) is not None and (
                    post is None or all(self._holds(p, post) for p in last)):
                return list(last)  # "the foreign ministers" are a meeting's only if they are
            if low in {"they", "sides", "delegations", "parties", "counterparts", "officials"}:
                return self._recent_pair(token)
            if post is not None and len(post.split()) > 1:
                people = [p for p in self.previous_persons(token.idx, 50) if self._holds(p, post)]
                return people[:2] if len(people) >= 2 else []
            return self._titled_group(low, token.idx)
        if (offices.is_title_word(token.text) and token.pos_ in {"NOUN", "PROPN"}
                and token.i not in self.attached):
            country = None
            for child in token.children:
                if child.dep_ in {"amod", "compound", "poss"}:
                    country = self.country_of_word(child) or country
            return [p] if (p := self.titled_person(token.lower_, country, token.idx)) else []
        return []

    def _holds(self, person: str, post: str) -> bool:
        """True when one of a person's titles (normalised forms too) contains `post`."""
        return any(post in part.lower() for title, _ in self.titles.get(person, [])
                   for part in title.split(" | "))

    def note_meeting(self, at: int, people: tuple[str, ...]) -> None:
        """Record a meeting stated at character `at` ("the two leaders" after it)."""
        self.meetings_seen.append((at, people))

    def meeting_before(self, at: int) -> tuple[str, ...] | None:
        """The people of the last meeting stated before character `at`."""
        i = bisect.bisect_left(self.meetings_seen, at, key=lambda x: x[0]) - 1
        return self.meetings_seen[i][1] if i >= 0 else None

    def _recent_pair(self, token: Token) -> list[str]:
        """"they", "both sides": the last two people named in this or the previous sentence."""
        sent = token.sent
        start = self.doc[sent.start - 1].sent.start_char if sent.start > 0 else sent.start_char
        people = [p for p in self.previous_persons(token.idx, 2)
                  if self._last_mention(p, token.idx) is not None
                  and (self._last_mention(p, token.idx) or 0) >= start]
        return people if len(people) == 2 else []

    def _titled_group(self, noun: str, before: int) -> list[str]:
        """"the two leaders", "the ministers" with no meeting before: the two most recently
        mentioned people whose titles fit the noun (heads of state or government for
        "leaders"/"heads"/"presidents", ministers for "ministers")."""
        fits = HEAD_TITLES if noun in {"leaders", "heads", "presidents", "premiers", "sides",
                                       "they"} else ("minister",) if noun == "ministers" else ()
        people = [p for p in self.previous_persons(before, 50)
                  if any(w in t.lower() for t, _ in self.titles.get(p, []) for w in fits)]
        return people[:2] if len(people) >= 2 else []

    def previous_person(self, before: int) -> str | None:
        persons = self.previous_persons(before, 1)
        return persons[0] if persons else None

    def previous_persons(self, before: int, n: int) -> list[str]:
        out: list[str] = []
        i = bisect.bisect_left(self._starts, before) - 1
        while i >= 0 and len(out) < n:
            if self.mentions[i].type == "Person" and self.keys[i] not in out:
                out.append(self.keys[i])
            i -= 1
        return out

    def titled_person(self, title_word: str, country: str | None, before: int) -> str | None:
        """The most recently mentioned person holding a title with this word."""
        best = None
        for person, held in self.titles.items():
            for title, body in held:
                if title_word in title.lower() and (country is None or body == country):
                    pos = self._last_mention(person, before)
                    if pos is not None and (best is None or pos > best[0]):
                        best = (pos, person)
        return best[1] if best else None

    def _last_mention(self, key: str, before: int) -> int | None:
        last = None
        for m, k in zip(self.mentions, self.keys, strict=True):
            if k == key and m.start < before:
                last = m.start
        return last



def _with_day(ent: Span) -> str:
    """A date entity with the day number the model left out before it ("12" + "March
    2025")."""
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    if before is not None and before.like_num and before.text.isdigit() and \
            1 <= int(before.text) <= 31 and ent[0].lower_.rstrip(".") in MONTH_WORDS:
        return f"{before.text} {ent.text}"
    return ent.text


def _group_post(token: Token) -> str | None:
    """The post a plural title noun names, with its qualifiers: "the foreign ministers" ->
    "foreign minister", "the two presidents" -> "president"; None for "the leaders",
    "the sides" and other nouns that name no post."""
    if token.lower_ not in {"ministers", "presidents", "premiers", "speakers", "chairmen"}:
        return None
    words = [c.lower_ for c in token.children if c.dep_ in {"amod", "compound"}
             and offices.is_title_word(c.text)]
    return " ".join([*words, "chairman" if token.lower_ == "chairmen" else token.lower_[:-1]])


def _embedded(token: Token) -> bool:
    """True when a token sits in a relative or complement clause of its sentence."""
    head = token
    for _ in range(8):
        if head.dep_ in {"relcl", "ccomp", "acl"}:
            return True
        if head.head.i == head.i:
            return False
        head = head.head
    return False


def clause_tokens(token: Token) -> list[Token]:
    """A token's subtree without embedded clauses (relative, adverbial, complement)."""
    out = [token]
    for child in token.children:
        if child.dep_ == "acl" and child.lemma_.lower() in {"lead", "head"}:
            out += clause_tokens(child)  # "a delegation led by X" is X's
            continue
        if child.dep_ in {"relcl", "advcl", "ccomp", "xcomp", "acl", "parataxis", "csubj"}:
            continue
        out += clause_tokens(child)
    return out


def is_negated(verb: Token) -> bool:
    """True when a verb says the thing did not happen: "did not meet", "never signed",
    "refused to sign", "declined to meet", "failed to agree"."""
    if any(c.dep_ == "neg" or c.lower_ in {"never", "not", "n't"} and c.dep_ == "advmod"
           for c in verb.children):
        return True
    head = verb.head
    return verb.dep_ in {"xcomp", "ccomp"} and head.i != verb.i and (
        head.lemma_.lower() in {"refuse", "decline", "reject", "fail", "deny"} or is_negated(head))


def is_planned(verb: Token) -> bool:
    """True when a verb reports something future, hoped for or invited, not done."""
    for child in verb.children:
        if child.dep_ in {"aux", "auxpass"} and child.lower_ in {"will", "would", "shall", "'ll",
                                                                 "to", "may", "might", "could"}:
            return True
    head = verb
    for _ in range(3):
        if head.dep_ in {"xcomp", "ccomp", "advcl", "acl", "relcl"} and head.head.i != head.i:
            if re.match(r"(expect|plan|schedul|invit|intend|hope|set|due|prepar|agree|decid|"
                        r"aim|propos|look|seek|want|wish)", head.head.lemma_.lower()):
                return True
            head = head.head
        else:
            break
    return False
