"""Inputs for the benchmark: a corpus of distinct articles, and a synthetic graph of kg's shape.

`make_corpus` repeats real articles with their countries, years and a reference
line changed, so every copy is a distinct article that still reads like news.
`synthetic_nquads` writes an N-Quads file shaped like a `kg build` output (one
named graph per article; entities, posts, meetings, agreements, partnerships,
memberships, support, and an rdf:Statement with evidence for every core fact; names
with their dg:nameKey; each entity's dg:degree), with a few popular entities as in real
news, and returns
names to query for: the most mentioned person and countries, the worst case of a
query by name.
"""
from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

DG = "https://w3id.org/diplograph/ontology#"
ID = "https://w3id.org/diplograph/id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SWAP = ["Azerbaijan", "China", "Kazakhstan", "Pakistan", "Turkey", "Russia", "Latvia",
        "Estonia", "Germany", "France", "India", "Brazil", "Kenya", "Morocco", "Portugal",
        "Japan", "Egypt", "Mexico", "Norway", "Vietnam", "Chile", "Ghana", "Poland", "Spain"]
TITLES = ["President", "Prime Minister", "Foreign Minister", "Minister of Defence",
          "Ambassador", "Minister of Economy", "Speaker of Parliament"]
LEVELS = ["strategic partnership", "comprehensive strategic partnership", "partnership",
          "all-weather strategic cooperative partnership"]
# the core facts an entity's dg:degree counts, where it is the subject / the object (kg.build)
DEGREE_OUT = {f"<{DG}{p}>" for p in ("holds", "party", "signatory", "memberOf", "supports")}
DEGREE_IN = {f"<{DG}{p}>" for p in ("participant", "party", "signatory", "memberOf",
                                     "supports", "partner")}


def make_corpus(texts_dir: Path, n: int, out: Path) -> tuple[Path, int]:
    """Write `n` distinct articles made from the .txt files of `texts_dir` as JSON Lines.

    Returns the file and its number of words (whitespace-separated tokens).
    """
    sources = sorted(p.read_text(encoding="utf-8") for p in texts_dir.glob("*.txt"))
    if not sources:
        raise SystemExit(f"{texts_dir}: no .txt articles to make a corpus from")
    words = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        for i in range(n):
            copy, which = divmod(i, len(sources))
            text = sources[which]
            if copy:
                shift = copy % len(SWAP)
                mapping = {c: SWAP[(j + shift) % len(SWAP)] for j, c in enumerate(SWAP)}
                text = re.sub(r"\b(" + "|".join(SWAP) + r")\b",
                              lambda m, mp=mapping: mp[m[1]], text)  # type: ignore[misc]
                text = re.sub(r"\b20(1\d|2[0-5])\b",
                              lambda m, c=copy: str(2010 + (int(m[1]) + c) % 16),  # type: ignore[misc]
                              text)
            text = f"{text.rstrip()}\n\n(Reference {i}.)\n"
            words += len(text.split())
            f.write(json.dumps({"id": f"bench-{i}", "text": text}, ensure_ascii=False) + "\n")
    return out, words


@dataclass
class Samples:
    """Names of entities in the synthetic graph that the library queries are asked about."""

    person: str = ""
    country: str = ""
    country2: str = ""
    triples: int = 0
    articles: int = 0
    params: dict[str, dict[str, str]] = field(default_factory=dict)


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _h(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()[:16]


def synthetic_nquads(path: Path, triples: int, seed: int = 7) -> Samples:
    """Write about `triples` quads (rounded up to a whole article) to `path`; see module doc.

    Beside it, `path` with suffix .nt gets the same triples without their graph
    (with repeats: loading it into a store gives the merged graph).
    """
    rng = random.Random(seed)
    n_articles = max(10, triples // 107)
    n_countries, n_people = 195, max(50, n_articles // 3)
    n_orgs, n_places = 300, 600
    agreements: dict[tuple[int, int, int], tuple[int, str]] = {}
    countries = [f"Country {i:03d}" for i in range(n_countries)]
    people = [f"Person{i} Surname{i % 997}" for i in range(n_people)]
    home = [rng.randrange(n_countries) if i > 5 else i % 2 for i in range(n_people)]
    # a few popular entities, as in real news (Zipf-like weights)
    pw = [1 / (i + 1) ** 0.8 for i in range(n_people)]
    neighbours: dict[str, set[str]] = {}  # for each node, the nodes its core facts link
    typed: set[tuple[str, str]] = set()  # (entity, article graph typing it)
    count = 0
    with path.open("w", encoding="utf-8") as out, \
            path.with_suffix(".nt").open("w", encoding="utf-8") as flat:
        def q(s: str, p: str, o: str, g: str) -> None:
            nonlocal count
            out.write(f"{s} {p} {o} {g} .\n")
            flat.write(f"{s} {p} {o} .\n")
            count += 1

        def fact(s: str, p: str, o: str, g: str, art: str, sentence: str, rule: str) -> None:
            q(s, p, o, g)
            if p in DEGREE_OUT:
                neighbours.setdefault(s, set()).add(o)
            if p in DEGREE_IN:
                neighbours.setdefault(o, set()).add(s)
            st = f"<{ID}statement/{_h(s, p, o, art)}>"
            for pp, oo in ((f"<{RDF}type>", f"<{RDF}Statement>"), (f"<{RDF}subject>", s),
                           (f"<{RDF}predicate>", p), (f"<{RDF}object>", o),
                           (f"<{PROV}wasDerivedFrom>", art),
                           (f"<{DG}evidence>", _lit(sentence)),
                           (f"<{DG}confidence>", f'"0.8"^^<{XSD}decimal>'),
                           (f"<{DG}rule>", _lit(rule))):
                q(st, pp, oo, g)

        def entity(kind: str, i: int, label: str, g: str, art: str, alt: str | None = None
                   ) -> str:
            node = f"<{ID}{kind.lower()}/{i}>"
            q(node, f"<{RDF}type>", f"<{DG}{kind}>", g)
            typed.add((node, g))
            q(node, f"<{RDFS}label>", _lit(label), g)
            q(node, f"<{DG}nameKey>", _lit(label.lower()), g)
            if alt:
                q(node, f"<{SKOS}altLabel>", _lit(alt), g)
                q(node, f"<{DG}nameKey>", _lit(alt.lower()), g)
            q(art, f"<{DG}mentions>", node, g)
            return node

        for a in range(n_articles):
            art = f"<{ID}article/a{a}>"
            g = art
            day = f"20{rng.randint(15, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            q(art, f"<{RDF}type>", f"<{DG}Article>", g)
            q(art, f"<{RDFS}label>", _lit(f"Article {a}"), g)
            q(art, f"<{DG}published>", f'"{day}"^^<{XSD}date>', g)
            q(art, f"<{DG}source>", _lit(f"news/{a}.txt"), g)
            who = rng.choices(range(n_people), pw, k=2)
            if who[0] == who[1]:
                who[1] = (who[1] + 1) % n_people
            sentence = f"{people[who[0]]} met {people[who[1]]} on {day}."
            pnodes = []
            for i in who:
                c = home[i]
                pn = entity("Person", i, people[i], g, art, people[i].split()[-1])
                cn = entity("Country", c, countries[c], g, art, f"Republic of {countries[c]}")
                pos = f"<{ID}position/{_h(i, c)}>"
                q(pos, f"<{RDF}type>", f"<{DG}Position>", g)
                q(pos, f"<{DG}title>", _lit(TITLES[i % len(TITLES)]), g)
                q(pos, f"<{DG}postIn>", cn, g)
                fact(pn, f"<{DG}holds>", pos, g, art, sentence, "position")
                pnodes.append(pn)
            place = rng.randrange(n_places)
            pl = entity("Place", place, f"City {place}", g, art)
            m = f"<{ID}meeting/{_h(*sorted(who), day)}>"
            q(m, f"<{RDF}type>", f"<{DG}Meeting>", g)
            q(m, f"<{DG}date>", f'"{day}"^^<{XSD}date>', g)
            q(m, f"<{DG}location>", pl, g)
            for pn in pnodes:
                fact(m, f"<{DG}participant>", pn, g, art, sentence, "meeting")
            cs = sorted({home[who[0]], home[who[1]]})
            if len(cs) == 2 and rng.random() < 0.5:
                # an agreement has fixed parties and date (up to 3 per pair of countries);
                # later articles report it again
                k, signed = agreements.setdefault((*cs, rng.randrange(3)), (len(agreements), day))
                ag = entity("Agreement", k, f"Agreement {k} on Cooperation", g, art)
                q(ag, f"<{DG}date>", f'"{signed}"^^<{XSD}date>', g)
                for c in cs:
                    fact(ag, f"<{DG}party>", f"<{ID}country/{c}>", g, art, sentence, "agreement")
                fact(ag, f"<{DG}signatory>", pnodes[0], g, art, sentence, "agreement")
            if len(cs) == 2 and rng.random() < 0.3:
                level = LEVELS[(cs[0] + cs[1]) % len(LEVELS)]
                ps = f"<{ID}partnership/{_h(*cs, level)}>"
                q(ps, f"<{RDF}type>", f"<{DG}Partnership>", g)
                q(ps, f"<{DG}level>", _lit(level), g)
                for c in cs:
                    fact(ps, f"<{DG}partner>", f"<{ID}country/{c}>", g, art, sentence,
                         "partnership")
            if rng.random() < 0.3:
                o = rng.randrange(n_orgs)
                on = entity("Organization", o, f"Organisation {o}", g, art)
                fact(f"<{ID}country/{cs[0]}>", f"<{DG}memberOf>", on, g, art, sentence,
                     "member")
            if rng.random() < 0.3:
                k = rng.randrange(200)
                ini = entity("Initiative", k, f"Initiative {k}", g, art)
                fact(f"<{ID}country/{cs[-1]}>", f"<{DG}supports>", ini, g, art, sentence,
                     "supports")
        for node, g in sorted(typed):
            if node in neighbours:
                q(node, f"<{DG}degree>", f'"{len(neighbours[node])}"^^<{XSD}integer>', g)
    s = Samples(person=people[0], country=countries[0], country2=countries[1], triples=count,
                articles=n_articles)
    s.params = {
        "meetings": {"person": s.person}, "agreements": {"country": s.country},
        "positions": {"country": s.country}, "office_holders": {"country": s.country},
        "evidence": {"name": s.person}, "most_connected": {"kind": "Country"},
        "timeline": {"country1": s.country, "country2": s.country2},
    }
    return s
