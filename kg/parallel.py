"""Extraction on several processes: local worker processes or a Dask cluster.

Extraction is the slow, independent part of a build (each article is read by
spaCy on its own), so it is what runs in parallel; resolution and writing the
graph need every extraction and stay in the calling process. Articles go out in
chunks and come back as `Extraction`s in input order, so a parallel build writes
the same graph as a single-process one.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Literal

from kg.errors import KGError
from kg.model import Article, Extraction

log = logging.getLogger(__name__)

EngineName = Literal["local", "dask"]
CHUNK = 8  # articles per task: large enough to amortise the hand-over, small enough to balance


class ParallelError(KGError):
    """Parallel extraction could not start (bad settings, Dask missing or unreachable)."""


def extract_chunk(articles: list[Article]) -> list[Extraction]:
    """Extract a chunk of articles in this process (the spaCy model loads once per process)."""
    from kg import nlp
    from kg.extract import extract_articles

    return list(extract_articles(articles, nlp.load()))


def chunks(articles: Iterable[Article], size: int = CHUNK) -> Iterator[list[Article]]:
    it = iter(articles)
    while chunk := list(islice(it, size)):
        yield chunk


def extract(articles: list[Article], *, workers: int = 1, engine: EngineName = "local",
            scheduler: str | None = None) -> Iterator[Extraction]:
    """Every article's extraction, in input order.

    engine "local": `workers` processes on this machine (1: in this process).
    engine "dask": a Dask cluster: the scheduler at `scheduler` (an address such as
    tcp://10.0.0.5:8786), or a local cluster of `workers` processes when None.
    Raises ParallelError for bad settings or a cluster that cannot be reached.
    """
    if workers < 1:
        raise ParallelError(f"--workers must be 1 or more, not {workers}")
    if engine == "dask":
        yield from _dask(articles, workers, scheduler)
    elif engine != "local":
        raise ParallelError(f"unknown engine {engine!r}: use local or dask")
    elif workers == 1 or len(articles) < 2:
        from kg import nlp
        from kg.extract import extract_articles

        yield from extract_articles(articles, nlp.load())
    else:
        yield from _local(articles, workers)


def chunk_size(n: int, workers: int) -> int:
    """Articles per task: CHUNK, or fewer so that a small corpus still reaches every worker."""
    return max(1, min(CHUNK, -(-n // (workers * 2))))


def _local(articles: list[Article], workers: int) -> Iterator[Extraction]:
    """Extraction on `workers` forked processes (each loads the model once)."""
    import gc
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    # the workers share the parent's memory until they write to it; frozen, the parent's
    # objects are left alone by the workers' garbage collector, so their pages stay shared
    gc.freeze()
    try:
        pool = ctx.Pool(workers)
    finally:
        gc.unfreeze()
    with pool:
        size = chunk_size(len(articles), workers)
        for done in pool.imap(extract_chunk, chunks(articles, size)):
            yield from done


def _dask(articles: list[Article], workers: int, scheduler: str | None
          ) -> Iterator[Extraction]:
    """Extraction on a Dask cluster; results are yielded in input order."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise ParallelError("the dask engine needs Dask: pip install 'diplograph[dask]'"
                            ) from exc
    cluster = None
    try:
        if scheduler is None:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout="5s")
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise ParallelError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from exc
    try:
        size = chunk_size(len(articles), len(client.scheduler_info().get("workers", {})) or 1)
        futures = client.map(extract_chunk, list(chunks(articles, size)), pure=False)
        for future in futures:  # in submission order: the graph does not depend on timing
            yield from future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
