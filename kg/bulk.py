"""Writing a build into its on-disk store without holding the whole graph in memory.

A folder build never makes one rdflib graph of the corpus (a million triples
take gigabytes in rdflib). Each article's graph is made alone (`kg.build`),
streamed into the Oxigraph bulk loader and dropped; what corroboration needs
is kept as small digests: for each core fact triple and each fact node, the
articles that support it. A second pass reads the statements and fact nodes
back from the store and writes their `dg:supportCount` and `dg:sourceCount`
(`kg.corroborate`), and each entity's `dg:degree` (counted by a query on the
store), through a temporary N-Quads file, loaded in bulk too. The result is the
same graph, triple for triple, as `build_dataset` (`annotate`, `add_degrees`).
"""
from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from kg.build import DEGREE_IN, DEGREE_OUT, TripleLists, add_article
from kg.corroborate import FACT_NODE_CLASSES, Sources
from kg.model import Extraction
from kg.oxstore import OX_PREFIXES, finish_store
from kg.resolve import Resolution
from kg.sparqltext import term
from kg.vocab import CORE_FACT_PREDICATES, DG, ENTITY_CLASSES

if TYPE_CHECKING:
    import pyoxigraph as ox

log = logging.getLogger(__name__)

BATCH = 50_000  # quads per bulk-load call: bounds the loader's memory
TERM_CACHE = 100_000  # rdflib -> pyoxigraph terms remembered while streaming
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
_STATEMENTS = """
SELECT ?g ?st ?s ?p ?o WHERE { GRAPH ?g {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
      prov:wasDerivedFrom ?article } }"""
_FACT_NODES = f"""
SELECT DISTINCT ?g ?node WHERE {{ GRAPH ?g {{ ?node a ?class }}
  VALUES ?class {{ {" ".join(f"<{c}>" for c in FACT_NODE_CLASSES)} }} }}"""
_DEGREES = f"""
SELECT ?e (COUNT(DISTINCT ?other) AS ?degree) WHERE {{
  {{ ?e {"|".join(f"<{p}>" for p in DEGREE_OUT)} ?other }}
  UNION {{ ?other {"|".join(f"<{p}>" for p in DEGREE_IN)} ?e }} }} GROUP BY ?e"""
_ENTITY_NODES = f"""
SELECT DISTINCT ?g ?node WHERE {{ GRAPH ?g {{ ?node a ?class }}
  VALUES ?class {{ {" ".join(f"<{c}>" for c in ENTITY_CLASSES.values())} }} }}"""


def _select(st: ox.Store, query: str) -> Iterator[Any]:
    """The solutions of a SELECT query on `st`."""
    yield from cast(Iterable[Any], st.query(query, prefixes=OX_PREFIXES))


def _key(*terms: str) -> bytes:
    return hashlib.blake2b("\x1f".join(terms).encode(), digest_size=12).digest()


class Support:
    """Which articles (by index) support each core triple and each fact node (digests)."""

    def __init__(self) -> None:
        self.triples: dict[bytes, list[int]] = defaultdict(list)
        self.nodes: dict[bytes, list[int]] = defaultdict(list)

    def record(self, article: int, s: str, p: str, o: str) -> None:
        tk = _key(s, p, o)
        if not self.triples[tk] or self.triples[tk][-1] != article:
            self.triples[tk].append(article)
        for node in (s, o):
            nk = _key(node)
            if not self.nodes[nk] or self.nodes[nk][-1] != article:
                self.nodes[nk].append(article)


def fill_store(st: ox.Store, extractions: Sequence[Extraction], res: Resolution, *,
               min_confidence: float = 0.0, scratch: Path) -> None:
    """Load the graph of `extractions` into the empty store `st` (mutated): each article's
    named graph, the merged default graph, the corroboration counts and degrees; then
    compacts it (`kg.oxstore.finish_store`). `scratch` is a folder for a temporary file."""
    import pyoxigraph as ox

    support = Support()
    _load(st, _article_quads(extractions, res, support, min_confidence))
    ids = [ex.article.id for ex in extractions]
    sources = Sources({ex.article.id: ex.article for ex in extractions})
    counts = scratch / ".counts.nq"
    try:
        with counts.open("w", encoding="utf-8") as out:
            for line in _count_lines(st, support, sources, ids):
                out.write(line)
            for line in _degree_lines(st):
                out.write(line)
        _load(st, ox.parse(path=str(counts), format=ox.RdfFormat.N_QUADS))
    finally:
        counts.unlink(missing_ok=True)
    finish_store(st)


def _load(st: ox.Store, items: Iterable[Any]) -> None:
    """Bulk-load `items` into `st` in batches: the loader holds what it is given in memory
    (a whole file at once takes gigabytes), so it is handed BATCH quads at a time."""
    batch: list[Any] = []
    for quad in items:
        batch.append(quad)
        if len(batch) >= BATCH:
            st.bulk_extend(batch)
            batch = []
    st.bulk_extend(batch)


def _article_quads(extractions: Sequence[Extraction], res: Resolution, support: Support,
                   min_confidence: float) -> Iterator[ox.Quad]:
    """Each article's triples as quads (in its named graph and in the default graph), one
    article in memory at a time, recording the support of its core facts in `support`."""
    import pyoxigraph as ox

    default = ox.DefaultGraph()
    terms: dict[Any, Any] = {}  # rdflib term -> pyoxigraph term, for terms seen before

    def ox_term(t: Any) -> Any:
        found = terms.get(t)
        if found is None:
            if len(terms) > TERM_CACHE:
                terms.clear()
            found = terms[t] = term(t)
        return found

    for n, ex in enumerate(extractions):
        lists = TripleLists()
        add_article(lists, ex, res, min_confidence=min_confidence)
        for name, triples in lists.graphs.items():
            graph = ox.NamedNode(str(name))
            for s, p, o in triples:
                q = (ox_term(s), ox_term(p), ox_term(o))
                yield ox.Quad(*q, graph)
                yield ox.Quad(*q, default)
        for s, p, o in lists.core:  # each core fact, with its statement in this article
            support.record(n, str(ox_term(s)), str(ox_term(p)), str(ox_term(o)))


def _count_lines(st: ox.Store, support: Support, sources: Sources, ids: list[str]
                 ) -> Iterator[str]:
    """N-Quads lines of the counts of every statement and fact node, in its article's graph
    and in the default graph (pyoxigraph terms print in N-Triples syntax)."""
    independent: dict[bytes, int] = {}

    def counts(arts: list[int], key: bytes) -> tuple[int, int]:
        if key not in independent:
            independent[key] = sources.count(ids[a] for a in arts)
        return len(arts), independent[key]

    support_p, source_p = f"<{DG.supportCount}>", f"<{DG.sourceCount}>"
    for row in _select(st, _STATEMENTS):
        g, stmt, s, p, o = (row[i] for i in range(5))
        key = _key(str(s), str(p), str(o))
        arts = support.triples.get(key)
        if not arts:
            continue
        n, m = counts(arts, b"t" + key)
        yield from _lines(stmt, support_p, n, source_p, m, g)
    for row in _select(st, _FACT_NODES):
        g, node = row[0], row[1]
        key = _key(str(node))
        arts = support.nodes.get(key)
        if not arts:
            continue
        n, m = counts(arts, b"n" + key)
        yield from _lines(node, support_p, n, source_p, m, g)


def _degree_lines(st: ox.Store) -> Iterator[str]:
    """N-Quads lines of each entity's dg:degree (see `kg.build.add_degrees`), in every article
    graph that types it and in the default graph."""
    degree = {str(row[0]): int(row[1].value) for row in _select(st, _DEGREES)}
    degree_p = f"<{DG.degree}>"
    for row in _select(st, _ENTITY_NODES):
        g, node = row[0], row[1]
        n = degree.get(str(node))
        if n:
            yield f'{node} {degree_p} "{n}"^^<{XSD_INTEGER}> {g} .\n'
            yield f'{node} {degree_p} "{n}"^^<{XSD_INTEGER}> .\n'


def _lines(subject: Any, support_p: str, n: int, source_p: str, m: int, g: Any
           ) -> Iterator[str]:
    for graph in (f" {g}", ""):
        yield f'{subject} {support_p} "{n}"^^<{XSD_INTEGER}>{graph} .\n'
        yield f'{subject} {source_p} "{m}"^^<{XSD_INTEGER}>{graph} .\n'


def summarize(st: ox.Store, articles: int, skipped: int = 0) -> dict[str, Any]:
    """Counts of the merged graph in a store: articles, entities by type, facts by kind
    (the same figures as `kg.api.summarize` of the rdflib graph)."""
    def one(query: str) -> int:
        rows = list(_select(st, query))
        return int(rows[0][0].value) if rows else 0

    entities = {name: one(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{cls}> }}")
                for name, cls in ENTITY_CLASSES.items()}
    facts = {str(pred).rsplit("#", 1)[-1]: one(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?o WHERE {{ ?s <{pred}> ?o }} }}")
        for pred in CORE_FACT_PREDICATES}
    facts["meetings"] = one(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{DG.Meeting}> }}")
    facts["partnerships"] = one(
        f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{DG.Partnership}> }}")
    triples = one("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return {"articles": articles, "skipped": skipped, "entities": entities,
            "facts": facts, "triples": triples}
