"""Extractions + resolution -> an rdflib Dataset: the only module that writes triples.

Each article's facts go into that article's named graph (its IRI is the
article's). Entity IRIs are minted from type and canonical name, fact nodes
from what they relate, so rebuilding is a no-op and merging is set union
(except the corroboration counts, `kg.corroborate`, and the entities'
`dg:degree`, which count the whole corpus). Every core fact triple gets one
rdf:Statement per supporting sentence, with the article, the sentence and a
confidence. A node's rdf:type is the type resolution chose for it.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from rdflib import RDF, RDFS, SKOS, XSD, Dataset, Literal, Namespace, URIRef

from kg.corroborate import annotate
from kg.model import Extraction, Fact
from kg.resolve import Resolution
from kg.serialize import bind_prefixes
from kg.vocab import DG, ENTITY_CLASSES, ID

PROV = Namespace("http://www.w3.org/ns/prov#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
# an entity's degree: the distinct nodes linked to it by these core facts, where it is the
# subject (DEGREE_OUT) or the object (DEGREE_IN); a meeting, post or partnership node counts
# as one neighbour of each of its participants, holder or partners
DEGREE_OUT = (DG.holds, DG.party, DG.signatory, DG.memberOf, DG.supports)
DEGREE_IN = (DG.participant, DG.party, DG.signatory, DG.memberOf, DG.supports, DG.partner)


def article_iri(article_id: str) -> URIRef:
    return ID[f"article/{article_id}"]


def _h(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()[:16]


def date_literal(value: str) -> Literal:
    """An xsd:date, xsd:gYearMonth or xsd:gYear literal, by the granularity of `value`."""
    if len(value) == 10:
        return Literal(value, datatype=XSD.date)
    if len(value) == 7:
        return Literal(value, datatype=XSD.gYearMonth)
    return Literal(value, datatype=XSD.gYear)


class TripleSink(Protocol):
    """Where one graph's triples go: an rdflib Graph, or a list (`TripleLists`)."""

    def add(self, triple: tuple[Any, Any, Any]) -> Any: ...


class DatasetSink(Protocol):
    """What `add_article` writes into: an rdflib Dataset, or `TripleLists`."""

    def graph(self, identifier: Any) -> Any: ...


class TripleLists:
    """A stand-in for a Dataset that keeps each named graph's triples in a list, in the
    order they are added (repeats kept): for streaming an article's triples into a store
    without building an rdflib graph. `core` lists the (s, p, o) of every core fact
    written with its rdf:Statement (what corroboration counts)."""

    def __init__(self) -> None:
        self.graphs: dict[Any, list[tuple[Any, Any, Any]]] = {}
        self.core: list[tuple[Any, Any, Any]] = []

    def graph(self, identifier: Any) -> _ListGraph:
        return _ListGraph(self.graphs.setdefault(identifier, []))


class _ListGraph:
    def __init__(self, triples: list[tuple[Any, Any, Any]]) -> None:
        self.triples = triples

    def add(self, triple: tuple[Any, Any, Any]) -> None:
        self.triples.append(triple)


def new_dataset() -> Dataset:
    ds = Dataset(default_union=True)
    bind_prefixes(ds)
    return ds


def build_dataset(extractions: Iterable[Extraction], res: Resolution, *,
                  min_confidence: float = 0.0) -> Dataset:
    """The whole graph: one named graph per article, with corroboration counts
    (`kg.corroborate`) on statements and fact nodes."""
    ds = new_dataset()
    exs = list(extractions)
    for ex in exs:
        add_article(ds, ex, res, min_confidence=min_confidence)
    annotate(ds, {ex.article.id: ex.article for ex in exs},
             {article_iri(ex.article.id): ex.article.id for ex in exs})
    add_degrees(ds)
    return ds


def add_degrees(ds: Dataset) -> None:
    """Write each entity's dg:degree (the distinct nodes DEGREE_OUT and DEGREE_IN facts of
    the whole dataset link it to) in every article graph that types it, when at least one
    (`ds` mutated). `kg.bulk` writes the same into a store."""
    neighbours: dict[object, set[object]] = defaultdict(set)
    for p in DEGREE_OUT:
        for s, _, o, _ in ds.quads((None, p, None, None)):
            neighbours[s].add(o)
    for p in DEGREE_IN:
        for s, _, o, _ in ds.quads((None, p, None, None)):
            neighbours[o].add(s)
    for g in list(ds.graphs()):
        for cls in ENTITY_CLASSES.values():
            for node in set(g.subjects(RDF.type, cls)):
                if neighbours.get(node):
                    g.add((node, DG.degree, Literal(len(neighbours[node]), datatype=XSD.integer)))


def add_article(ds: DatasetSink, ex: Extraction, res: Resolution, *,
                min_confidence: float = 0.0) -> Any:
    """Write one article's named graph into `ds` (mutated) and return it."""
    art = ex.article
    g = ds.graph(article_iri(art.id))
    a = article_iri(art.id)
    g.add((a, RDF.type, DG.Article))
    if art.title:
        g.add((a, DCTERMS.title, Literal(art.title)))
    # an article without a title is labelled by its file name
    g.add((a, RDFS.label, Literal(art.title or Path(art.source.rsplit(":", 1)[0]).name)))
    if art.published:
        g.add((a, DG.published, date_literal(art.published)))
    if art.url:
        g.add((a, DG.url, Literal(art.url, datatype=XSD.anyURI)))
    g.add((a, DG.source, Literal(art.source)))
    iri = {}
    for e in ex.entities:
        node = res.node(art.id, e.key)
        s = ID[node.slug]
        iri[e.key] = s
        g.add((s, RDF.type, DG[node.type]))
        g.add((s, RDFS.label, Literal(node.name)))
        for alt in sorted({e.name, *e.aliases} - {node.name}):
            g.add((s, SKOS.altLabel, Literal(alt)))
        for key in {name.lower() for name in (node.name, e.name, *e.aliases)}:
            g.add((s, DG.nameKey, Literal(key)))  # what the query library matches names on
        if e.attr("status"):
            g.add((s, DG.status, Literal(e.attr("status"))))
        g.add((a, DG.mentions, s))
    writer = _FactWriter(g, a, iri, art.id, core=getattr(ds, "core", None))
    for fact in ex.facts:
        if fact.confidence >= min_confidence:
            writer.add(fact)
    return g


class _FactWriter:
    """Turns Facts into triples plus their rdf:Statement provenance in one graph."""

    def __init__(self, g: TripleSink, article: URIRef, iri: dict[str, URIRef],
                 article_id: str, core: list[tuple[Any, Any, Any]] | None = None):
        self.g, self.article, self.iri, self.article_id = g, article, iri, article_id
        self.core = core  # where each core fact's (s, p, o) is also listed, if given

    def add(self, f: Fact) -> None:
        getattr(self, f"_{f.kind}")(f)

    def _core(self, s: URIRef, p: URIRef, o: URIRef, f: Fact, rule: str) -> None:
        g = self.g
        g.add((s, p, o))
        if self.core is not None:
            self.core.append((s, p, o))
        st = ID[f"statement/{_h(s, p, o, self.article, f.evidence)}"]
        g.add((st, RDF.type, RDF.Statement))
        g.add((st, RDF.subject, s))
        g.add((st, RDF.predicate, p))
        g.add((st, RDF.object, o))
        g.add((st, PROV.wasDerivedFrom, self.article))
        g.add((st, DG.evidence, Literal(f.evidence)))
        g.add((st, DG.confidence, Literal(Decimal(str(round(f.confidence, 2))),
                                          datatype=XSD.decimal)))
        g.add((st, DG.rule, Literal(rule)))

    def _ids(self, f: Fact, role: str) -> list[URIRef]:
        return [self.iri[k] for k in f.role(role) if k in self.iri]

    def _position(self, f: Fact) -> None:
        person, org = self._ids(f, "person"), self._ids(f, "org")
        if not person or not org:
            return
        pos = ID[f"position/{_h(person[0], org[0])}"]
        self.g.add((pos, RDF.type, DG.Position))
        self.g.add((pos, DG.postIn, org[0]))
        for title in (f.value("title") or "").split(" | "):
            if title:
                self.g.add((pos, DG.title, Literal(title)))
        self._core(person[0], DG.holds, pos, f, "position")

    def _meeting(self, f: Fact) -> None:
        people = sorted(self._ids(f, "participant"))
        if len(people) < 2:
            return
        date = f.value("date")
        places = self._ids(f, "location")
        # a dated meeting of the same people is one node across articles
        key = _h(*people, date) if date else _h(*people, self.article_id, *places)
        m = ID[f"meeting/{key}"]
        self.g.add((m, RDF.type, DG.Meeting))
        if date:
            self.g.add((m, DG.date, date_literal(date)))
        for place in places:
            self.g.add((m, DG.location, place))
        for event in self._ids(f, "event"):
            self.g.add((m, DG.partOf, event))
        for p in people:
            self._core(m, DG.participant, p, f, "meeting")

    def _agreement(self, f: Fact) -> None:
        ag = self._ids(f, "agreement")
        if not ag:
            return
        if f.value("date"):
            self.g.add((ag[0], DG.date, date_literal(f.value("date") or "")))
        for p in self._ids(f, "party"):
            self._core(ag[0], DG.party, p, f, "agreement")
        for p in self._ids(f, "signatory"):
            self._core(ag[0], DG.signatory, p, f, "agreement")

    def _member(self, f: Fact) -> None:
        for m in self._ids(f, "member"):
            for o in self._ids(f, "org"):
                self._core(m, DG.memberOf, o, f, "member")

    def _supports(self, f: Fact) -> None:
        for who in self._ids(f, "who"):
            for what in self._ids(f, "what"):
                self._core(who, DG.supports, what, f, "supports")

    def _partnership(self, f: Fact) -> None:
        partners = sorted(self._ids(f, "partner"))
        level = f.value("level") or ""
        if len(partners) != 2:
            return
        p = ID[f"partnership/{_h(*partners, level)}"]
        self.g.add((p, RDF.type, DG.Partnership))
        self.g.add((p, DG.level, Literal(level)))
        for c in partners:
            self._core(p, DG.partner, c, f, "partnership")
