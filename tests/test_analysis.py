"""Tests of kg.analysis (centrality, communities, stats, timeline), kg.narrow, kg.layout,
the GEXF export, and the `kg stats` / `kg viz` narrowing commands."""
from __future__ import annotations

import json
import math
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

import kg
from kg import analysis, layout, narrow, viz
from kg.cli import app
from kg.errors import EntityNotFoundError, OptionError
from kg.export import export_graph
from kg.graphview import in_range

ID = "https://w3id.org/diplograph/id/"
MONTENEGRO, AKHANNOUCH = ID + "person/luis-montenegro", ID + "person/aziz-akhannouch"
PORTUGAL, MOROCCO, KENYA = ID + "country/portugal", ID + "country/morocco", ID + "country/kenya"
WATER = ID + "agreement/memorandum-of-understanding-on-water-management"


def ids(nodes: list[dict]) -> set[str]:
    return {n["id"] for n in nodes}


# --- analysis ----------------------------------------------------------------------------

def test_importance_is_degree_centrality_scaled_to_the_hub() -> None:
    star = nx.star_graph(4)  # node 0 linked to 1..4
    nx.set_node_attributes(star, "x", "label")
    weight = analysis.importance(nx.relabel_nodes(star, str))
    assert weight["0"] == 1.0
    assert weight["1"] == pytest.approx(0.25)
    assert analysis.importance(nx.Graph()) == {}


def test_stats_counts_central_entities_and_communities(tiny_dataset) -> None:
    figures = kg.stats(tiny_dataset, top=3)
    nodes, edges = viz.network(tiny_dataset)
    assert figures["nodes"] == len(nodes) == sum(figures["types"].values())
    assert figures["edges"] == len(edges) == sum(figures["relations"].values())
    assert figures["types"]["Person"] == 3 and figures["relations"]["holds"] == 3
    assert figures["components"] == 2  # the Lisbon article and the Nairobi article
    assert figures["largest_component"] == 7
    top = figures["central"]
    assert len(top) == 3 and all(r["type"] != "Meeting" for r in top)
    assert [r["degree"] for r in top] == sorted((r["degree"] for r in top), reverse=True)
    assert top[0]["label"] == "Luís Montenegro"  # degree 3 and the highest betweenness
    groups = [set(c["members"]) for c in figures["communities"]]
    assert sum(c["size"] for c in figures["communities"]) <= figures["nodes"]
    kenya = next(g for g in groups if "Kenya" in g)
    assert "William Ruto" in kenya and not kenya & {"Portugal", "Morocco"}
    assert kg.stats(tiny_dataset, top=3) == figures  # seeded: the same every time


def test_timeline_has_meetings_and_agreements_per_country_pair(tiny_dataset) -> None:
    rows = kg.timeline(tiny_dataset)
    assert [(r["date"], r["kind"], r["pair"]) for r in rows] == [
        ("2025-03-12", "agreement", "Morocco \u2013 Portugal"),
        ("2025-03-12", "meeting", "Morocco \u2013 Portugal")]
    assert rows[0]["label"] == "Memorandum of Understanding on Water Management"


def test_node_lists_its_meetings_agreements_and_positions(tiny_dataset) -> None:
    nodes, _ = viz.network(tiny_dataset)
    by_id = {n["id"]: n for n in nodes}
    montenegro = by_id[MONTENEGRO]
    assert montenegro["positions"] == ["Prime Minister of Portugal"]
    assert [m["date"] for m in montenegro["meetings"]] == ["2025-03-12"]
    assert [a["id"] for a in montenegro["agreements"]] == [WATER]
    morocco = by_id[MOROCCO]  # through its prime minister; the agreement directly
    assert [m["via"] for m in morocco["meetings"]] == ["Aziz Akhannouch"]
    assert [(a["id"], a["via"]) for a in morocco["agreements"]] == [(WATER, "")]
    assert by_id[KENYA]["meetings"] == []


# --- narrowing ---------------------------------------------------------------------------

@pytest.mark.parametrize(("when", "since", "until", "inside"), [
    ("2024-06-03", "", "2024", True), ("2024", "2024-06-01", "", True),
    ("2023-12-31", "2024", "", False), ("2024-06", "2024-06-30", "2024-07", True),
    ("2024-08-01", "", "2024-07", False), ("", "2024", "", False), ("", "", "", True)])
def test_in_range_treats_a_coarse_date_as_its_period(when, since, until, inside) -> None:
    assert in_range(when, since, until) is inside


def test_focus_draws_the_ego_network_by_any_name(tiny_dataset) -> None:
    nodes, edges = viz.network(tiny_dataset)
    near, near_edges = narrow.narrow(nodes, edges, focus="montenegro", depth=1)
    assert ids(near) == {MONTENEGRO, PORTUGAL, WATER} | {
        n["id"] for n in nodes if n["type"] == "Meeting"}
    assert all(e["from"] in ids(near) and e["to"] in ids(near) for e in near_edges)
    two, _ = narrow.narrow(nodes, edges, focus="Luis Montenegro", depth=2)  # accents ignored
    assert {AKHANNOUCH, MOROCCO} <= ids(two) and KENYA not in ids(two)
    alone, _ = narrow.narrow(nodes, edges, focus="Montenegro", depth=0)
    assert ids(alone) == {MONTENEGRO}


def test_unknown_focus_suggests_close_names(tiny_dataset) -> None:
    nodes, edges = viz.network(tiny_dataset)
    with pytest.raises(EntityNotFoundError) as caught:
        narrow.narrow(nodes, edges, focus="Luis Montenegor")
    assert "Luís Montenegro" in caught.value.suggestions
    assert "did you mean" in str(caught.value)


def test_types_dates_and_support_narrow_the_drawing(tiny_dataset) -> None:
    nodes, edges = viz.network(tiny_dataset)
    people, kept = narrow.narrow(nodes, edges, types=["country", "Person"])
    assert {n["type"] for n in people} == {"Country", "Person"}
    assert {e["kind"] for e in kept} == {"holds", "partner"}
    before, _ = narrow.narrow(nodes, edges, until="2025-03-11")
    assert not {n["type"] for n in before} & {"Meeting", "Agreement"}
    assert PORTUGAL in ids(before)  # linked by the partnership and a post, so still drawn
    during, _ = narrow.narrow(nodes, edges, since="2025-03", until="2025-03")
    assert WATER in ids(during)
    strong, strong_edges = narrow.narrow(nodes, edges, min_support=2)
    assert not [e for e in strong_edges if e["kind"] in narrow.FACT_KINDS]
    assert len(strong) < len(nodes)


@pytest.mark.parametrize(("options", "message"), [
    ({"since": "March 2024"}, "YYYY"), ({"types": ["Planet"]}, "unknown type"),
    ({"since": "2025", "until": "2024"}, "after"), ({"depth": -1}, "depth")])
def test_bad_options_raise_option_error(tiny_dataset, options, message) -> None:
    nodes, edges = viz.network(tiny_dataset)
    with pytest.raises(OptionError, match=message):
        narrow.narrow(nodes, edges, **options)


# --- layout ------------------------------------------------------------------------------

def test_layout_places_every_node_apart_and_is_deterministic() -> None:
    G = nx.relabel_nodes(nx.connected_caveman_graph(30, 20), str)  # 600 nodes, 30 clusters
    G.add_edges_from([("x1", "x2"), ("x3", "x3")])
    G.add_node("lonely")
    pos = layout.positions(G)
    assert set(pos) == set(G)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in pos.values())
    assert len(set(pos.values())) == len(G)
    assert layout.positions(G) == pos
    # a clique (one community) is drawn tighter than the whole graph
    clique = [str(i) for i in range(20)]
    spread = max(math.dist(pos[a], pos[b]) for a in clique for b in clique)
    width = max(x for x, _ in pos.values()) - min(x for x, _ in pos.values())
    assert spread < width / 3


def test_large_graph_page_has_positions_and_no_physics(monkeypatch, tiny_dataset) -> None:
    monkeypatch.setattr(viz, "LAYOUT_THRESHOLD", 5)
    page = viz.render_html(tiny_dataset)
    data = json.loads(page.split('id="dg-data">')[1].split("</script>")[0])
    assert data["large"] is True and data["options"]["physics"] == {"enabled": False}
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    sizes = {n["label"]: n["size"] for n in data["nodes"]}
    assert sizes["Luís Montenegro"] > sizes["William Ruto"]  # degree 3 against 2, same type


# --- exports and commands ----------------------------------------------------------------

def test_gexf_has_labelled_nodes_and_relation_edges(tmp_path: Path, tiny_dataset) -> None:
    path = export_graph(tiny_dataset, "gexf", tmp_path / "g.gexf")
    G = nx.read_gexf(path)
    labels = {d["label"] for _, d in G.nodes(data=True)}
    assert {"Luís Montenegro", "Portugal", "African Union"} <= labels
    relations = {d["relation"] for _, _, d in G.edges(data=True)}
    assert {"holds", "participant", "party", "partner", "memberOf", "supports"} <= relations


@pytest.fixture()
def trig(tmp_path: Path, tiny_dataset) -> Path:
    path = tmp_path / "graph.trig"
    tiny_dataset.serialize(path, format="trig")
    return path


def test_kg_stats_prints_tables_and_json(trig: Path) -> None:
    runner = CliRunner()
    shown = runner.invoke(app, ["stats", str(trig), "--top", "2"])
    assert shown.exit_code == 0, shown.output
    assert "most central" in shown.output and "Luís Montenegro" in shown.output
    as_json = runner.invoke(app, ["stats", str(trig), "--json"])
    assert json.loads(as_json.output)["components"] == 2


def test_kg_viz_narrows_and_names_unknown_focus(trig: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "ego.html"
    ok = runner.invoke(app, ["viz", str(trig), "-o", str(out), "--focus", "Akhannouch",
                             "--depth", "1", "--type", "Person", "--type", "Meeting"])
    assert ok.exit_code == 0, ok.output
    block = out.read_text(encoding="utf-8").split('id="dg-data">')[1].split("</script>")[0]
    drawn = {n["label"] for n in json.loads(block)["nodes"]}
    assert drawn == {"Aziz Akhannouch", "Meeting 2025-03-12"}
    bad = runner.invoke(app, ["viz", str(trig), "-o", str(out), "--focus", "Akhanouch"])
    assert bad.exit_code == 1 and "did you mean: Aziz Akhannouch" in " ".join(bad.output.split())
    bad_date = runner.invoke(app, ["viz", str(trig), "-o", str(out), "--since", "soon"])
    assert bad_date.exit_code == 1 and "YYYY" in bad_date.output
