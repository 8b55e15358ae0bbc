"""Peak memory of a large build: `python benchmarks/memory.py --articles 20000 --workers 2`.

Generates the articles (the dev texts with countries and years changed,
benchmarks/synth.py), builds them into a temporary folder with `kg.api.build`
(no page) and prints, as JSON, the time, words/s, triples and the peak
resident memory of the building process and of its largest worker.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import make_corpus  # noqa: E402

from kg import api  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


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
        start = time.perf_counter()
        result = api.build([corpus], work / "out", html=False, workers=args.workers)
        seconds = time.perf_counter() - start
        print(json.dumps({
            "articles": args.articles, "workers": args.workers, "seconds": round(seconds, 1),
            "words_per_s": round(words / seconds), "triples": result.summary()["triples"],
            "peak_mb_build": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "peak_mb_worker": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
        }, indent=1))


if __name__ == "__main__":
    main()
