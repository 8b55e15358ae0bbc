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

from kg import changes, incremental, ingest, lock, store
from kg import sparql as q
from kg.aliases import Aliases, load_aliases, parse_aliases
from kg.build import build_dataset
from kg.engine import Engine
from kg.errors import GraphNotFoundError, InputError, NoArticlesError
from kg.model import Extraction
from kg.parallel import EngineName
from kg.resolve import Resolution, resolve
from kg.serialize import bind_prefixes
from kg.validate import ValidationReport, validate_store
from kg.vocab import CORE_FACT_PREDICATES, DG, ENTITY_CLASSES

log = logging.getLogger(__name__)
STATE = "state.json"
# the largest graph a folder build also loads into rdflib to draw the page
IN_MEMORY_LIMIT = 300_000


@dataclass
class BuildResult:
    """What `build` (or `remove`) made: the per-article extractions, how many articles were
    extracted and how many reused from the output folder, the resolution, the change log
    against the previous build, the SHACL report, problems, and the graph (`dataset`:
    read from the folder on first use, or held in memory when built without a folder)."""

    extractions: list[Extraction]
    problems: list[InputError] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)
    extracted: int = 0
    reused: int = 0
    resolution: Resolution | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    validation: ValidationReport | None = None
    folder: Path | None = None
    counts: dict[str, Any] | None = None
    _dataset: Dataset | None = field(default=None, repr=False)

    @property
    def dataset(self) -> Dataset:
        """The graph as an rdflib Dataset (a named graph per article)."""
        if self._dataset is None:
            if self.folder is None:
                raise GraphNotFoundError("this build kept no graph")
            self._dataset = store.load(self.folder)
        return self._dataset

    def summary(self) -> dict[str, Any]:
        s = dict(self.counts) if self.counts else summarize(self.dataset, len(self.extractions))
        s.update(skipped=len(self.problems), extracted=self.extracted, reused=self.reused)
        return s


def build(sources: Iterable[str | Path], out: str | Path | None = None, *,
          min_confidence: float = 0.0, html: bool = True,
          progress: Callable[[int, str], None] | None = None,
          aliases: str | Path | Aliases | None = None,
          validate: bool = True, workers: int = 1, engine: EngineName = "local",
          scheduler: str | None = None, strict: bool = False,
          stage: Callable[[str], None] | None = None,
          lock_wait: float | None = None) -> BuildResult:
    """Read, extract, resolve and build a graph from files or folders of articles.

    With `out`, writes graph.trig, graph.ttl, graph.html, the manifest, each
    article's extraction, resolution.json and changes.json into that folder, and
    reuses the extractions already there: an article is extracted only when it is
    new, its text or metadata changed, or the extractor changed. The graph is of
    exactly the articles of `sources`; articles built before but not given now are
    dropped. Files that cannot be read are reported in `BuildResult.problems` and
    skipped; the build goes on. `aliases` is an alias file (see `kg.aliases`).
    `progress(n, source)` is called after each article. With `validate`, the graph
    is checked against ontology/shapes.ttl (`BuildResult.validation`).
    Extraction runs on `workers` local processes, or on a Dask cluster with
    `engine="dask"` (`scheduler`: its address; a local cluster when None); the graph
    is the same either way (`kg.parallel`). With `strict`, the first input that
    cannot be read raises its InputError before `out` is touched; with no readable
    article at all, NoArticlesError is raised and `out` is not touched either. `out`
    is locked while the build reads and writes it (`kg.lock`: FolderLockedError if busy
    after `lock_wait` seconds; None: $KG_LOCK_WAIT, else 0). `stage(what)` is called as
    each step after extraction begins ("resolving entities", "writing the store"...).
    """
    problems: list[InputError] = []
    rules = aliases if isinstance(aliases, Aliases) else load_aliases(aliases)
    articles = list(ingest.iter_articles(sources, on_error=None if strict else problems.append))
    folder = Path(out) if out is not None else None
    if folder is not None and not articles:
        raise NoArticlesError(folder, problems)
    with lock.hold(folder, wait=lock_wait):
        cache = incremental.Cache.open(folder)
        plan = cache.plan(articles)
        done = 0
        for ex in plan.reused:
            done += 1
            if progress:
                progress(done, ex.article.source)
        extracted = []
        if plan.todo:
            from kg.parallel import extract  # spaCy is imported only when extracting

            for ex in extract(plan.todo, workers=workers, engine=engine, scheduler=scheduler):
                extracted.append(ex)
                done += 1
                if progress:
                    progress(done, ex.article.source)
        log.info("%d article(s) extracted, %d reused from %s", len(extracted), len(plan.reused),
                 folder)
        result = _finish(plan.reused + extracted, folder, cache, min_confidence=min_confidence,
                         aliases=rules, html=html, validate=validate, stage=stage)
    result.problems, result.extracted, result.reused = problems, len(extracted), len(plan.reused)
    return result


def remove(folder: str | Path, article: str, *, html: bool = True,
           validate: bool = True, stage: Callable[[str], None] | None = None,
           lock_wait: float | None = None) -> BuildResult:
    """Remove one article (an id or the source it was read from) from a built folder.

    Its named graph goes, and with it every fact no other article supports; the
    other articles are not extracted again. Raises ArticleNotFoundError when the
    folder's manifest does not list the article. The folder is locked meanwhile
    (`lock_wait` and `stage` as for `build`).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise GraphNotFoundError(f"{folder}: no such folder; build one first with: "
                                 f"kg build SOURCES --out {folder}")
    with lock.hold(folder, wait=lock_wait):
        cache = incremental.Cache.open(folder)
        if cache.manifest is None:
            raise GraphNotFoundError(f"{folder}: no manifest here; build one first with: "
                                     f"kg build SOURCES --out {folder}")
        gone = cache.find(article)
        extractions = [ex for ex in cache.all() if ex.article.id != gone]
        manifest = cache.manifest
        result = _finish(extractions, folder, cache,
                         min_confidence=float(manifest.get("min_confidence", 0.0)),
                         aliases=parse_aliases(manifest.get("aliases"), folder / store.MANIFEST),
                         html=html, validate=validate, stage=stage)
    result.reused = len(extractions)
    return result


def validate_graph(graph: str | Path | Graph, *, shown: int | None = None) -> ValidationReport:
    """Check a built folder (its on-disk store; or an RDF file, or a graph) against
    ontology/shapes.ttl, listing the first `shown` violations."""
    from kg.oxstore import open_read_only
    from kg.validate import SHOWN, validate, validate_store

    limit = SHOWN if shown is None else shown
    if isinstance(graph, Graph):
        return validate(graph, shown=limit)
    path = store.store_path(Path(graph)) if Path(graph).is_dir() else None
    if path is not None:
        return validate_store(open_read_only(path), shown=limit)
    return validate(open_graph(graph), shown=limit)


def _finish(extractions: list[Extraction], folder: Path | None, cache: incremental.Cache, *,
            min_confidence: float, aliases: Aliases, html: bool, validate: bool,
            stage: Callable[[str], None] | None = None) -> BuildResult:
    """Resolve, build, validate and (with a folder) write a graph of `extractions`.

    Without a folder the graph is an rdflib Dataset in memory. With one, it is streamed
    into the folder's new on-disk store (`kg.bulk`), never whole in memory, and the SHACL
    check runs on that store; the page, which needs the graph in rdflib, is drawn up to
    IN_MEMORY_LIMIT triples.
    """
    def step(what: str) -> None:
        log.info("%s", what)
        if stage:
            stage(what)

    extractions = sorted(extractions, key=lambda e: e.article.id)
    step("resolving entities")
    res = resolve(extractions, aliases)
    result = BuildResult(extractions, resolution=res, folder=folder)
    state = changes.snapshot(extractions, res, min_confidence=min_confidence)
    previous = store.read_json(folder / STATE) if folder is not None else None
    result.changes = changes.diff(previous if isinstance(previous, dict) else None, state)
    if folder is None:
        ds = build_dataset(extractions, res, min_confidence=min_confidence)
        result._dataset = ds
        result.counts = summarize(ds, len(extractions))
        if validate:
            result.validation = validate_graph(ds)
        return result
    from kg import bulk

    merged: list[Graph] = []

    def fill(st: Any, scratch: Path) -> None:
        step("writing the store")
        bulk.fill_store(st, extractions, res, min_confidence=min_confidence, scratch=scratch)
        step("writing graph.trig and graph.ttl")

    def manifest(st: Any) -> dict[str, Any]:
        result.counts = bulk.summarize(st, len(extractions))
        if html and result.counts["triples"] <= IN_MEMORY_LIMIT:
            merged.append(_merged_graph(st))
        if validate:
            step("validating")
            result.validation = validate_store(st)
        return incremental.manifest(
            extractions, cache.fingerprint, min_confidence=min_confidence,
            aliases=_aliases_json(aliases), summary=result.counts,
            validation=result.validation.to_json() if result.validation else None)

    def page(path: Path) -> Path | None:
        step("drawing the page")
        if not merged:
            log.warning("the graph is too large for one page: draw part of it with: kg viz "
                        "%s --focus NAME", folder)
            return None
        return render(merged[0], path)

    extra = {"resolution": res.to_json(), "changes": result.changes, "state": state}
    result.paths = store.save(fill, folder, extractions, manifest, extra,
                              page=page if html else None)
    return result


def _merged_graph(st: Any) -> Graph:
    """The merged graph of a store (its default graph) as an rdflib Graph."""
    import pyoxigraph as ox

    from kg.oxstore import to_rdflib

    g = Graph()
    bind_prefixes(g)
    for q_ in st.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        g.add((to_rdflib(q_.subject), to_rdflib(q_.predicate),  # type: ignore[arg-type]
               to_rdflib(q_.object)))
    return g


def _aliases_json(aliases: Aliases) -> dict[str, Any] | None:
    if not aliases:
        return None

    def entries(groups: tuple[Any, ...]) -> list[dict[str, Any]]:
        return [{k: v for k, v in (("names", list(g.names)), ("type", g.type),
                                   ("label", g.label)) if v is not None} for g in groups]

    return {"same": entries(aliases.same), "different": entries(aliases.different)}


def open_graph(folder: str | Path, *, on_disk: bool = False) -> Dataset:
    """The dataset of a folder made by `build` (or of one RDF file), read into memory.

    With `on_disk`, the rdflib API over the folder's Oxigraph store instead (oxrdflib,
    read-only): nothing is loaded, so it suits graphs too large for memory; its default
    graph is the merged graph and each article is a named graph.
    """
    if not on_disk:
        return store.load(Path(folder))
    from kg.oxstore import rdflib_view

    return rdflib_view(Path(folder))


def open_store(folder: str | Path) -> Engine:
    """A read-only query engine over a built folder: its on-disk Oxigraph store (or rdflib
    over a single RDF file). Raises GraphNotFoundError when there is no graph."""
    from kg.oxstore import open_engine

    return open_engine(Path(folder))


def query(graph: Graph | Engine, sparql: str, bindings: dict[str, Any] | None = None
          ) -> q.Table:
    """Run a SELECT or ASK query on an rdflib graph or an engine (`open_store`) and return
    its rows as strings. Values in `bindings` are bound to variables, never pasted."""
    if isinstance(graph, Graph) and type(graph.store).__name__ == "OxigraphStore":
        from kg.oxstore import OxigraphEngine

        # an on-disk view: Oxigraph itself runs the query, parameters in a VALUES block
        graph = OxigraphEngine(graph.store._inner)  # type: ignore[attr-defined]
    if isinstance(graph, Graph):
        return q.table(q.run(graph, sparql, bindings))
    return q.answer_table(graph.run(sparql, bindings))


def query_named(graph: Graph | Engine, name: str, params: dict[str, Any] | None = None
                ) -> q.Table:
    """Run a query of kg/queries by name, with parameters passed as bindings."""
    queries = q.named_queries()
    if name not in queries:
        raise q.QueryError(f"no query named {name!r}; known: {', '.join(queries)}")
    return query(graph, queries[name], params)


def render(graph: Graph, path: str | Path, *, title: str = "diplograph", **narrowing: Any
           ) -> Path:
    """Write the self-contained interactive HTML page of `graph` to `path`.

    `narrowing`: focus, depth, types, since, until, min_support (see `kg.narrow.narrow`)."""
    from kg.viz import write_html

    return write_html(graph, Path(path), title=title, **narrowing)


def stats(graph: Graph, *, top: int = 10) -> dict[str, Any]:
    """Counts, most central entities and communities of `graph` (see `kg.analysis.stats`)."""
    from kg.analysis import stats as graph_stats

    return graph_stats(graph, top=top)


def entity_network(graph: Graph) -> Any:
    """The graph the page draws as an undirected networkx Graph (node attributes label, type)."""
    from kg.analysis import entity_network as drawn

    return drawn(graph)


def timeline(graph: Graph) -> list[dict[str, str]]:
    """Meetings and agreements per pair of countries, by date (see `kg.analysis.timeline`)."""
    from kg.analysis import timeline as rows

    return rows(graph)


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
