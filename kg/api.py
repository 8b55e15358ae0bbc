"""The Python API: build a graph from paths, open a built folder, query it, draw it.

The CLI is a thin shell over these functions; notebooks and other programs
call them directly.
"""
from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import RDF, Dataset, Graph

from kg import ingest, nlp, store
from kg import sparql as q
from kg.build import build_dataset
from kg.errors import InputError
from kg.model import Extraction
from kg.resolve import resolve
from kg.vocab import CORE_FACT_PREDICATES, DG, ENTITY_CLASSES

log = logging.getLogger(__name__)


@dataclass
class BuildResult:
    """What `build` made: the dataset, the per-article extractions, counts and problems."""

    dataset: Dataset
    extractions: list[Extraction]
    problems: list[InputError] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return summarize(self.dataset, len(self.extractions), len(self.problems))


def build(sources: Iterable[str | Path], out: str | Path | None = None, *,
          min_confidence: float = 0.0, html: bool = True,
          progress: Callable[[int, str], None] | None = None) -> BuildResult:
    """Read, extract, resolve and build a graph from files or folders of articles.

    With `out`, writes graph.trig, graph.ttl, graph.html, the manifest and each
    article's extraction into that folder. Files that cannot be read are
    reported in `BuildResult.problems` and skipped; the build goes on.
    `progress(n, source)` is called after each article.
    """
    from kg.extract import extract_articles  # spaCy is imported only when building

    problems: list[InputError] = []
    articles = ingest.iter_articles(sources, on_error=problems.append)
    pipeline = nlp.load()
    extractions = []
    for i, ex in enumerate(extract_articles(articles, pipeline), start=1):
        extractions.append(ex)
        if progress:
            progress(i, ex.article.source)
    extractions.sort(key=lambda e: e.article.id)
    res = resolve(extractions)
    ds = build_dataset(extractions, res, min_confidence=min_confidence)
    result = BuildResult(ds, extractions, problems)
    if out is not None:
        folder = Path(out)
        manifest = {
            "articles": {e.article.id: e.article.source for e in extractions},
            "min_confidence": min_confidence,
            "summary": result.summary(),
        }
        result.paths = store.save(ds, folder, extractions, manifest)
        if html:
            result.paths["html"] = render(ds, folder / store.GRAPH_HTML)
    return result


def open_graph(folder: str | Path) -> Dataset:
    """The dataset of a folder made by `build` (or of one RDF file)."""
    return store.load(Path(folder))


def query(graph: Graph, sparql: str, bindings: dict[str, Any] | None = None) -> q.Table:
    """Run a SELECT or ASK query and return its rows as strings."""
    return q.table(q.run(graph, sparql, bindings))


def query_named(graph: Graph, name: str, params: dict[str, Any] | None = None) -> q.Table:
    """Run a query of kg/queries by name, with parameters passed as bindings."""
    queries = q.named_queries()
    if name not in queries:
        raise q.QueryError(f"no query named {name!r}; known: {', '.join(queries)}")
    return query(graph, queries[name], params)


def render(graph: Graph, path: str | Path, *, title: str = "diplograph") -> Path:
    """Write the self-contained interactive HTML page of `graph` to `path`."""
    from kg.viz import write_html

    return write_html(graph, Path(path), title=title)


def summarize(ds: Graph, articles: int, skipped: int = 0) -> dict[str, Any]:
    """Counts of a graph: articles, entities by type, facts by kind."""
    entities = {name: len(set(ds.subjects(RDF.type, cls))) for name, cls in ENTITY_CLASSES.items()}
    facts: Counter[str] = Counter()
    for pred in CORE_FACT_PREDICATES:
        facts[str(pred).rsplit("#", 1)[-1]] = len(set(ds.subject_objects(pred)))
    facts["meetings"] = len(set(ds.subjects(RDF.type, DG.Meeting)))
    facts["partnerships"] = len(set(ds.subjects(RDF.type, DG.Partnership)))
    return {"articles": articles, "skipped": skipped, "entities": entities,
            "facts": dict(facts), "triples": len(ds)}
