"""`kg eval` scores like the shared scorer, and reports bad gold folders clearly."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DEV_GOLD, SHARED

from kg.evaluate import EvalError, score

KG = str(Path(sys.executable).parent / "kg")


def _gold(tmp_path: Path) -> Path:
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "a.json").write_text(json.dumps({
        "doc": "a.txt", "published": "2024-05-06",
        "entities": [{"type": "Person", "name": "Ilham Aliyev"},
                     {"type": "Person", "name": "Xi Jinping"},
                     {"type": "Country", "name": "China"},
                     {"type": "Place", "name": "Astana"}],
        "facts": [{"rel": "meeting", "participants": ["Ilham Aliyev", "Xi Jinping"],
                   "place": "Astana", "date": None},
                  {"rel": "position", "person": "Xi Jinping", "title": ["President"],
                   "of": ["China"]}]}))
    return gold


def test_score_of_the_seed_graph_counts_its_meeting(seed_build, tmp_path):
    result, _ = seed_build
    report = score(result.dataset, _gold(tmp_path))
    assert report["kinds"]["met"]["tp"] == 1
    assert report["kinds"]["met_at"]["tp"] == 1
    assert report["kinds"]["position"]["tp"] == 1
    assert report["entities"]["tp"] == 4
    assert report["provenance"]["coverage"] == 1.0


def test_empty_gold_folder_is_a_clear_error(seed_build, tmp_path):
    result, _ = seed_build
    with pytest.raises(EvalError, match="no gold files"):
        score(result.dataset, tmp_path)


def test_cli_eval_prints_the_table_and_json(seed_build, tmp_path):
    _, out = seed_build
    gold = _gold(tmp_path)
    table = subprocess.run([KG, "eval", str(gold), "--graph", str(out)], capture_output=True,
                           text=True, check=True).stdout
    assert "FACTS" in table and "ENTITIES" in table
    data = json.loads(subprocess.run([KG, "eval", str(gold), "--graph", str(out), "--json"],
                                     capture_output=True, text=True, check=True).stdout)
    assert data["kinds"]["met"]["tp"] == 1


@pytest.mark.slow
@pytest.mark.skipif(not DEV_GOLD.exists(), reason="../shared/eval/dev is not beside the project")
def test_kg_eval_agrees_with_the_shared_scorer(seed_build, tmp_path):
    """On the seeds' graph and the dev gold, kg eval reports what score.py reports."""
    _, out = seed_build
    ours = json.loads(subprocess.run([KG, "eval", str(DEV_GOLD), "--graph", str(out), "--json"],
                                     capture_output=True, text=True, check=True).stdout)
    theirs = json.loads(subprocess.run(
        [sys.executable, str(SHARED / "eval" / "score.py"), "--graph", str(out / "graph.trig"),
         "--gold", str(DEV_GOLD), "--json"], capture_output=True, text=True, check=True).stdout)
    for key in ("kinds", "facts", "entities", "resolution", "provenance"):
        assert ours[key] == theirs[key], key
