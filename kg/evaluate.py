# mypy: ignore-errors
# Vendored from the project's shared scorer (eval/score.py) with its CLI replaced by
# `score()`; kept close to the original so that `kg eval` and score.py agree (tested).
"""Score a built graph against gold annotations in the shared gold format.

This is the project's evaluation scorer (the one `../shared/eval/score.py` runs
for the dev set), packaged so users can measure extraction on their own
corpus: `kg eval GOLD_DIR --graph DIR`. Gold files follow the format of
GOLD_FORMAT.md: one JSON file per article with `entities` and `facts`.

Facts are cut into atomic pieces (a pair of people met; they met at a place,
on a date; a party of an agreement; ...) and compared as sets over the corpus;
entities are compared by type and name.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from difflib import SequenceMatcher
from pathlib import Path

from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.errors import KGError

DG = Namespace("https://w3id.org/diplograph/ontology#")
PROV = Namespace("http://www.w3.org/ns/prov#")
ENTITY_TYPES = ["Person", "Country", "Organization", "Place", "Agreement", "Initiative", "Event"]
FORMATS = {".ttl": "turtle", ".trig": "trig", ".nq": "nquads", ".nt": "nt",
           ".jsonld": "json-ld", ".rdf": "xml", ".owl": "xml"}
class EvalError(KGError):
    """A gold folder or graph that cannot be scored."""


KINDS = ["position", "met", "met_at", "met_on", "party", "signatory", "signed_on",
         "member", "supports", "partnership"]


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("’", "'").replace("'s ", " ")
    text = re.sub(r"[^\w\s]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def similar(a: str, b: str) -> bool:
    """Loose equality for long names (agreement titles)."""
    if a == b:
        return True
    if min(len(a), len(b)) < 12:
        return False
    if a in b or b in a:
        return min(len(a), len(b)) / max(len(a), len(b)) >= 0.5
    return SequenceMatcher(None, a, b).ratio() >= 0.85


def title_match(predicted: str, gold_titles: list[str]) -> bool:
    p = set(norm(predicted).split())
    for g in gold_titles:
        gt = set(norm(g).split())
        if gt and (gt <= p or (p and p <= gt)):
            return True
    return False


def date_match(predicted: str | None, gold: str | None) -> bool:
    return bool(predicted and gold and str(predicted)[: len(gold)] == gold)


# ---------------------------------------------------------------- gold side

class Gold:
    """All gold files merged into one corpus.

    The same entity named in several files becomes one key: records of
    compatible type that share a name or an alias are joined. Agreements are
    joined only by equal names and overlapping parties, since generic titles
    ("Joint Statement") name different documents in different articles.
    """

    def __init__(self, folder: Path):
        self.files = sorted(folder.glob("*.json"))
        if not self.files:
            raise EvalError(f"{folder}: no gold files (*.json) here")
        self.types: dict[str, set[str]] = defaultdict(set)
        self.names: dict[str, set[str]] = defaultdict(set)
        self.optional: dict[str, bool] = {}
        self.parties: dict[str, set[str]] = defaultdict(set)
        self.pieces: dict[str, set] = defaultdict(set)
        self.optional_pieces: dict[str, set] = defaultdict(set)
        self.position_titles: dict[tuple, list[str]] = defaultdict(list)
        self.position_alt: dict[tuple, set[str]] = {}
        docs = [(f.name, json.loads(f.read_text())) for f in self.files]
        keys = self._join(docs)
        for fname, doc in docs:
            local = {e["name"]: keys[(fname, e["name"])] for e in doc.get("entities", [])}
            for e in doc.get("entities", []):
                key = local[e["name"]]
                self.types[key].update(as_list(e["type"]))
                self.names[key].add(norm(e["name"]))
                self.names[key].update(norm(a) for a in e.get("aliases", []))
                # required anywhere wins over optional somewhere
                self.optional[key] = self.optional.get(key, True) and bool(e.get("optional"))
            for fact in doc.get("facts", []):
                try:
                    pieces = self._cut(fact, local)
                except KeyError as missing:
                    raise EvalError(f"{fname}: a fact names the unknown entity {missing}") from None
                target = self.optional_pieces if fact.get("optional") else self.pieces
                for kind, piece in pieces:
                    target[kind].add(piece)
            for fact in doc.get("facts", []):
                if fact["rel"] == "agreement":
                    self.parties[local[fact["name"]]].update(local[p] for p in as_list(fact.get("parties")))

    @staticmethod
    def _join(docs: list) -> dict[tuple[str, str], str]:
        records = []  # (fname, name, types, names, parties)
        for fname, doc in docs:
            parties = defaultdict(set)
            for fact in doc.get("facts", []):
                if fact["rel"] == "agreement":
                    parties[fact["name"]].update(norm(p) for p in as_list(fact.get("parties")))
            for e in doc.get("entities", []):
                names = {norm(e["name"])} | {norm(a) for a in e.get("aliases", [])}
                records.append((fname, e["name"], set(as_list(e["type"])), names, parties[e["name"]]))
        parent = list(range(len(records)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        by_name: dict[str, list[int]] = defaultdict(list)
        for i, (_, name, types, names, _) in enumerate(records):
            for n in ({norm(name)} if "Agreement" in types else names):
                by_name[n].append(i)
        for members in by_name.values():
            for j in members[1:]:
                a, b = records[members[0]], records[j]
                if not a[2] & b[2]:
                    continue
                if "Agreement" in a[2] and a[4] and b[4] and not a[4] & b[4]:
                    continue
                parent[find(j)] = find(members[0])
        clusters: dict[int, list[int]] = defaultdict(list)
        for i in range(len(records)):
            clusters[find(i)].append(i)
        keys, used = {}, set()
        for members in clusters.values():
            names = sorted(norm(records[i][1]) for i in members)
            key = max(set(names), key=names.count)
            if key in used:
                key = f"{key} #{records[members[0]][0]}"
            used.add(key)
            for i in members:
                keys[(records[i][0], records[i][1])] = key
        return keys

    def _cut(self, fact: dict, local: dict) -> list[tuple[str, tuple]]:
        ids = lambda names: [local[n] for n in as_list(names)]  # noqa: E731
        rel = fact["rel"]
        out = []
        if rel == "position":
            # the first `of` names the piece; the others are accepted in its place
            orgs = ids(fact["of"])
            piece = (local[fact["person"]], orgs[0])
            self.position_titles[piece] += as_list(fact.get("title"))
            self.position_alt[piece] = set(orgs)
            out.append(("position", piece))
        elif rel == "meeting":
            people = sorted(set(ids(fact["participants"])))
            for i, a in enumerate(people):
                for b in people[i + 1:]:
                    out.append(("met", (a, b)))
                    if fact.get("place"):
                        out.append(("met_at", (a, b, local[fact["place"]])))
                    if fact.get("date"):
                        out.append(("met_on", (a, b, fact["date"])))
        elif rel == "agreement":
            a = local[fact["name"]]
            out += [("party", (a, p)) for p in ids(fact.get("parties"))]
            out += [("signatory", (a, p)) for p in ids(fact.get("signatories"))]
            if fact.get("date"):
                out.append(("signed_on", (a, fact["date"])))
        elif rel == "member":
            out.append(("member", (local[fact["member"]], local[fact["org"]])))
        elif rel == "supports":
            out.append(("supports", (local[fact["who"]], local[fact["what"]])))
        elif rel == "partnership":
            pair = tuple(sorted(ids(fact["between"])))
            out.append(("partnership", pair + (norm(fact.get("level", "")),)))
        else:
            raise ValueError(f"unknown rel {rel}")
        return out


# ----------------------------------------------------------- graph side

def load_graph(path: Path) -> Dataset:
    ds = Dataset(default_union=True)
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.suffix in FORMATS)
    if not files:
        raise EvalError(f"{path}: no RDF files here")
    for f in files:
        if f.suffix in FORMATS:
            ds.parse(f, format=FORMATS[f.suffix])
    return ds


class Mapper:
    """Maps graph nodes to gold entity keys by their names."""

    def __init__(self, g: Dataset, gold: Gold):
        self.g, self.gold = g, gold
        self.index: dict[str, set[str]] = defaultdict(set)
        for key, names in gold.names.items():
            for n in names:
                self.index[n].add(key)
        self.cache: dict = {}

    def labels(self, node) -> set[str]:
        out = {norm(o) for o in self.g.objects(node, RDFS.label)}
        out |= {norm(o) for o in self.g.objects(node, SKOS.prefLabel)}
        out |= {norm(o) for o in self.g.objects(node, SKOS.altLabel)}
        return {x for x in out if x}

    def types(self, node) -> set[str]:
        return {str(t).rsplit("#", 1)[-1] for t in self.g.objects(node, RDF.type)
                if str(t).startswith(str(DG))}

    def candidates(self, node) -> set[str]:
        if node in self.cache:
            return self.cache[node]
        found: set[str] = set()
        labels = self.labels(node)
        if not labels and not isinstance(node, URIRef):
            labels = {norm(node)}  # a literal used where a node was expected
        for lab in labels:
            found |= self.index.get(lab, set())
        if not found:
            for lab in labels:
                for key, names in self.gold.names.items():
                    if "Agreement" in self.gold.types[key] or "Initiative" in self.gold.types[key]:
                        if any(similar(lab, n) for n in names):
                            found.add(key)
        ntypes = self.types(node)
        if ntypes:
            typed = {k for k in found if self._compatible(ntypes, self.gold.types[k])}
            found = typed or found
        self.cache[node] = found
        return found

    @staticmethod
    def _compatible(ntypes: set[str], gtypes: set[str]) -> bool:
        if "Meeting" in ntypes:
            ntypes = ntypes | {"Event"}
        return bool(ntypes & gtypes)

    def one(self, node) -> str | None:
        found = self.candidates(node)
        if not found:
            return None
        if len(found) == 1:
            return next(iter(found))
        if "Agreement" in self.types(node):
            # a generic title names several documents: the parties tell them apart
            parties = {self.one(p) for p in self.g.objects(node, DG.party)} - {None}
            best = max(sorted(found), key=lambda k: len(parties & self.gold.parties[k]))
            if parties & self.gold.parties[best]:
                return best
        labels = {norm(o) for o in self.g.objects(node, RDFS.label)}
        exact = sorted(k for k in found if k.split(" #")[0] in labels)
        return exact[0] if exact else sorted(found)[0]


def predicted_pieces(g: Dataset, m: Mapper) -> tuple[dict[str, set], dict[str, int]]:
    pieces: dict[str, set] = defaultdict(set)
    unmapped: dict[str, int] = defaultdict(int)

    def add(kind, *nodes, extra=()):
        keys = []
        for n in nodes:
            k = m.one(n)
            if k is None:
                unmapped[kind] += 1
                pieces[kind].add(("?",) + tuple(str(x) for x in nodes) + tuple(extra))
                return
            keys.append(k)
        pieces[kind].add(tuple(keys) + tuple(extra))

    positions = []
    for person, pos in g.subject_objects(DG.holds):
        titles = [str(t) for t in g.objects(pos, DG.title)]
        for org in g.objects(pos, DG.postIn):
            positions.append((person, org, titles))
    for person, org, titles in positions:
        pk, ok = m.one(person), m.one(org)
        if pk is None or ok is None:
            unmapped["position"] += 1
            pieces["position"].add(("?", str(person), str(org)))
            continue
        piece = (pk, ok)
        for (gp, go), alts in m.gold.position_alt.items():
            if gp == pk and ok in alts:
                piece = (gp, go)
        gold_titles = m.gold.position_titles.get(piece)
        if gold_titles is not None and not any(title_match(t, gold_titles) for t in titles):
            piece = piece + ("wrong title: " + "/".join(titles),)
        pieces["position"].add(piece)

    for meeting in set(g.subjects(RDF.type, DG.Meeting)):
        people = []
        for p in g.objects(meeting, DG.participant):
            if "Person" in m.types(p) or (m.one(p) and "Person" in m.gold.types[m.one(p)]):
                people.append(p)
        places = list(g.objects(meeting, DG.location))
        dates = [str(d) for d in g.objects(meeting, DG.date)]
        keys = sorted({m.one(p) or f"?{p}" for p in people})
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                pieces["met"].add((a, b))
                for pl in places:
                    pieces["met_at"].add((a, b, m.one(pl) or f"?{pl}"))
                for d in dates:
                    pieces["met_on"].add((a, b, d))

    for agreement in set(g.subjects(RDF.type, DG.Agreement)):
        for party in g.objects(agreement, DG.party):
            add("party", agreement, party)
        for signer in g.objects(agreement, DG.signatory):
            add("signatory", agreement, signer)
        for d in g.objects(agreement, DG.date):
            ak = m.one(agreement)
            pieces["signed_on"].add((ak or f"?{agreement}", str(d)))

    for member, org in g.subject_objects(DG.memberOf):
        add("member", member, org)
    for who, what in g.subject_objects(DG.supports):
        add("supports", who, what)
    for p in set(g.subjects(RDF.type, DG.Partnership)):
        partners = sorted(m.one(x) or f"?{x}" for x in g.objects(p, DG.partner))
        for level in g.objects(p, DG.level) or [""]:
            if len(partners) == 2:
                pieces["partnership"].add(tuple(partners) + (norm(level),))
    return pieces, unmapped


def same(kind: str, p: tuple, g: tuple) -> bool:
    """Dates match by prefix: a predicted full date satisfies a gold year-month."""
    if kind in ("met_on", "signed_on"):
        return p[:-1] == g[:-1] and date_match(p[-1], g[-1])
    return p == g


def prf(tp: int, npred: int, ngold: int) -> dict:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "pred": npred, "gold": ngold, "p": round(p, 3), "r": round(r, 3), "f1": round(f, 3)}


def score_entities(g: Dataset, m: Mapper, gold: Gold) -> tuple[dict, dict, list]:
    nodes = set()
    for t in ENTITY_TYPES:
        nodes |= set(g.subjects(RDF.type, DG[t]))
    nodes -= set(g.subjects(RDF.type, DG.Meeting))
    hit_by: dict[str, list] = defaultdict(list)
    false_nodes, conflated = [], []
    for n in nodes:
        found = m.candidates(n)
        if not found:
            false_nodes.append(n)
            continue
        required = {k for k in found if not gold.optional[k]}
        if "Agreement" in m.types(n):
            # generic titles are shared by design; a merge shows as two full names on one node
            labels = m.labels(n)
            required = {k for k in required if k.split(" #")[0] in labels}
        if len({k.split(" #")[0] for k in required}) > 1:
            conflated.append((str(n), sorted(found)))
        hit_by[m.one(n)].append(n)
    required = [k for k in gold.types if not gold.optional[k]]
    tp = sum(1 for k in required if hit_by.get(k))
    npred = tp + len(false_nodes)
    fragmented = {k: len(v) for k, v in hit_by.items() if len(v) > 1}
    ent = prf(tp, npred, len(required))
    quality = {"nodes": len(nodes), "fragmented_entities": len(fragmented),
               "extra_nodes_from_fragments": sum(v - 1 for v in fragmented.values()),
               "conflated_nodes": len(conflated)}
    missed = [k for k in required if not hit_by.get(k)]
    errors = {"missed": missed[:200], "false": [str(x) for x in false_nodes][:200],
              "conflated": conflated[:50], "fragmented": fragmented}
    return ent, quality, [errors]


def provenance_coverage(g: Dataset) -> dict:
    core = [DG.holds, DG.participant, DG.party, DG.signatory, DG.memberOf, DG.supports, DG.partner]
    total = covered = 0
    reified = defaultdict(bool)
    for st in g.subjects(RDF.type, RDF.Statement):
        s, p, o = (g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object))
        if g.value(st, PROV.wasDerivedFrom) is not None and g.value(st, DG.evidence) is not None:
            reified[(s, p, o)] = True
    for pred in core:
        for s, o in g.subject_objects(pred):
            total += 1
            covered += reified[(s, pred, o)]
    return {"core_triples": total, "with_source_and_evidence": covered,
            "coverage": round(covered / total, 3) if total else 0.0}


def score(g: Graph, gold_dir: Path, *, show_errors: int = 0) -> dict:
    """The report for graph `g` against the gold files of `gold_dir`: precision, recall
    and F1 per piece kind, over all facts and for entities, plus resolution quality and
    provenance coverage; with `show_errors`, up to that many missed/spurious pieces."""
    gold = Gold(Path(gold_dir))
    if not isinstance(g, Dataset):
        ds = Dataset(default_union=True)
        for t in g:
            ds.add(t)
        g = ds
    m = Mapper(g, gold)
    pred, _unmapped = predicted_pieces(g, m)
    report: dict = {"gold_files": len(gold.files), "triples": len(g), "kinds": {}}
    tp_all = pred_all = gold_all = 0
    errors = {}
    for kind in KINDS:
        gp = gold.pieces.get(kind, set())
        opt = gold.optional_pieces.get(kind, set())
        pp = pred.get(kind, set())
        hits = {x for x in gp if any(same(kind, p, x) for p in pp)}
        right = {p for p in pp if any(same(kind, p, x) for x in gp)}
        ignored = {p for p in pp - right if any(same(kind, p, o) for o in opt)}
        row = prf(len(hits), len(right) + len(pp - right - ignored), len(gp))
        report["kinds"][kind] = row
        tp_all, pred_all, gold_all = tp_all + row["tp"], pred_all + row["pred"], gold_all + row["gold"]
        errors[kind] = {"missed": sorted(map(str, gp - hits))[:show_errors],
                        "spurious": sorted(map(str, pp - right - ignored))[:show_errors]}
    report["facts"] = prf(tp_all, pred_all, gold_all)
    report["entities"], report["resolution"], ent_err = score_entities(g, m, gold)
    report["provenance"] = provenance_coverage(g)
    if show_errors:
        report["errors"] = errors
        report["entity_errors"] = ent_err[0]
    return report
