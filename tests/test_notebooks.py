"""The notebooks run: every code cell of each notebook, in order, in one namespace.

This is a plain-Python execution (no Jupyter kernel), enough to keep the
notebooks from rotting: a renamed API or a broken query fails here.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    root = path.parents[1]
    # run with a copy of the seeds in a temp folder so the repository is not written to
    (tmp_path / "seeds").symlink_to(root / "seeds")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"display": lambda *a, **k: None, "__name__": "__main__"}
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            exec(compile("".join(cell["source"]), f"{path.name}", "exec"), namespace)  # noqa: S102
    assert (tmp_path / "out" / "graph.trig").exists()
    assert namespace["meetings"].rows, "the quickstart should find meetings in the seeds"
    assert os.path.getsize(tmp_path / "out" / "graph.html") > 10_000
