"""Nothing lost: a `kg build` killed at any moment, and two builds on one folder at once.

Everything here runs the real `kg` command and judges by behaviour: what `kg query`
answers and whether the files agree with the manifest, never by the store's
internals, so it holds whatever the storage layer becomes.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Dataset

from kg.errors import FolderLockedError
from kg.lock import LOCK_FILE, hold

KG = Path(sys.executable).with_name("kg")
ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "tests" / "data" / "articles"
SEEDS = ROOT / "seeds"
ENV = {**os.environ, "COLUMNS": "400", "NO_COLOR": "1", "TERM": "dumb"}
ARTICLE_CLASS = "https://w3id.org/diplograph/ontology#Article"


def kg(*args: object, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(KG), *map(str, args)], capture_output=True, text=True,
                          env=env or ENV, timeout=600, stdin=subprocess.DEVNULL)


def start(*args: object, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([str(KG), *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env or ENV,
                            stdin=subprocess.DEVNULL)


def graph_articles(out: Path) -> frozenset[str]:
    """The article ids of the graph in `out`, checked three ways that must agree: what
    `kg query` answers, the manifest, and graph.trig (with an extraction kept for each)."""
    proc = kg("query", out, "SELECT ?a WHERE { ?a a dg:Article }", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    answered = frozenset(row["a"].rsplit("/", 1)[-1] for row in json.loads(proc.stdout))
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert frozenset(manifest["articles"]) == answered, "the manifest agrees with the graph"
    ds = Dataset()
    ds.parse(out / "graph.trig", format="trig")
    in_trig = frozenset(str(s).rsplit("/", 1)[-1] for s, p, o, _ in ds.quads((None, None, None))
                        if str(o) == ARTICLE_CLASS)
    assert in_trig == answered, "graph.trig agrees with the graph"
    for article in answered:
        assert (out / "extractions" / f"{article}.json").is_file(), article
    return answered


def holds_lock(out: Path, proc: subprocess.Popen[str]) -> bool:
    """True once `proc` has taken the folder's lock (the lock file names its pid)."""
    try:
        return (out / LOCK_FILE).read_text().startswith(f"pid {proc.pid}:")
    except OSError:
        return False


def snapshot(out: Path) -> frozenset[tuple[str, int]]:
    """Every path under `out` with its size (the lock file aside): what a build changes."""
    found = set()
    for root, dirs, files in os.walk(out):
        for name in dirs + files:
            path = os.path.join(root, name)
            if name != LOCK_FILE:
                with contextlib.suppress(OSError):
                    found.add((os.path.relpath(path, out), os.lstat(path).st_size))
    return frozenset(found)


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    """Two source folders (the second adds 20 articles: four variants of each seed) and a
    complete build of the first."""
    root = tmp_path_factory.mktemp("reliability")
    old, new = root / "old", root / "new"
    shutil.copytree(ARTICLES, old)
    shutil.copytree(ARTICLES, new)
    # enough new articles that extraction lasts seconds even on a fast, idle machine
    for seed in SEEDS.glob("*.txt"):
        text = seed.read_text(encoding="utf-8")
        for n in range(4):
            (new / f"{seed.stem}-{n}.txt").write_text(f"{text}\n(Copy {n}.)\n", encoding="utf-8")
    built = root / "built"
    assert kg("build", old, "--out", built, "--no-html").returncode == 0
    first = graph_articles(built)
    return {"old": old, "new": new, "built": built, "first": first, "root": root}


@pytest.fixture(scope="module")
def complete_new(sources):
    """The article ids of a complete build of the second source folder."""
    out = sources["root"] / "complete-new"
    proc = kg("build", sources["new"], "--out", out, "--no-html")
    assert proc.returncode == 0, proc.stderr
    return graph_articles(out)


def kill_build(sources, tmp_path: Path, when: Callable[[Path, subprocess.Popen[str], float,
                                                           int], bool]) -> tuple[bool, int]:
    """Start a build of the new sources over a copy of the first build and SIGKILL it once
    `when(out, proc, seconds since it took the lock, changes seen in out)` holds.
    Returns (killed before it finished, changes it had made to the folder)."""
    out = tmp_path / "out"
    shutil.copytree(sources["built"], out, symlinks=True)
    before = last = snapshot(out)
    changes, locked_at = 0, None
    proc = start("build", sources["new"], "--out", out, "--no-html")
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline:
        if locked_at is None and holds_lock(out, proc):
            locked_at = time.monotonic()
        now = snapshot(out)
        if now != last:
            changes, last = changes + 1, now
        if locked_at is not None and when(out, proc, time.monotonic() - locked_at, changes):
            proc.send_signal(signal.SIGKILL)
            proc.communicate()
            return proc.returncode == -signal.SIGKILL, len(snapshot(out) ^ before)
        time.sleep(0.002)
    proc.communicate()
    return False, len(snapshot(out) ^ before)


KILL_POINTS = {
    # right after the lock is taken: the cache is read, the model loads
    "after-locking": lambda out, proc, t, n: True,
    # well into extraction, before anything in the folder changed
    "during-extraction": lambda out, proc, t, n: t > 1.5 and n == 0,
    # writing: at the first, third and eighth change seen in the folder
    "writing-1": lambda out, proc, t, n: n >= 1,
    "writing-3": lambda out, proc, t, n: n >= 3,
    "writing-8": lambda out, proc, t, n: n >= 8,
}


RECOVERED = ("during-extraction", "writing-8")  # also run the next build (each costs a build)


@pytest.mark.parametrize("moment", KILL_POINTS)
def test_a_killed_build_leaves_the_previous_graph_and_the_next_build_completes(
        sources, complete_new, tmp_path, moment):
    killed, changed = kill_build(sources, tmp_path, KILL_POINTS[moment])
    out = tmp_path / "out"
    after_kill = graph_articles(out)
    if moment != "writing-8":
        assert killed, "the build ended before the moment came: nothing was tested"
    if moment.startswith("writing"):
        assert changed, "killed while writing: the folder had begun to change"
    if killed and moment != "writing-8":
        assert after_kill == sources["first"]
    else:  # a late kill may land after the switch: then the new graph is whole
        assert after_kill in (sources["first"], complete_new)
    if moment in RECOVERED:
        proc = kg("build", sources["new"], "--out", out, "--no-html")
        assert proc.returncode == 0, proc.stderr
        assert graph_articles(out) == complete_new


# --- two builds on one folder ----------------------------------------------------------------
def _copy_built(sources, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(sources["built"], out, symlinks=True)
    return out


def _wait_for_lock(out: Path, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while not holds_lock(out, proc):
        assert proc.poll() is None, proc.communicate()[1]
        assert time.monotonic() < deadline, "the build never took the lock"
        time.sleep(0.01)


def test_a_second_build_on_a_busy_folder_is_refused_or_waits_never_interleaves(
        sources, complete_new, tmp_path):
    out = _copy_built(sources, tmp_path)
    first = start("build", sources["new"], "--out", out, "--no-html")
    _wait_for_lock(out, first)
    refused = kg("build", sources["old"], "--out", out, "--no-html")
    removal = kg("remove", out, sorted(sources["first"])[0])
    waiting = start("build", sources["old"], "--out", out, "--no-html", "--wait", "300")
    still_running = first.poll() is None
    _, first_err = first.communicate(timeout=600)
    assert still_running, "the first build ended before the others tried: nothing was tested"
    assert first.returncode == 0, first_err
    assert refused.returncode == 1
    assert f"{out} is being written by another kg process (pid {first.pid}" in refused.stderr
    assert "--wait SECONDS" in refused.stderr and "KG_LOCK_WAIT" in refused.stderr
    assert removal.returncode == 1 and "being written by another kg process" in removal.stderr
    assert graph_articles(out) in (complete_new, sources["first"])  # one whole graph or other
    _, waiting_err = waiting.communicate(timeout=600)
    assert waiting.returncode == 0, waiting_err
    assert "waiting up to 300 s" in waiting_err
    # it ran after the first: its change log is against the first's graph (seeds' facts lost)
    assert re.search(r"\b0 fact\(s\) added, [1-9][0-9]* lost", waiting_err), waiting_err
    assert graph_articles(out) == sources["first"]  # the later build's graph, whole


def test_a_killed_lock_holder_frees_the_folder(sources, tmp_path):
    out = _copy_built(sources, tmp_path)
    first = start("build", sources["new"], "--out", out, "--no-html")
    _wait_for_lock(out, first)
    first.send_signal(signal.SIGKILL)
    first.communicate()
    proc = kg("build", sources["old"], "--out", out, "--no-html")  # no wait: refused if held
    assert proc.returncode == 0, proc.stderr


def test_the_lock_excludes_a_second_holder_even_in_one_process(tmp_path):
    with hold(tmp_path, wait=0), pytest.raises(FolderLockedError, match=f"pid {os.getpid()}"), \
                hold(tmp_path, wait=0.3):
        pass
    with hold(tmp_path, wait=0):  # released when the block ends
        pass


def test_a_malformed_kg_lock_wait_is_named(tmp_path, monkeypatch):
    from kg.errors import SettingError

    monkeypatch.setenv("KG_LOCK_WAIT", "soon")
    with pytest.raises(SettingError, match="KG_LOCK_WAIT='soon'"), hold(tmp_path):
        pass
