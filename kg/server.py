"""A read-only SPARQL 1.1 Protocol endpoint over a built graph (`kg serve`).

GET /sparql?query=...                      a query (SPARQL 1.1 Protocol, query via GET)
POST /sparql  query=... (form-encoded)     a query (query via URL-encoded POST)
POST /sparql  application/sparql-query     a query (query via POST directly)
GET /queries                               the named queries of kg/queries (JSON)
GET /queries/NAME?param=value              a named query, parameters passed as bindings
GET /                                      the graph page (DIR/graph.html)

Results: SPARQL JSON (default), XML, CSV, TSV for SELECT/ASK; Turtle (default),
N-Triples, RDF/XML, JSON-LD for CONSTRUCT/DESCRIBE; chosen by `format=` or Accept.
Refused: updates (403), SERVICE and FROM (403), requests over the size limit (413).
A query that runs past the time limit is stopped (503); one whose result has more
rows than the cap fails with 422 and says so (results are never silently cut).
Binds 127.0.0.1 unless told otherwise.
"""
from __future__ import annotations

import ctypes
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs, unquote, urlsplit

from kg.engine import Answer, Engine
from kg.errors import (
    QueryError,
    QueryRefusedError,
    QueryTimeoutError,
    ResultTooLargeError,
)
from kg.results import NotAcceptable, negotiate

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """What one request may cost: run time, result rows, request bytes, concurrent queries."""

    timeout: float = 30.0
    max_rows: int = 100_000
    max_request_bytes: int = 1_000_000
    max_concurrent: int = 2


class _Stopped(BaseException):
    """Raised inside a worker thread to stop a query that ran out of time."""


def _interrupt(thread: threading.Thread) -> None:
    """Ask CPython to raise _Stopped in `thread` at its next bytecode (pure-Python engines)."""
    if thread.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident),
                                                   ctypes.py_object(_Stopped))


class Runner:
    """Runs queries in worker threads, at most `max_concurrent` at once, each within `timeout`.

    A query past its time is interrupted (rdflib evaluates in Python, so it stops
    at its next bytecode) and its caller gets QueryTimeoutError at once. Slots are
    counted by live worker threads, so an interrupted query frees its slot when,
    and only when, it has really stopped.
    """

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._lock = threading.Lock()
        self._workers: list[threading.Thread] = []

    def _start(self, worker: threading.Thread) -> None:
        """Start `worker` once fewer than max_concurrent run; QueryTimeoutError if none frees."""
        deadline = time.monotonic() + self.limits.timeout
        while True:
            with self._lock:
                self._workers = [t for t in self._workers if t.is_alive()]
                if len(self._workers) < self.limits.max_concurrent:
                    self._workers.append(worker)
                    worker.start()
                    return
            if time.monotonic() > deadline:
                raise QueryTimeoutError(self.limits.timeout, busy=True)
            time.sleep(0.02)

    def call(self, fn: Callable[[], T]) -> T:
        """fn() in a worker thread. Raises QueryTimeoutError, or whatever fn raised."""
        box: dict[str, Any] = {}

        def work() -> None:
            try:
                try:
                    box["value"] = fn()
                except BaseException as exc:  # noqa: BLE001 - handed to the caller
                    box["error"] = exc
            except _Stopped:  # arrived just after fn ended: nothing left to stop
                pass

        worker = threading.Thread(target=work, name="kg-query", daemon=True)
        started = time.monotonic()
        self._start(worker)
        worker.join(max(0.0, self.limits.timeout - (time.monotonic() - started)))
        if worker.is_alive():
            _interrupt(worker)
            raise QueryTimeoutError(self.limits.timeout)
        if "error" in box:
            raise box["error"]
        return box["value"]


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server: holds the engine, the page to serve at / and the limits."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], engine: Engine, *, page: Path | None = None,
                 limits: Limits | None = None) -> None:
        self.engine = engine
        self.page = page
        self.limits = limits or Limits()
        self.runner = Runner(self.limits)
        super().__init__(address, Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class Handler(BaseHTTPRequestHandler):
    """One request of the SPARQL 1.1 Protocol (read-only)."""

    server: SparqlServer
    protocol_version = "HTTP/1.1"
    server_version = "diplograph"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib's name
        log.info("%s %s", self.address_string(), format % args)

    # --- routing ---------------------------------------------------------------------------
    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if len(self.path) > self.server.limits.max_request_bytes:
            return self._error(HTTPStatus.REQUEST_URI_TOO_LONG, "the request URL is longer than "
                               f"{self.server.limits.max_request_bytes} bytes; POST the query")
        params = parse_qs(url.query, keep_blank_values=True)
        if url.path in ("/", "/index.html"):
            return self._page()
        if url.path == "/sparql":
            return self._protocol(params, None)
        if url.path.rstrip("/") == "/queries":
            return self._list_queries()
        if url.path.startswith("/queries/"):
            return self._named(unquote(url.path[len("/queries/"):]), params)
        self._error(HTTPStatus.NOT_FOUND, f"nothing at {url.path}; the endpoint is /sparql")

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path != "/sparql":
            return self._error(HTTPStatus.NOT_FOUND, f"nothing at {url.path}; POST to /sparql")
        body = self._body()
        if body is None:
            return
        params = parse_qs(url.query, keep_blank_values=True)
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype == "application/x-www-form-urlencoded":
            for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items():
                params.setdefault(k, []).extend(v)
            return self._protocol(params, None)
        if ctype == "application/sparql-query":
            return self._protocol(params, body.decode("utf-8", "replace"))
        if ctype == "application/sparql-update":
            return self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL Update "
                               "is refused")
        self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"cannot read a {ctype or 'body'}; send "
                    "application/x-www-form-urlencoded or application/sparql-query")

    def _body(self) -> bytes | None:
        """The request body, or None after answering 411/413."""
        length = self.headers.get("Content-Length")
        if length is None or not length.strip().isdigit():
            self._error(HTTPStatus.LENGTH_REQUIRED, "send a Content-Length header")
            return None
        size, cap = int(length), self.server.limits.max_request_bytes
        if size > cap:
            self.close_connection = True
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                        f"the request body has {size} bytes; this server takes at most {cap}")
            return None
        return self.rfile.read(size)

    # --- the protocol ----------------------------------------------------------------------
    def _protocol(self, params: dict[str, list[str]], body_query: str | None) -> None:
        if "update" in params:
            return self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL Update "
                               "(update=) is refused")
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            return self._error(HTTPStatus.BAD_REQUEST, "default-graph-uri and named-graph-uri "
                               "are not supported: the dataset is fixed; use GRAPH patterns")
        queries = [body_query] if body_query is not None else params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            return self._error(HTTPStatus.BAD_REQUEST, "give exactly one query, e.g. "
                               "/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D"
                               "%20LIMIT%2010")
        self._answer(queries[0], None, params)

    def _answer(self, sparql: str, bindings: dict[str, Any] | None,
                params: dict[str, list[str]]) -> None:
        engine, limits = self.server.engine, self.server.limits
        wanted = params.get("format", []) + params.get("output", [])
        accept = self.headers.get("Accept")

        def work() -> tuple[str, bytes]:
            answer: Answer = engine.run(sparql, bindings, max_rows=limits.max_rows,
                                        timeout=limits.timeout)
            fmt = negotiate(answer.kind, accept, wanted)
            return fmt.media_type, fmt.write(answer)

        try:
            media, data = self.server.runner.call(work)
        except QueryRefusedError as exc:
            return self._error(HTTPStatus.FORBIDDEN, str(exc))
        except QueryTimeoutError as exc:
            return self._error(HTTPStatus.SERVICE_UNAVAILABLE, str(exc))
        except ResultTooLargeError as exc:
            return self._error(HTTPStatus.UNPROCESSABLE_ENTITY, str(exc))
        except QueryError as exc:
            return self._error(HTTPStatus.BAD_REQUEST, str(exc))
        except NotAcceptable as exc:
            return self._error(HTTPStatus.NOT_ACCEPTABLE, str(exc))
        except Exception as exc:  # a bug: say so, keep serving
            log.exception("query failed")
            return self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"internal error: {exc}")
        charset = "" if media.startswith("application/sparql-results") else "; charset=utf-8"
        self._send(HTTPStatus.OK, media + charset, data)

    # --- named queries and the page --------------------------------------------------------
    def _list_queries(self) -> None:
        from kg.sparql import describe, named_queries

        doc = {name: describe(text) for name, text in named_queries().items()}
        self._send(HTTPStatus.OK, "application/json",
                   json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8"))

    def _named(self, name: str, params: dict[str, list[str]]) -> None:
        from kg.sparql import named_queries

        queries = named_queries()
        if name not in queries:
            return self._error(HTTPStatus.NOT_FOUND, f"no query named {name!r}; known: "
                               + ", ".join(queries))
        bindings = {k: v[0] for k, v in params.items() if k not in ("format", "output")}
        self._answer(queries[name], bindings, params)

    def _page(self) -> None:
        page = self.server.page
        if page is None or not page.is_file():
            return self._error(HTTPStatus.NOT_FOUND, "no graph page here: build with HTML "
                               "(kg build SOURCES --out DIR) or draw one with kg viz DIR")
        self._send(HTTPStatus.OK, "text/html; charset=utf-8", page.read_bytes())

    # --- responses -------------------------------------------------------------------------
    def _send(self, status: HTTPStatus, ctype: str, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._send(status, "text/plain; charset=utf-8",
                   f"{status.value} {status.phrase}: {message}\n".encode())


def make_server(folder: Path, host: str = "127.0.0.1", port: int = 7878, *,
                limits: Limits | None = None, engine: Engine | None = None) -> SparqlServer:
    """A server (not yet serving) over the graph built in `folder`; port 0 picks a free one.

    Raises GraphNotFoundError if `folder` holds no graph, OSError if the port is taken.
    """
    from kg.oxstore import open_engine
    from kg.store import GRAPH_HTML

    folder = Path(folder)
    engine = engine or open_engine(folder)
    page = folder / GRAPH_HTML if folder.is_dir() else None
    return SparqlServer((host, port), engine, page=page, limits=limits)
