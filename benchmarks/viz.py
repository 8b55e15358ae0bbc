"""Benchmark of the page for a big graph: Python side (network, layout, HTML) and headless Chromium.

Makes a synthetic graph shaped like a build (benchmarks/synth.py) with about
--nodes drawn nodes, then measures: loading it, `kg.graphview.network`, the
Python layout, the whole `render_html`, the page size; and in Chromium (Playwright
driving /usr/bin/chromium), over --runs page loads: the time from navigation to
the first drawing (window.dgReady), a type filter (hide every meeting), a search
that focuses a node, and fitting the whole graph. Prints a table and writes
benchmarks/viz_results.json with the machine it ran on.

    .venv/bin/python benchmarks/viz.py --nodes 5000 --runs 3
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rdflib import Dataset

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from synth import synthetic_nquads  # noqa: E402

from kg import analysis, graphview, layout, viz  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update"]
QUADS_PER_NODE = 45  # synth.py: about this many quads per drawn node


def python_side(nq: Path, out: Path) -> dict[str, Any]:
    """Load the N-Quads, draw and write the page; return the timings (s) and sizes."""
    t0 = time.perf_counter()
    ds = Dataset()
    ds.parse(nq, format="nquads")
    t1 = time.perf_counter()
    nodes, edges = graphview.network(ds)
    t2 = time.perf_counter()
    layout.positions(analysis.drawn_graph(nodes, edges))
    t3 = time.perf_counter()
    page = viz.render_page(nodes, edges, title="benchmark")
    t4 = time.perf_counter()
    out.write_text(page, encoding="utf-8")
    return {"quads": len(ds), "nodes": len(nodes), "edges": len(edges),
            "load_s": round(t1 - t0, 2), "network_s": round(t2 - t1, 2),
            "layout_s": round(t3 - t2, 2), "render_page_s": round(t4 - t3, 2),
            "html_mb": round(len(page.encode()) / 1e6, 2)}


def browser_side(page_path: Path, runs: int) -> dict[str, Any]:
    """Open the page `runs` times in headless Chromium; return median timings (ms)."""
    from playwright.sync_api import sync_playwright

    ready, filt, search, fit, errors, requests = [], [], [], [], [], []
    url = page_path.resolve().as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        version = browser.version
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("request", lambda r: requests.append(r.url) if r.url != url else None)
            start = time.perf_counter()
            page.goto(url)
            page.wait_for_function("() => window.dgReady === true", timeout=300_000,
                                   polling=50)
            ready.append((time.perf_counter() - start) * 1000)
            filt.append(page.evaluate("""() => { const t = performance.now();
                const box = document.querySelector('#filter-types input[value=Meeting]');
                box.click(); dgNetwork.redraw(); return performance.now() - t; }"""))
            search.append(page.evaluate("""() => { const t = performance.now();
                const id = dgFind('Person1 '); dgSelectNode(id, false); dgNetwork.redraw();
                return performance.now() - t; }"""))
            fit.append(page.evaluate("""() => { const t = performance.now();
                dgNetwork.fit({animation: false}); dgNetwork.redraw();
                return performance.now() - t; }"""))
            context.close()
        browser.close()
    return {"chromium": version, "runs": runs,
            "ready_ms": round(statistics.median(ready)), "ready_ms_all": [round(x) for x in ready],
            "filter_meetings_ms": round(statistics.median(filt)),
            "search_select_ms": round(statistics.median(search)),
            "fit_redraw_ms": round(statistics.median(fit)),
            "console_errors": len(errors), "requests": len(requests)}


def machine() -> dict[str, Any]:
    """Describe the machine: CPU model, cores, memory, Python."""
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    mem = next((int(line.split()[1]) // 1024 for line in
                Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), 0)
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_mb": mem,
            "python": platform.python_version(), "system": platform.platform()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--nodes", type=int, default=5000, help="about this many drawn nodes")
    ap.add_argument("--runs", type=int, default=3, help="page loads in Chromium")
    ap.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "viz_results.json")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        nq, html = Path(tmp) / "g.nq", Path(tmp) / "graph.html"
        synthetic_nquads(nq, args.nodes * QUADS_PER_NODE)
        py = python_side(nq, html)
        web = browser_side(html, args.runs)
    result = {"machine": machine(), "python_side": py, "browser": web,
              "layout_threshold": viz.LAYOUT_THRESHOLD,
              "command": "benchmarks/viz.py " + " ".join(argv or sys.argv[1:])}
    args.output.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    for key, value in [*py.items(), *web.items()]:
        print(f"{key:22} {value}")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
