"""The notebooks run in a real Jupyter kernel (nbclient + ipykernel), and show what they say.

Both run in one temporary folder holding a link to seeds/, so the repository is not
written to; the second notebook reuses the extractions the first one built. Cells
are found by their tag (cell metadata "tags"), and their outputs are checked.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("notebooks")
    (folder / "seeds").symlink_to(ROOT / "seeds")
    return folder


def run(name: str, workdir: Path) -> Any:
    """Execute notebooks/`name` in a python3 kernel started in `workdir`; return it run."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(workdir)}})
    client.execute()
    return nb


def outputs(nb: Any, tag: str) -> list[dict[str, Any]]:
    """Return the outputs of the cell tagged `tag`."""
    [cell] = [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]
    return list(cell.get("outputs", []))


def text(nb: Any, tag: str) -> str:
    """Return what the cell tagged `tag` printed or displayed as text."""
    parts = []
    for out in outputs(nb, tag):
        if out.get("output_type") == "stream":
            parts.append(out["text"])
        parts.append(out.get("data", {}).get("text/plain", ""))
    return "".join(parts)


def test_every_notebook_is_tested() -> None:
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == [
        "01_quickstart.ipynb", "02_analysis.ipynb"]


def test_quickstart_builds_queries_and_shows_the_page(workdir: Path) -> None:
    nb = run("01_quickstart.ipynb", workdir)
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert "'articles': 5" in text(nb, "build")
    meetings = text(nb, "meetings")
    assert "Xi Jinping" in meetings and "Ilham Aliyev" in meetings
    assert "President" in text(nb, "posts")
    [page] = [o for o in outputs(nb, "page") if "text/html" in o.get("data", {})]
    shown = page["data"]["text/html"]
    assert shown.startswith("<iframe srcdoc=") and "&lt;script" in shown  # the page, escaped
    assert "Content-Security-Policy" in shown
    assert (workdir / "out" / "graph.html").stat().st_size > 10_000
    assert "xi.html" in text(nb, "ego")


def test_analysis_shows_centrality_communities_and_a_timeline(workdir: Path) -> None:
    nb = run("02_analysis.ipynb", workdir)
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    stats = text(nb, "stats")
    assert "Azerbaijan" in stats and "betweenness" in stats
    assert text(nb, "communities").strip()
    assert "Azerbaijan" in text(nb, "networkx")
    timeline = text(nb, "timeline")
    assert "Azerbaijan \u2013 China" in timeline and " rows" in timeline
    assert int(timeline.split()[-2]) > 0
    images = [o for o in outputs(nb, "plot") if "image/png" in o.get("data", {})]
    assert len(images) == 1 and len(images[0]["data"]["image/png"]) > 5_000
