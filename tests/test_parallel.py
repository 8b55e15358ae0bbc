"""Parallel builds (`--workers N`, `--engine dask`) write the same graph as one process."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kg import ingest, parallel
from kg.parallel import ParallelError

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
KG = [str(Path(sys.executable).with_name("kg"))]

pytestmark = pytest.mark.slow


def kg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*KG, *args], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def single(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("single") / "out"
    done = kg("build", str(SEEDS), "--out", str(out), "--no-html")
    assert done.returncode == 0, done.stderr
    return out


def test_local_workers_extract_what_one_process_extracts():
    articles = list(ingest.iter_articles([SEEDS]))
    one = list(parallel.extract(articles, workers=1))
    two = list(parallel.extract(articles, workers=2))
    assert [e.article.id for e in two] == [a.id for a in articles]
    assert two == one


def test_chunks_reach_every_worker_of_a_small_corpus():
    assert parallel.chunk_size(5, 2) == 2
    assert parallel.chunk_size(1000, 2) == parallel.CHUNK
    assert parallel.chunk_size(1, 4) == 1


def test_build_with_two_workers_writes_the_same_graph(single, tmp_path):
    out = tmp_path / "out"
    done = kg("build", str(SEEDS), "--out", str(out), "--no-html", "--workers", "2")
    assert done.returncode == 0, done.stderr
    for name in ("graph.trig", "graph.ttl"):
        assert (out / name).read_bytes() == (single / name).read_bytes(), name


def test_build_on_a_local_dask_cluster_writes_the_same_graph(single, tmp_path):
    out = tmp_path / "out"
    done = kg("build", str(SEEDS), "--out", str(out), "--no-html", "--engine", "dask",
              "--workers", "2")
    assert done.returncode == 0, done.stderr
    assert (out / "graph.trig").read_bytes() == (single / "graph.trig").read_bytes()


def test_build_on_a_dask_scheduler_given_by_address_writes_the_same_graph(single, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        out = tmp_path / "out"
        done = kg("build", str(SEEDS), "--out", str(out), "--no-html", "--engine", "dask",
                  "--scheduler", cluster.scheduler_address)
        assert done.returncode == 0, done.stderr
    assert (out / "graph.trig").read_bytes() == (single / "graph.trig").read_bytes()


def test_an_unreachable_scheduler_is_a_clear_error_and_builds_nothing(tmp_path):
    out = tmp_path / "out"
    done = kg("build", str(SEEDS), "--out", str(out), "--engine", "dask",
              "--scheduler", "tcp://127.0.0.1:9")
    assert done.returncode == 1
    assert "tcp://127.0.0.1:9" in done.stderr and "Dask scheduler" in done.stderr
    assert not (out / "graph.trig").exists()


def test_scheduler_without_the_dask_engine_is_refused(tmp_path):
    done = kg("build", str(SEEDS), "--out", str(tmp_path / "o"), "--scheduler", "tcp://x:1")
    assert done.returncode != 0
    assert "--engine dask" in done.stderr


def test_bad_worker_counts_are_refused():
    with pytest.raises(ParallelError, match="--workers"):
        list(parallel.extract([], workers=0))
    with pytest.raises(ParallelError, match="unknown engine"):
        list(parallel.extract([], engine="spark"))  # type: ignore[arg-type]
