"""The on-disk Oxigraph store of a built folder, and the query engine over it.

A build writes its graph into a fresh store directory `DIR/store-<token>/`
(pyoxigraph, RocksDB), loaded in bulk: each article's triples in the article's
named graph, and the merged graph (every triple once) in the default graph, so
queries see each triple once and `GRAPH ?article { ... }` still says which
article stated what. The manifest, written last, names the current store;
readers open it read-only, so a running server and a build never share a
writable store, and a build killed half-way leaves the previous store in use.
graph.trig and graph.ttl are dumps of the store.
"""
from __future__ import annotations

import io
import logging
import os
import secrets
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.term import Identifier, Node

from kg.engine import NO_FROM, NO_SERVICE, PREFIXES, READ_ONLY, Answer, Kind
from kg.errors import QueryError, QueryRefusedError, QueryTimeoutError, ResultTooLargeError
from kg.serialize import PREFIXES as DUMP_PREFIXES
from kg.sparqltext import bind_values, keywords, keywords_in_order, term

if TYPE_CHECKING:
    import pyoxigraph as ox
    from rdflib import Dataset

log = logging.getLogger(__name__)

STORE_PREFIX = "store-"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
_QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
# the predeclared prefixes, as pyoxigraph takes them
OX_PREFIXES = {k: str(v) for k, v in PREFIXES.items()}
# threads dumping article graphs (pyoxigraph decodes without the GIL), graphs per task
DUMP_WORKERS = min(4, os.cpu_count() or 1)
DUMP_BATCH = 32


def new_store_name() -> str:
    """A fresh store directory name."""
    return f"{STORE_PREFIX}{secrets.token_hex(6)}"


def quads(ds: Dataset) -> Iterator[ox.Quad]:
    """Every quad of `ds` as pyoxigraph quads: once in its named graph and once in the
    default graph (the store deduplicates the default graph's copies)."""
    import pyoxigraph as ox

    default = ox.DefaultGraph()
    for s, p, o, g in ds.quads((None, None, None, None)):
        subject, predicate, obj = term(s), term(p), term(o)
        name = getattr(g, "identifier", g)
        if isinstance(name, URIRef) and not str(name).startswith("urn:x-rdflib:"):
            yield ox.Quad(subject, predicate, obj, ox.NamedNode(str(name)))  # type: ignore[arg-type]
        yield ox.Quad(subject, predicate, obj, default)  # type: ignore[arg-type]


def write_store(items: Iterable[ox.Quad], path: Path) -> ox.Store:
    """Create the store at `path` (which must not exist), bulk-load `items` into it and
    compact it (`finish_store`)."""
    import pyoxigraph as ox

    path.parent.mkdir(parents=True, exist_ok=True)
    st = ox.Store(str(path))
    st.bulk_extend(items)
    finish_store(st)
    return st


def finish_store(st: ox.Store) -> None:
    """Compact a freshly loaded store (`st` mutated) and flush it to disk.

    Bulk loading leaves many overlapping files and an index lookup visits each of them;
    compacted, a lookup takes about half the time (measured on a 1M-quad build: 1.8x the
    disk, 3.6 s). Queries are mostly lookups."""
    st.optimize()
    st.flush()


def dump_prefixes() -> dict[str, str]:
    return dict(DUMP_PREFIXES)


def _sink(write: Callable[[BinaryIO], object], out: BinaryIO | None) -> bytes | None:
    """Run `write` into `out`, or into a buffer whose bytes are returned when `out` is None."""
    if out is not None:
        write(out)
        return None
    buf = io.BytesIO()
    write(buf)
    return buf.getvalue()


def dump_trig(st: ox.Store, out: BinaryIO | None = None) -> bytes | None:
    """The article graphs of the store as TriG (the default graph, their union, left out),
    graphs in IRI order, streamed into `out` (or returned as bytes); the same store
    content gives the same bytes. A few batches of graphs are held in memory at a time."""
    import pyoxigraph as ox

    prefixes = dump_prefixes()

    def render(g: Any) -> bytes:
        body = st.dump(format=ox.RdfFormat.TURTLE, from_graph=g, prefixes=prefixes) or b""
        lines = [ln for ln in body.split(b"\n") if ln and not ln.startswith(b"@prefix ")]
        return f"\n{g} {{\n".encode() + b"\n".join(lines) + b"\n}\n"

    head = "".join(f"@prefix {k}: <{v}> .\n" for k, v in prefixes.items()).encode()
    return _sink(lambda f: _write_graphs(st, render, f, head), out)


def _write_graphs(st: ox.Store, render: Callable[[Any], bytes], f: BinaryIO,
                  head: bytes = b"") -> None:
    """Write `head`, then render(g) for each named graph of the store in IRI order (`f`
    mutated). Decoding the store's terms is the cost (a RocksDB read each) and pyoxigraph
    does it without the GIL: batches of graphs are rendered on DUMP_WORKERS threads."""
    from collections import deque
    from concurrent.futures import Future, ThreadPoolExecutor

    graphs = sorted(st.named_graphs(), key=lambda n: n.value)
    f.write(head)
    with ThreadPoolExecutor(DUMP_WORKERS, thread_name_prefix="kg-dump") as pool:
        pending: deque[Future[bytes]] = deque()
        for i in range(0, len(graphs), DUMP_BATCH):
            batch = graphs[i:i + DUMP_BATCH]
            pending.append(pool.submit(lambda b: b"".join(map(render, b)), batch))
            if len(pending) > 2 * DUMP_WORKERS:
                f.write(pending.popleft().result())
        while pending:
            f.write(pending.popleft().result())


def dump_turtle(st: ox.Store, out: BinaryIO | None = None) -> bytes | None:
    """The merged graph (the store's default graph) as Turtle, streamed into `out` (or
    returned as bytes)."""
    import pyoxigraph as ox

    return _sink(lambda f: st.dump(f, ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(),
                                   prefixes=dump_prefixes()), out)


def dump_nquads(st: ox.Store, out: BinaryIO | None = None) -> bytes | None:
    """The article graphs of the store as N-Quads (the default graph, their union, left out),
    graphs in IRI order, streamed into `out` (or returned as bytes)."""
    import pyoxigraph as ox

    def render(g: Any) -> bytes:  # each line is "S P O .\n" (a line break in a literal is \n)
        body = st.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g) or b""
        return body.replace(b" .\n", f" {g} .\n".encode())

    return _sink(lambda f: _write_graphs(st, render, f), out)


# formats written straight from a folder's store (no rdflib graph is made)
DUMPS = {"ttl": dump_turtle, "trig": dump_trig, "nq": dump_nquads}


def export_from_store(folder: Path, fmt: str, output: Path) -> Path | None:
    """Write the folder's graph in `fmt` from its store, atomically; None when the folder
    has no store or `fmt` is not dumped from one (the caller then uses rdflib)."""
    from kg.store import store_path, write_atomic

    path = store_path(folder) if folder.is_dir() else None
    if path is None or fmt not in DUMPS:
        return None
    st = open_read_only(path)
    return write_atomic(output, lambda f: DUMPS[fmt](st, f))


def open_read_only(path: Path) -> ox.Store:
    """Open a store for reading; raises OSError when it cannot be opened."""
    import pyoxigraph as ox

    return ox.Store.read_only(str(path))


def remove_stores(folder: Path, keep: Iterable[str]) -> None:
    """Delete the store directories of `folder` other than those named in `keep`."""
    kept = set(keep)
    for path in folder.glob(f"{STORE_PREFIX}*"):
        if path.is_dir() and path.name not in kept:
            shutil.rmtree(path, ignore_errors=True)


def to_rdflib(t: Any) -> Identifier | None:
    """A pyoxigraph term as an rdflib term (xsd:string literals become plain literals)."""
    import pyoxigraph as ox

    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return RdfLiteral(t.value, lang=t.language)
        dt = t.datatype.value
        return RdfLiteral(t.value, datatype=None if dt == XSD_STRING else URIRef(dt))
    raise QueryError(f"unsupported term in a result: {t!r}")


def check_query(sparql: str) -> None:
    """Refuse what a read-only endpoint must not run: updates, SERVICE and FROM clauses."""
    words = keywords_in_order(sparql)
    form = next((w for w in words if w in _QUERY_FORMS | _UPDATES), None)
    if form in _UPDATES:
        raise QueryRefusedError(READ_ONLY)
    if "SERVICE" in words:
        raise QueryRefusedError(NO_SERVICE)
    if "FROM" in words:
        raise QueryRefusedError(NO_FROM)


class OxigraphEngine:
    """A read-only Engine (kg.engine) over a pyoxigraph store whose default graph is the
    merged graph."""

    def __init__(self, st: ox.Store) -> None:
        self.store = st

    @classmethod
    def from_path(cls, path: Path) -> OxigraphEngine:
        return cls(open_read_only(path))

    def __len__(self) -> int:
        """The number of triples of the merged graph."""
        (row,) = self._run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", None, 1).rows
        return int(row[0] or 0)

    def run(self, sparql: str, bindings: dict[str, Any] | None = None, *,
            max_rows: int = 100_000, timeout: float | None = None) -> Answer:
        """Evaluate a query; raises QueryRefusedError, QueryError, ResultTooLargeError past
        `max_rows` rows or triples, or QueryTimeoutError past `timeout` seconds.

        Oxigraph evaluates in Rust and cannot be interrupted, so a query with a timeout
        runs in a forked child process (sharing the open store), killed when time is up.
        """
        check_query(sparql)
        if timeout is None:
            return self._run(sparql, bindings, max_rows)
        return _in_child(lambda: self._run(sparql, bindings, max_rows), timeout)

    def _run(self, sparql: str, bindings: dict[str, Any] | None, max_rows: int) -> Answer:
        import pyoxigraph as ox

        text = bind_values(sparql, bindings)
        try:
            result = self.store.query(text, prefixes=OX_PREFIXES)
            if isinstance(result, ox.QueryBoolean):
                return Answer("ASK", boolean=bool(result))
            if isinstance(result, ox.QueryTriples):
                graph = Graph()
                for n, t in enumerate(result):
                    if n == max_rows:
                        raise ResultTooLargeError(max_rows, "triples")
                    graph.add((to_rdflib(t.subject), to_rdflib(t.predicate),  # type: ignore[arg-type]
                               to_rdflib(t.object)))
                kind: Kind = "DESCRIBE" if "DESCRIBE" in keywords(sparql) else "CONSTRUCT"
                return Answer(kind, graph=graph)
            names = [v.value for v in result.variables]
            rows: list[tuple[Node | None, ...]] = []
            seen: dict[Any, Identifier | None] = {None: None}  # a term repeats across rows

            def convert(t: Any) -> Identifier | None:
                if t not in seen:
                    seen[t] = to_rdflib(t)
                return seen[t]

            for solution in result:
                if len(rows) == max_rows:
                    raise ResultTooLargeError(max_rows)
                rows.append(tuple(map(convert, solution)))
            return Answer("SELECT", names, rows)  # type: ignore[arg-type]
        except QueryError:
            raise
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL query: {exc}") from exc
        except (OSError, ValueError, TypeError, RuntimeError) as exc:
            raise QueryError(f"SPARQL error: {exc}") from exc


def rdflib_view(folder: Path) -> Dataset:
    """An rdflib Dataset over the folder's store, read-only (oxrdflib); raises
    GraphNotFoundError when the folder has no store."""
    from oxrdflib import OxigraphStore
    from rdflib import Dataset

    from kg.errors import GraphNotFoundError
    from kg.serialize import bind_prefixes
    from kg.store import store_path

    path = store_path(folder) if folder.is_dir() else None
    if path is None:
        raise GraphNotFoundError(f"{folder}: no store here; build one first with: kg build "
                                 f"SOURCES --out {folder}")
    ds = Dataset(store=OxigraphStore(store=open_read_only(path)))
    bind_prefixes(ds)
    return ds


def open_engine(folder: Path) -> Any:
    """The engine of a built folder: its Oxigraph store, or rdflib over an RDF file (or a
    folder built before stores existed). Raises GraphNotFoundError when there is no graph."""
    from kg.engine import RdflibEngine
    from kg.store import store_path

    folder = Path(folder)
    path = store_path(folder) if folder.is_dir() else None
    if path is not None:
        return FolderEngine(folder)
    return RdflibEngine.from_folder(folder)


class FolderEngine:
    """The engine of a built folder that follows its rebuilds: each query runs on the
    generation `DIR/current` points to, reopened when a build has switched it."""

    def __init__(self, folder: Path) -> None:
        from kg.store import current_generation

        self.folder = folder
        self._current = current_generation(folder)
        self._engine = self._open()

    def _open(self) -> OxigraphEngine:
        from kg.errors import GraphNotFoundError
        from kg.store import store_path

        path = store_path(self.folder)
        if path is None:
            raise GraphNotFoundError(f"{self.folder}: its store is gone; rebuild with: "
                                     f"kg build SOURCES --out {self.folder}")
        return OxigraphEngine.from_path(path)

    @property
    def engine(self) -> OxigraphEngine:
        """The engine of the current generation (reopened if a build switched it)."""
        from kg.store import current_generation

        now = current_generation(self.folder)
        if now != self._current:
            log.info("%s: a new build is current (%s): reopening its store", self.folder, now)
            self._engine, self._current = self._open(), now
        return self._engine

    @property
    def store(self) -> ox.Store:
        return self.engine.store

    def __len__(self) -> int:
        return len(self.engine)

    def run(self, sparql: str, bindings: dict[str, Any] | None = None, *,
            max_rows: int = 100_000, timeout: float | None = None) -> Answer:
        """Run a query on the current generation (see OxigraphEngine.run)."""
        return self.engine.run(sparql, bindings, max_rows=max_rows, timeout=timeout)


def _in_child(fn: Any, timeout: float) -> Answer:
    """fn() in a forked child process; QueryTimeoutError (and the child killed) past
    `timeout` seconds. Errors raised by fn are raised here."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def child() -> None:
        try:
            send.send(("ok", fn()))
        except QueryError as exc:
            send.send(("error", exc))
        except Exception as exc:  # noqa: BLE001 - reported to the parent as a QueryError
            send.send(("error", QueryError(f"SPARQL error: {exc}")))

    proc = ctx.Process(target=child, name="kg-query", daemon=True)
    proc.start()
    send.close()
    try:
        if not receive.poll(timeout):
            raise QueryTimeoutError(timeout)
        try:
            status, value = receive.recv()
        except EOFError as exc:
            raise QueryError("the query process ended without an answer") from exc
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        receive.close()
    if status == "error":
        raise value
    return value
