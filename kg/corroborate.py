"""Corroboration: how many articles, and how many independent sources, support each fact.

Counts are written on every `rdf:Statement` of a core fact (`dg:supportCount`,
`dg:sourceCount`: the counts of the triple the statement reifies, so every
statement of one triple carries the same two numbers) and on fact nodes
(meetings, positions, partnerships, agreements: the articles with any
statement about the node), in each article graph that holds them.

Independent sources: articles published under one URL host are one source
(without a URL, one input file is one source), and near-copies of one text
(a wire story republished: 5-word shingle Jaccard >= 0.8) count once, whatever
their hosts.
"""
from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from rdflib import RDF, XSD, Dataset, Literal, URIRef
from rdflib.namespace import PROV
from rdflib.term import IdentifiedNode, Node

from kg.model import Article
from kg.names import fold
from kg.vocab import CORE_FACT_PREDICATES, DG

SHINGLE = 5
NEAR_DUPLICATE = 0.8
SHINGLE_CACHE = 2048  # articles whose shingles are kept: memory stays bounded on any corpus
FACT_NODE_CLASSES = (DG.Meeting, DG.Position, DG.Partnership, DG.Agreement)


def source_key(article: Article) -> str:
    """The outlet an article stands for: its URL host (without "www."), else its file."""
    if article.url:
        host = urlsplit(article.url).hostname or ""
        if host:
            return "host:" + host.lower().removeprefix("www.")
    path = article.source
    head, sep, line = path.rpartition(":")
    if sep and line.isdigit():
        path = head  # one line of a JSON Lines file: the file is the source
    return "file:" + path


def shingles(text: str) -> frozenset[int]:
    """Hashes of the text's overlapping 5-word windows (folded words)."""
    words = fold(text).split()
    if len(words) < SHINGLE:
        return frozenset({hash(" ".join(words))})
    return frozenset(hash(" ".join(words[i:i + SHINGLE])) for i in range(len(words) - SHINGLE + 1))


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


class Sources:
    """Counts independent sources among sets of articles (pairs compared once)."""

    def __init__(self, articles: Mapping[str, Article]) -> None:
        self.articles = articles
        self._shingles: OrderedDict[str, frozenset[int]] = OrderedDict()
        self._near: dict[tuple[str, str], bool] = {}

    def _shingles_of(self, a: str) -> frozenset[int]:
        """The shingles of article `a`, from a cache of the SHINGLE_CACHE most recent."""
        if a in self._shingles:
            self._shingles.move_to_end(a)
            return self._shingles[a]
        found = self._shingles[a] = shingles(self.articles[a].text)
        if len(self._shingles) > SHINGLE_CACHE:
            self._shingles.popitem(last=False)
        return found

    def near_duplicates(self, a: str, b: str) -> bool:
        pair = (a, b) if a < b else (b, a)
        if pair not in self._near:
            self._near[pair] = jaccard(self._shingles_of(a), self._shingles_of(b)) >= NEAR_DUPLICATE
        return self._near[pair]

    def count(self, article_ids: Iterable[str]) -> int:
        """How many independent sources the articles stand for."""
        ids = sorted(a for a in set(article_ids) if a in self.articles)
        parent = {a: a for a in ids}

        def find(x: str) -> str:
            while parent[x] != x:
                x = parent[x]
            return x

        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                if find(a) != find(b) and (
                        source_key(self.articles[a]) == source_key(self.articles[b])
                        or self.near_duplicates(a, b)):
                    parent[find(b)] = find(a)
        return len({find(a) for a in ids})


def annotate(ds: Dataset, articles: Mapping[str, Article], article_of: Mapping[Node, str]
             ) -> None:
    """Add dg:supportCount and dg:sourceCount to statements and fact nodes (`ds` mutated).

    `article_of` maps an article IRI to its article id.
    """
    sources = Sources(articles)
    per_triple: dict[tuple[Node, Node, Node], set[str]] = defaultdict(set)
    per_node: dict[Node, set[str]] = defaultdict(set)
    statements: list[tuple[IdentifiedNode, URIRef, tuple[Node, Node, Node]]] = []
    for g in ds.graphs():
        for st in g.subjects(RDF.type, RDF.Statement):
            s, p, o = g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object)
            source = g.value(st, PROV.wasDerivedFrom)
            art = article_of.get(source) if source is not None else None
            if p not in CORE_FACT_PREDICATES or art is None or s is None or o is None:
                continue
            assert isinstance(st, URIRef) and p is not None
            per_triple[(s, p, o)].add(art)
            per_node[s].add(art)
            per_node[o].add(art)
            statements.append((g.identifier, st, (s, p, o)))
    independent = {triple: sources.count(arts) for triple, arts in per_triple.items()}
    for name, st, triple in statements:
        g = ds.graph(name)
        g.add((st, DG.supportCount, _int(len(per_triple[triple]))))
        g.add((st, DG.sourceCount, _int(independent[triple])))
    for g in ds.graphs():
        for cls in FACT_NODE_CLASSES:
            for node in set(g.subjects(RDF.type, cls)):
                if per_node.get(node):
                    g.add((node, DG.supportCount, _int(len(per_node[node]))))
                    g.add((node, DG.sourceCount, _int(sources.count(per_node[node]))))


def _int(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)
