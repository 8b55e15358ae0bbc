"""Where a built graph lives: the files of an output folder, written atomically.

DIR/graph.trig   every article's named graph (the source of truth)
DIR/graph.ttl    the merged graph (union of the named graphs)
DIR/graph.html   the interactive page
DIR/manifest.json            what was built from what (article ids, sources, cache keys,
                             the extractor fingerprint, settings, counts)
DIR/extractions/<id>.json    each article's extraction, reused by later builds
DIR/resolution.json          every merge of entities: which names, which rule
DIR/changes.json             what changed against the previous build
DIR/state.json               what the next build's change log compares against

graph.trig and graph.ttl are written by `kg.serialize`: sorted and canonical,
so the same input gives the same bytes.
"""
from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph

from kg import serialize
from kg.errors import GraphNotFoundError
from kg.model import Extraction

GRAPH_TRIG = "graph.trig"
GRAPH_TTL = "graph.ttl"
GRAPH_HTML = "graph.html"
MANIFEST = "manifest.json"
EXTRACTIONS = "extractions"


def write_atomic(path: Path, data: str | bytes) -> Path:
    """Write `data` to `path` so that readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
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


def save(ds: Dataset, out: Path, extractions: Iterable[Extraction],
         manifest: dict[str, Any], extra: dict[str, Any] | None = None) -> dict[str, Path]:
    """Write the graph files, the extractions, the manifest and `extra` JSON files
    (name without ".json" -> data) into `out`.

    Extraction files of articles not in `extractions` are deleted; the manifest is
    written last, so an interrupted save leaves the previous manifest in place.
    """
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "trig": write_atomic(out / GRAPH_TRIG, serialize.trig(ds)),
        "ttl": write_atomic(out / GRAPH_TTL, serialize.turtle(union(ds))),
    }
    folder = out / EXTRACTIONS
    keep = set()
    for ex in extractions:
        path = folder / f"{ex.article.id}.json"
        keep.add(path.name)
        text = dump_json(ex.to_json())
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            write_atomic(path, text)
    if folder.is_dir():
        for stale in folder.glob("*.json"):
            if stale.name not in keep:
                stale.unlink()
    for name, data in (extra or {}).items():
        paths[name] = write_atomic(out / f"{name}.json", dump_json(data))
    paths["manifest"] = write_atomic(out / MANIFEST, dump_json(manifest))
    return paths


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
