"""Where a built graph lives: an output folder, switched to a new build in one step.

DIR/current -> gen-<token>   the complete build now in use (a symlink, replaced atomically)
DIR/gen-<token>/store/       the on-disk Oxigraph store (`kg.oxstore`): the default store
DIR/gen-<token>/graph.trig   every article's named graph (a dump of the store)
DIR/gen-<token>/graph.ttl    the merged graph (union of the named graphs)
DIR/gen-<token>/graph.html   the interactive page
DIR/gen-<token>/manifest.json  what was built from what (article ids, sources, cache keys,
                             the extractor fingerprint, settings, counts)
DIR/gen-<token>/resolution.json, changes.json, state.json  merges, change log, its baseline
DIR/graph.trig, graph.ttl, ... symlinks to current/graph.trig, ... (the paths users know)
DIR/extractions/<id>.json    each article's extraction, reused by later builds

A build writes a whole new generation and then replaces the `current` link,
so a reader (or a build killed at any moment) sees the previous complete
build or the new one, never a mix. The previous generation is kept until the
next build, so a server still reading it is not cut off.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from rdflib import Dataset, Graph

from kg import serialize
from kg.errors import GraphNotFoundError
from kg.model import Extraction

if TYPE_CHECKING:
    import pyoxigraph as ox

CURRENT = "current"
GENERATION_PREFIX = "gen-"
STORE = "store"
GRAPH_TRIG = "graph.trig"
GRAPH_TTL = "graph.ttl"
GRAPH_HTML = "graph.html"
MANIFEST = "manifest.json"
EXTRACTIONS = "extractions"
# the files of a generation that get a link of the same name in the folder
OUTPUT_FILES = (GRAPH_TRIG, GRAPH_TTL, GRAPH_HTML, MANIFEST, "resolution.json", "changes.json",
                "state.json")


def write_atomic(path: Path, data: str | bytes | Callable[[BinaryIO], object]) -> Path:
    """Write `data` to `path` so that readers see the old file or the new one, never half.

    `data` may be a function that writes into the (binary) file, for outputs too large
    to hold in memory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            if callable(data):
                data(out)
            else:
                out.write(data.encode("utf-8") if isinstance(data, str) else data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def union(ds: Dataset) -> Graph:
    """The merged graph of a dataset: every triple of every named graph, once."""
    g = Graph()
    for prefix, ns in ds.namespaces():
        g.bind(prefix, ns, override=True)
    serialize.bind_prefixes(g)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def dump_json(data: Any) -> str:
    """Stable JSON text: sorted keys, one item per line, UTF-8 kept readable."""
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def read_json(path: Path) -> Any | None:
    """The JSON data of `path`, or None when it is missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def save(ds: Dataset | Callable[[ox.Store, Path], None], out: Path,
         extractions: Iterable[Extraction],
         manifest: dict[str, Any] | Callable[[ox.Store], dict[str, Any]],
         extra: dict[str, Any] | None = None,
         page: Callable[[Path], Path | None] | None = None) -> dict[str, Path]:
    """Write a new generation of `out`: the store, the graph files, `extra` JSON files
    (name without ".json" -> data), the page (`page(path)` writes it) and the manifest,
    then make it current. Extractions of `extractions` are written to out/extractions;
    those of other articles are deleted once the new generation is current.

    `ds` is the graph, or a function that fills the new, empty store (given it and a
    scratch folder); `manifest` may be a function of the filled store.
    Returns the paths users know (out/graph.trig, ...), which point into the generation.
    """
    from kg import oxstore

    out.mkdir(parents=True, exist_ok=True)
    folder = out / EXTRACTIONS
    keep = set()
    for ex in extractions:
        path = folder / f"{ex.article.id}.json"
        keep.add(path.name)
        text = dump_json(ex.to_json())
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            write_atomic(path, text)
    gen = out / f"{GENERATION_PREFIX}{secrets.token_hex(6)}"
    gen.mkdir()
    if callable(ds):
        st = oxstore.write_store(iter(()), gen / STORE)
        ds(st, gen)
    else:
        st = oxstore.write_store(oxstore.quads(ds), gen / STORE)
    files = {"trig": write_atomic(gen / GRAPH_TRIG, partial(oxstore.dump_trig, st)),
             "ttl": write_atomic(gen / GRAPH_TTL, partial(oxstore.dump_turtle, st))}
    if callable(manifest):
        manifest = manifest(st)
    del st  # closes the store
    for name, data in (extra or {}).items():
        files[name] = write_atomic(gen / f"{name}.json", dump_json(data))
    if page is not None:
        drawn = page(gen / GRAPH_HTML)
        if drawn is not None:
            files["html"] = drawn
    files["manifest"] = write_atomic(gen / MANIFEST, dump_json(manifest))
    previous = current_generation(out)
    _switch(out, gen.name, [p.name for p in files.values()])
    if folder.is_dir():
        for stale in folder.glob("*.json"):
            if stale.name not in keep:
                stale.unlink()
    for old in out.glob(f"{GENERATION_PREFIX}*"):
        if old.is_dir() and old.name not in (gen.name, previous):
            shutil.rmtree(old, ignore_errors=True)
    return {key: out / path.name for key, path in files.items()}


def current_generation(out: Path) -> str | None:
    """The name of the generation `out/current` points to, or None."""
    try:
        return os.readlink(out / CURRENT)
    except OSError:
        return None


def store_path(out: Path) -> Path | None:
    """The Oxigraph store of the current generation of `out`, or None when there is none."""
    gen = current_generation(out)
    path = out / gen / STORE if gen else None
    return path if path is not None and path.is_dir() else None


def _switch(out: Path, generation: str, names: list[str]) -> None:
    """Point out/current at `generation` in one step, and out/NAME at current/NAME."""
    _link(out / CURRENT, generation)
    for name in set(OUTPUT_FILES) - set(names):  # not made by this build (e.g. --no-html)
        link = out / name
        if os.path.islink(link) and os.readlink(link) == f"{CURRENT}/{name}":
            link.unlink()
    for name in names:
        link = out / name
        if os.path.islink(link) and os.readlink(link) == f"{CURRENT}/{name}":
            continue
        _link(link, f"{CURRENT}/{name}")


def _link(path: Path, target: str) -> None:
    """Make `path` a symlink to `target`, replacing whatever is there atomically."""
    if path.is_dir() and not path.is_symlink():
        # a copied folder (cp -r, copytree) holds the generation itself: set it aside
        path.rename(path.with_name(f"{GENERATION_PREFIX}{secrets.token_hex(6)}"))
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.link")
    os.symlink(target, tmp)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def load(folder: Path) -> Dataset:
    """The dataset of a built folder (or of a single .trig/.ttl/.nq file)."""
    folder = Path(folder)
    if folder.is_file():
        fmt = {".trig": "trig", ".ttl": "turtle", ".nq": "nquads", ".nt": "nt",
               ".jsonld": "json-ld"}.get(folder.suffix)
        if fmt is None:
            raise GraphNotFoundError(f"{folder}: not an RDF file (.trig .ttl .nq .nt .jsonld)")
        files = [(folder, fmt)]
    else:
        trig = folder / GRAPH_TRIG
        if not trig.exists():
            raise GraphNotFoundError(
                f"{folder}: no {GRAPH_TRIG} here; build one first with: kg build SOURCES --out "
                f"{folder}")
        files = [(trig, "trig")]
    ds = Dataset(default_union=True)
    for path, fmt in files:
        ds.parse(path, format=fmt)
    return ds
