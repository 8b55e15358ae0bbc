"""Peak memory of a large build: `python benchmarks/memory.py --articles 20000 --workers 2`.

Generates the articles (the dev texts with countries and years changed,
benchmarks/synth.py), builds them into a temporary folder with `kg.api.build`
(no page) and prints, as JSON, the time, words/s, triples, the peak resident
memory of the building process and of its largest worker, and the peak of their
sum (the whole build at one moment, sampled every half second from /proc): of
their resident sets, where a page the forked workers share with the parent
counts once per process, and of their proportional sets (PSS), where it counts
once in all: the memory the build takes from the machine.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import make_corpus  # noqa: E402

from kg import api  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _tree_mb(pid: int) -> tuple[float, float]:
    """Memory of process `pid` and all its descendants now, in MiB: the sum of their
    resident sets (Rss: a page shared by forked processes counts in each) and of their
    proportional sets (Pss: a shared page counts once, split between its sharers)."""
    rss = pss = 0.0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            fields = dict(ln.split()[:2] for ln in
                          Path(f"/proc/{p}/smaps_rollup").read_text().splitlines()[1:])
            rss += int(fields["Rss:"]) / 1024
            pss += int(fields["Pss:"]) / 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, KeyError, ValueError):
            continue  # the process ended meanwhile
    return rss, pss


class TreeSampler(threading.Thread):
    """Samples the memory of this process and its children every `every` s (peaks of the
    summed resident and proportional sets)."""

    def __init__(self, every: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.every, self.peak, self.peak_pss, self.stop = every, 0.0, 0.0, threading.Event()

    def run(self) -> None:
        while not self.stop.wait(self.every):
            rss, pss = _tree_mb(os.getpid())
            self.peak, self.peak_pss = max(self.peak, rss), max(self.peak_pss, pss)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--texts", type=Path, default=ROOT.parent / "shared" / "eval" / "dev" / "texts")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-memory-") as tmp:
        work = Path(tmp)
        corpus, words = make_corpus(args.texts, args.articles, work / "corpus.jsonl")
        sampler = TreeSampler()
        sampler.start()
        start = time.perf_counter()
        result = api.build([corpus], work / "out", html=False, workers=args.workers)
        seconds = time.perf_counter() - start
        sampler.stop.set()
        print(json.dumps({
            "articles": args.articles, "workers": args.workers, "seconds": round(seconds, 1),
            "words_per_s": round(words / seconds), "triples": result.summary()["triples"],
            "peak_mb_build": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "peak_mb_worker": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
            "peak_mb_all_processes": round(sampler.peak),
            "peak_mb_all_processes_pss": round(sampler.peak_pss),
        }, indent=1))


if __name__ == "__main__":
    main()
