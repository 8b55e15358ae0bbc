"""Where a built graph lives: the files of an output folder, written atomically.

DIR/graph.trig   every article's named graph (the source of truth)
DIR/graph.ttl    the merged graph (union of the named graphs)
DIR/graph.html   the interactive page
DIR/manifest.json            what was built from what (article ids, sources, counts)
DIR/extractions/<id>.json    each article's extraction, for later incremental builds
"""
from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph

from kg.errors import GraphNotFoundError
from kg.model import Extraction

GRAPH_TRIG = "graph.trig"
GRAPH_TTL = "graph.ttl"
GRAPH_HTML = "graph.html"
MANIFEST = "manifest.json"


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
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def save(ds: Dataset, out: Path, extractions: Iterable[Extraction],
         manifest: dict[str, Any]) -> dict[str, Path]:
    """Write the graph files, the extractions and the manifest into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "trig": write_atomic(out / GRAPH_TRIG, ds.serialize(format="trig")),
        "ttl": write_atomic(out / GRAPH_TTL, union(ds).serialize(format="turtle")),
    }
    for ex in extractions:
        write_atomic(out / "extractions" / f"{ex.article.id}.json",
                     json.dumps(ex.to_json(), ensure_ascii=False, indent=1, sort_keys=True))
    paths["manifest"] = write_atomic(out / MANIFEST, json.dumps(manifest, indent=1,
                                                                sort_keys=True))
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
