"""Benchmark diplograph in one run: spaCy vs `kg build`, workers, stores, exports, memory.

    .venv/bin/python benchmarks/run.py                  # defaults: about 10 minutes on 2 cores
    .venv/bin/python benchmarks/run.py --articles 100 --triples 200000 --large-articles 300
    .venv/bin/python benchmarks/run.py --skip nlp build memory   # the store section only

Measures, on the same generated articles (the dev texts repeated with their
countries and years changed, see synth.py):
  nlp      raw `en_core_web_sm` nlp.pipe words/s, on 1 and 2 processes; kg's trimmed pipeline;
           the raw pipeline with kg's matrix products (numpy's BLAS)
  build    kg.api.build words/s (no HTML page), best of --rounds, and its ratio to raw
           nlp.pipe run alternately with it in the same process (the machine's speed drifts);
           1 vs 2 workers when `build` takes `workers` (else "n/a")
  store    on a generated graph of --triples quads: load, each library query (kg/queries)
           with the parameters of synth.py (the most mentioned person and countries) and
           without, Turtle export and load, peak memory, SHACL validation (kg.shacl, the
           Oxigraph side only); kg's OxigraphEngine over an on-disk store laid out as kg
           build writes it (the default store) vs rdflib's Memory store.
           Query times are the best of 5 runs (median in the JSON); rdflib runs once.
  memory   peak memory (max RSS) of a --large-articles build
A fixed pure-Python loop is timed at the start and the end (the machine's speed then).
Each section runs in its own process, so its peak memory is its own. Prints a
table and writes benchmarks/results.json.
"""
from __future__ import annotations

import argparse
import contextlib
import inspect
import itertools
import json
import multiprocessing
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEV_TEXTS = ROOT.parent / "shared" / "eval" / "dev" / "texts"
sys.path.insert(0, str(HERE))

from synth import make_corpus, synthetic_nquads  # noqa: E402


def peak_mb() -> float:
    """This process's peak resident memory so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _texts(corpus: Path) -> list[str]:
    return [json.loads(line)["text"] for line in corpus.open(encoding="utf-8")]


# --- sections (each runs in a child process) ----------------------------------------------------
def child_nlp(corpus: Path, words: int) -> dict[str, Any]:
    """Raw spaCy words/s on 1 and 2 processes, the words/s of kg's trimmed pipeline, and of
    the raw pipeline with kg's matrix products (numpy's BLAS, kg.nlp.numpy_blas)."""
    from kg.nlp import load, numpy_blas, one_thread

    texts = _texts(corpus)
    raw = _raw_model()
    list(raw.pipe(texts[:5]))
    out: dict[str, Any] = {"model": f"{raw.meta['lang']}_{raw.meta['name']}",
                           "components": raw.pipe_names}
    for procs in (1, 2):
        start = time.perf_counter()
        for _ in raw.pipe(texts, batch_size=32, n_process=procs):
            pass
        out[f"raw_wps_{procs}proc"] = words / (time.perf_counter() - start)
    trimmed = load()
    list(trimmed.pipe(texts[:5]))
    with one_thread():
        start = time.perf_counter()
        for _ in trimmed.pipe(texts, batch_size=32):
            pass
        out["kg_pipeline_wps"] = words / (time.perf_counter() - start)
        # how much of that is numpy's BLAS alone: the raw model with kg's matrix products
        numpy_blas(raw)
        start = time.perf_counter()
        for _ in raw.pipe(texts, batch_size=32):
            pass
        out["raw_numpy_blas_wps"] = words / (time.perf_counter() - start)
    out["kg_components"] = trimmed.pipe_names
    return out


def child_build(corpus: Path, words: int, workers: int, rounds: int = 1,
                raw: bool = False) -> dict[str, Any]:
    """kg.api.build words/s over the corpus (no HTML page), the best of `rounds` builds.
    As raw nlp.pipe is timed after a first few texts, the model is loaded and five articles
    built beforehand (kg's tables and patterns load on first use), not timed.

    With `raw`, each build is preceded by a raw `en_core_web_sm` nlp.pipe over the same
    texts in this process, so that the two alternate and a machine that changes speed
    during the run slows both alike; "raw_wps" is the best of those, "ratios" the ratio
    of each build to the raw run just before it."""
    from kg import api, nlp

    nlp.load()
    with tempfile.TemporaryDirectory() as warm:
        first = Path(warm) / "first.jsonl"
        with corpus.open(encoding="utf-8") as lines:
            first.write_text("".join(itertools.islice(lines, 5)), encoding="utf-8")
        api.build([first], Path(warm) / "out", html=False)
    kwargs: dict[str, Any] = {}
    if workers != 1:
        if "workers" not in inspect.signature(api.build).parameters:
            return {"workers": workers, "wps": None, "note": "kg.api.build has no workers"}
        kwargs["workers"] = workers
    model, texts = (_raw_model(), _texts(corpus)) if raw else (None, [])
    if model is not None:
        list(model.pipe(texts[:5]))
    builds: list[float] = []
    raws: list[float] = []
    for _ in range(rounds):
        if model is not None:
            start = time.perf_counter()
            for _ in model.pipe(texts, batch_size=32):
                pass
            raws.append(time.perf_counter() - start)
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            result = api.build([corpus], out, html=False, **kwargs)
            builds.append(time.perf_counter() - start)
    found: dict[str, Any] = {
        "workers": workers, "wps": words / min(builds), "seconds": min(builds),
        "rounds": [round(words / s) for s in builds],
        "articles": len(result.extractions), "triples": result.summary()["triples"],
        "peak_mb": peak_mb()}
    if raws:
        found["raw_wps"] = words / min(raws)
        found["raw_rounds"] = [round(words / r) for r in raws]
        found["ratios"] = [round(r / s, 3) for s, r in zip(builds, raws, strict=True)]
    return found


def _raw_model() -> Any:
    """The model as spaCy loads it, every component and thinc's defaults (the baseline)."""
    import spacy

    from kg.nlp import MODEL_NAMES

    for name in MODEL_NAMES:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise SystemExit("no en_core_web_sm model installed")


def _timed(fn: Any, repeat: int) -> dict[str, Any]:
    """{"best_ms", "median_ms", "rows"} of fn() (which returns its row count) over `repeat` runs."""
    times, rows = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        rows = fn()
        times.append(time.perf_counter() - start)
    times.sort()
    return {"best_ms": times[0] * 1000, "median_ms": times[len(times) // 2] * 1000,
            "rows": rows}


def _forked(fn: Any, timeout: float) -> Any:
    """fn() in a forked copy of this process (sharing the loaded store); None past `timeout`.

    pyoxigraph evaluates a query in Rust and cannot be interrupted, so a query
    that runs away is stopped by killing its process.
    """
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=lambda: send.send(fn()))
    proc.start()
    result = receive.recv() if receive.poll(timeout) else None
    proc.kill()
    proc.join()
    return result


def _runs(params: dict[str, str]) -> dict[str, dict[str, str]]:
    """The runs of one library query: with its benchmark parameters (if any) and without."""
    return {"bound": params, "unbound": {}} if params else {"unbound": {}}


def child_store(kind: str, nq: Path, params: dict[str, dict[str, str]], timeout: float,
                repeat: int = 5) -> dict[str, Any]:
    """Load the synthetic graph into one store, run the library queries, export and reload.

    pyoxigraph: an on-disk store laid out as `kg build` makes it (each article's triples in
    its named graph, the merged graph in the default graph), queried through kg's own
    OxigraphEngine (parameters bound by a VALUES block). rdflib: a Dataset in its Memory
    store (default_union), parameters as initBindings. Each query runs with its
    benchmark parameters ("bound") and without ("unbound"); best and median of `repeat`.
    """
    from kg.sparql import named_queries

    queries = named_queries()
    out: dict[str, Any] = {"store": kind, "queries": {}}
    work = Path(tempfile.mkdtemp(prefix=f"kg-bench-{kind}-"))
    ttl = work / "graph.ttl"
    if kind == "oxigraph":
        import pyoxigraph as ox

        from kg.oxstore import OxigraphEngine, dump_turtle, finish_store

        start = time.perf_counter()
        store = ox.Store(str(work / "store"))
        store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        # the merged graph in the default graph (the .nt file repeats shared triples: the
        # store keeps each once), and compacted, as kg build writes it
        store.bulk_load(path=str(nq.with_suffix(".nt")), format=ox.RdfFormat.N_TRIPLES)
        finish_store(store)
        del store
        store = ox.Store.read_only(str(work / "store"))  # as kg query and kg serve open it
        out["load_s"] = time.perf_counter() - start
        out["peak_after_load_mb"] = peak_mb()
        from kg.validate import validate_store

        start = time.perf_counter()
        report = validate_store(store)
        out["validate_s"] = time.perf_counter() - start
        out["violations"] = report.violations
        engine = OxigraphEngine(store)
        for name, text in queries.items():
            for run_name, given in _runs(params.get(name, {})).items():
                timed = _forked(lambda t=text, g=given: _timed(  # type: ignore[misc]
                    lambda: len(engine.run(t, g).rows), repeat), timeout)
                out["queries"].setdefault(name, {})[run_name] = timed or {
                    "best_ms": None, "median_ms": None, "rows": f"over {timeout:g} s"}
        start = time.perf_counter()
        ttl.write_bytes(dump_turtle(store))
        out["turtle_export_s"] = time.perf_counter() - start
        start = time.perf_counter()
        ox.Store().bulk_load(path=str(ttl), format=ox.RdfFormat.TURTLE)
        out["turtle_load_s"] = time.perf_counter() - start
        del engine, store
    else:
        from rdflib import Dataset, Graph

        from kg.server import Limits, Runner
        from kg.sparql import run
        from kg.store import union

        start = time.perf_counter()
        ds = Dataset(default_union=True)
        ds.parse(str(nq), format="nquads")
        out["load_s"] = time.perf_counter() - start
        out["peak_after_load_mb"] = peak_mb()
        runner = Runner(Limits(timeout=timeout, max_concurrent=1))
        run(ds, "ASK { ?s a dg:Person }")  # warm up the parser
        for name, text in queries.items():
            for run_name, given in _runs(params.get(name, {})).items():
                try:
                    timed = _timed(lambda t=text, g=given: runner.call(  # type: ignore[misc]
                        lambda: len(list(run(ds, t, g)))), 1)
                except Exception as exc:  # noqa: BLE001 - a timeout is a result
                    timed = {"best_ms": None, "median_ms": None, "rows": str(exc)[:80]}
                out["queries"].setdefault(name, {})[run_name] = timed
        start = time.perf_counter()
        union(ds).serialize(destination=str(ttl), format="turtle")
        out["turtle_export_s"] = time.perf_counter() - start
        start = time.perf_counter()
        Graph().parse(str(ttl), format="turtle")
        out["turtle_load_s"] = time.perf_counter() - start
    out["turtle_mb"] = ttl.stat().st_size / 2**20
    out["peak_mb"] = peak_mb()
    shutil.rmtree(work, ignore_errors=True)
    return out


def child_memory(corpus: Path, words: int) -> dict[str, Any]:
    """Peak memory and time of a large build (no HTML page)."""
    result = child_build(corpus, words, 1)
    return {**result, "peak_mb": peak_mb()}


# --- the parent: inputs, children, table, JSON ---------------------------------------------------
def _child(section: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Run one section in a fresh Python process; its JSON result."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, "--child", section, json.dumps(payload)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        print(proc.stderr[-2000:], file=sys.stderr)
        return {"error": f"{section} failed (exit {proc.returncode})"}
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall_s"] = time.perf_counter() - started
    return result


def reference_loop_s() -> float:
    """Seconds this machine takes for a fixed pure-Python loop (best of 3): shared machines
    change speed over the day, and this tells how fast it was during the run."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(50_000):
            sum(range(1000))
        best = min(best, time.perf_counter() - start)
    return round(best, 3)


def machine() -> dict[str, Any]:
    cpu = ""
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(ln.split(":", 1)[1].strip() for ln in
                   Path("/proc/cpuinfo").read_text().splitlines() if ln.startswith("model name"))
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = {}
    for mod in ("rdflib", "pyoxigraph", "spacy"):
        try:
            versions[mod] = __import__(mod).__version__
        except (ImportError, AttributeError):
            versions[mod] = None
    return {"cores": os.cpu_count(), "cpu": cpu, "memory_gb": round(mem_gb, 1),
            "reference_loop_s": reference_loop_s(),
            "python": platform.python_version(), "platform": platform.platform(), **versions}


def _fmt(value: Any, unit: str = "", digits: int = 0) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}{unit}" if isinstance(value, int | float) else str(value)


def table(r: dict[str, Any]) -> str:
    """The results as an aligned text table."""
    nlp, b1, b2, mem = r["nlp"], r["build_1"], r["build_2"], r["memory"]
    ox, rd = r["store"].get("oxigraph", {}), r["store"].get("rdflib", {})
    raw1 = nlp.get("raw_wps_1proc")
    paired = b1.get("raw_wps")  # raw nlp.pipe alternating with the builds (child_build)
    ratio = b1["wps"] / (paired or raw1) if b1.get("wps") and (paired or raw1) else None
    speedup = b2["wps"] / b1["wps"] if b2.get("wps") and b1.get("wps") else None
    s = r["settings"]
    rows = [
        (f"raw {nlp.get('model')} nlp.pipe, 1 process", _fmt(raw1, " words/s")),
        ("raw nlp.pipe, 2 processes", _fmt(nlp.get("raw_wps_2proc"), " words/s")),
        ("raw nlp.pipe with numpy's BLAS, 1 process", _fmt(nlp.get("raw_numpy_blas_wps"),
                                                            " words/s")),
        ("kg's trimmed pipeline nlp.pipe", _fmt(nlp.get("kg_pipeline_wps"), " words/s")),
        ("raw nlp.pipe alternating with the builds (best)", _fmt(paired, " words/s")),
        (f"kg build, {s['articles']} articles, 1 worker (best)", _fmt(b1.get("wps"), " words/s")),
        ("kg build / raw nlp.pipe" + (" (alternating)" if paired else ""), _fmt(ratio, "x", 2)),
        ("  each build / the raw run before it", ", ".join(f"{x:.2f}" for x in
                                                           b1.get("ratios", [])) or "n/a"),
        ("kg build, 2 workers", _fmt(b2.get("wps"), " words/s")),
        ("2 workers / 1 worker", _fmt(speedup, "x", 2)),
        (f"build of {s['large_articles']} articles: peak memory", _fmt(mem.get("peak_mb"), " MB")),
        (f"build of {s['large_articles']} articles: time", _fmt(mem.get("seconds"), " s", 1)),
    ]
    lines = [f"{a:<52} {b:>22}" for a, b in rows]
    lines.append("")
    lines.append(f"{'graph of ' + format(r['graph']['triples'], ',') + ' quads':<40} "
                 f"{'pyoxigraph':>14} {'rdflib Memory':>14} {'speed-up':>9} {'rows':>7}")
    for key, label, unit, digits in (("load_s", "load N-Quads", " s", 1),
                                     ("peak_after_load_mb", "peak memory after load", " MB", 0),
                                     ("turtle_export_s", "Turtle export (merged)", " s", 1),
                                     ("turtle_load_s", "Turtle load", " s", 1),
                                     ("validate_s", "SHACL validation (ontology/shapes.ttl)",
                                      " s", 1)):
        a, b = ox.get(key), rd.get(key)
        x = _fmt(b / a, "x", 1) if a and b and key != "peak_after_load_mb" else ""
        lines.append(f"{label:<40} {_fmt(a, unit, digits):>14} {_fmt(b, unit, digits):>14} {x:>9}")
    limit = s["rdflib_timeout"]
    params = r["graph"]["params"]
    for name in sorted(set(ox.get("queries", {})) | set(rd.get("queries", {}))):
        for run_name in ("bound", "unbound"):
            a = ox.get("queries", {}).get(name, {}).get(run_name)
            b = rd.get("queries", {}).get(name, {}).get(run_name)
            if a is None and b is None:
                continue
            given = params.get(name, {}) if run_name == "bound" else {}
            label = f"{name} " + (", ".join(f"{k}={v}" for k, v in given.items()) or "(none)")
            a_ms, b_ms = (a or {}).get("best_ms"), (b or {}).get("best_ms")
            a_text = _fmt(a_ms, " ms", 1) if a_ms is not None else f"> {limit:g} s"
            if b_ms is None and a_ms:  # rdflib gave up: at least the time limit
                b_text, x = f"> {limit:g} s", f"> {limit * 1000 / a_ms:,.0f}x"
            else:
                b_text = _fmt(b_ms, " ms", 0) if b_ms is not None else f"> {limit:g} s"
                x = _fmt(b_ms / a_ms, "x", 0) if a_ms and b_ms else ""
            lines.append(f"{label[:40]:<40} {a_text:>14} {b_text:>14} {x:>9} "
                         f"{_fmt((a or {}).get('rows')):>7}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--articles", type=int, default=150, help="articles for the speed runs")
    ap.add_argument("--large-articles", type=int, default=500,
                    help="articles of the peak-memory build")
    ap.add_argument("--triples", type=int, default=1_000_000, help="quads of the generated graph")
    ap.add_argument("--texts", type=Path, default=DEV_TEXTS if DEV_TEXTS.is_dir() else
                    ROOT / "seeds", help="folder of .txt articles to make the corpus from")
    ap.add_argument("--rdflib-timeout", type=float, default=30.0,
                    help="give up on a query (either store) after this many seconds")
    ap.add_argument("--rounds", type=int, default=3,
                    help="builds per worker count (the best counts); with 1 worker each "
                         "follows a raw nlp.pipe run")
    ap.add_argument("--skip", nargs="*", default=[], choices=["nlp", "build", "store", "memory"])
    ap.add_argument("--output", type=Path, default=HERE / "results.json")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        section, payload = args.child[0], json.loads(args.child[1])
        fn = {"nlp": child_nlp, "build": child_build, "store": child_store,
              "memory": child_memory}[section]
        for key in ("corpus", "nq"):
            if key in payload:
                payload[key] = Path(payload[key])
        print(json.dumps(fn(**payload)))  # type: ignore[operator]
        return 0

    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    corpus, words = make_corpus(args.texts, args.articles, work / "corpus.jsonl")
    big, big_words = make_corpus(args.texts, args.large_articles, work / "large.jsonl")
    nq = work / "graph.nq"
    samples = synthetic_nquads(nq, args.triples)
    results: dict[str, Any] = {
        "machine": machine(),
        "settings": {"articles": args.articles, "words": words,
                     "large_articles": args.large_articles, "large_words": big_words,
                     "triples": args.triples, "texts": str(args.texts),
                     "rdflib_timeout": args.rdflib_timeout},
        "graph": {"triples": samples.triples, "articles": samples.articles,
                  "params": samples.params},
    }
    skip = set(args.skip)
    say = print
    say(f"corpus: {args.articles} articles, {words:,} words; graph: {samples.triples:,} quads")
    results["nlp"] = {} if "nlp" in skip else _child("nlp", {"corpus": str(corpus),
                                                             "words": words})
    for n in (1, 2):
        results[f"build_{n}"] = {} if "build" in skip else _child(
            "build", {"corpus": str(corpus), "words": words, "workers": n,
                      "rounds": args.rounds, "raw": n == 1})
    results["store"] = {} if "store" in skip else {
        kind: _child("store", {"kind": kind, "nq": str(nq), "params": samples.params,
                               "timeout": args.rdflib_timeout})
        for kind in ("oxigraph", "rdflib")}
    results["memory"] = {} if "memory" in skip else _child(
        "memory", {"corpus": str(big), "words": big_words})
    results["total_s"] = time.perf_counter() - started
    m = results["machine"]
    m["reference_loop_s_end"] = reference_loop_s()
    say(f"\nmachine: {m['cores']} cores, {m['cpu']}, {m['memory_gb']} GB; Python "
        f"{m['python']}, rdflib {m['rdflib']}, pyoxigraph {m['pyoxigraph']}, spaCy {m['spacy']}"
        f"; reference loop {m['reference_loop_s']} s at the start, "
        f"{m['reference_loop_s_end']} s at the end (lower is faster)")
    say(table(results))
    say(f"\ntotal {results['total_s']:.0f} s; wrote {args.output}")
    args.output.write_text(json.dumps(results, indent=1, default=str) + "\n")
    for path in work.iterdir():
        path.unlink()
    work.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
