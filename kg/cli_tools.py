"""The `kg` commands that use a built graph: viz, stats, eval, serve, push.

They register on `kg.cli.app` when `kg.cli` is imported; like the rest of the
command line, each is a few lines over the library.
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from kg import api
from kg.cli import _fail, app, err, out
from kg.errors import KGError


@app.command()
def viz(
    graph: Annotated[Path, typer.Argument(help="A folder made by kg build.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")] = Path(
        "graph.html"),
    title: Annotated[str, typer.Option("--title", help="Page heading.")] = "diplograph",
    focus: Annotated[str | None, typer.Option(
        "--focus", help="Draw only the network around the entity of this name (any of its "
                        "names).")] = None,
    depth: Annotated[int, typer.Option("--depth", min=0, help="Hops from --focus (a meeting "
                                                              "is a node: person-meeting-person "
                                                              "is 2).")] = 2,
    types: Annotated[list[str] | None, typer.Option(
        "--type", help="Keep only nodes of this type (repeatable): Person, Country, "
                       "Organization, Place, Agreement, Initiative, Event, Meeting.")] = None,
    since: Annotated[str, typer.Option("--since", help="Drop meetings, agreements and events "
                                                       "dated before (YYYY[-MM[-DD]]).")] = "",
    until: Annotated[str, typer.Option("--until", help="Drop meetings, agreements and events "
                                                       "dated after (YYYY[-MM[-DD]]).")] = "",
    min_support: Annotated[int, typer.Option(
        "--min-support", min=0, help="Drop facts supported by fewer articles.")] = 0,
) -> None:
    """Draw a built graph as one self-contained, offline HTML page.

    Node size follows degree centrality; above 400 nodes positions are computed
    here and the page runs no physics. The options narrow what is drawn.

    Example: kg viz out/ --output graph.html
    Example: kg viz out/ --focus "Xi Jinping" --depth 2 --since 2024-01 -o xi.html
    """
    from kg.viz import write_html

    try:
        write_html(api.open_graph(graph), output, title=title, focus=focus, depth=depth,
                   types=types or (), since=since, until=until, min_support=min_support)
    except (KGError, OSError) as exc:
        raise _fail(exc) from exc
    err.print(f"wrote {output}")


@app.command()
def stats(
    graph: Annotated[Path, typer.Argument(help="A folder made by kg build (or an RDF file).")],
    top: Annotated[int, typer.Option("--top", min=1, help="Central entities to list.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Print counts, the most central entities and the communities of a built graph.

    Computed with networkx on the graph the page draws (entities and meetings as
    nodes): degree and betweenness centrality, Louvain communities.

    Example: kg stats out/ --top 5
    """
    import json

    from kg.analysis import stats as graph_stats

    try:
        figures = graph_stats(api.open_graph(graph), top=top)
    except (KGError, OSError) as exc:
        raise _fail(exc) from exc
    if as_json:
        typer.echo(json.dumps(figures, indent=1, ensure_ascii=False))
        return
    t = RichTable(title=f"{graph}", show_header=False)
    t.add_row("nodes", f"{figures['nodes']} ("
              + ", ".join(f"{k} {v}" for k, v in figures["types"].items()) + ")")
    t.add_row("edges", f"{figures['edges']} ("
              + ", ".join(f"{k} {v}" for k, v in figures["relations"].items()) + ")")
    t.add_row("components", f"{figures['components']} (largest: "
              f"{figures['largest_component']} nodes); density {figures['density']}")
    out.print(t)
    c = RichTable("entity", "type", "degree", "degree centrality", "betweenness",
                  title="most central")
    for row in figures["central"]:
        c.add_row(row["label"], row["type"], str(row["degree"]),
                  f"{row['degree_centrality']:.3f}", f"{row['betweenness']:.3f}")
    out.print(c)
    m = RichTable("#", "size", "most connected members", title="communities (Louvain)")
    for i, group in enumerate(figures["communities"], 1):
        names = [n if len(n) <= 40 else n[:39] + "\u2026" for n in group["members"][:6]]
        m.add_row(str(i), str(group["size"]), ", ".join(names))
    out.print(m)


@app.command("eval")
def eval_(
    gold: Annotated[Path, typer.Argument(help="Folder of gold JSON files (GOLD_FORMAT).")],
    graph: Annotated[Path | None, typer.Option(
        "--graph", "-g", help="A built folder or RDF file to score.")] = None,
    sources: Annotated[list[Path] | None, typer.Option(
        "--sources", "-s", help="Articles to build first (into --out) when no --graph.")] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Where --sources are built.")
                   ] = Path("out-eval"),
    show_errors: Annotated[int, typer.Option("--show-errors", help="List up to N missed "
                                             "and spurious pieces per kind.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Score a graph against gold annotations: P/R/F1 per fact kind and for entities.

    Example: kg eval my-gold/ --graph out/
    Example: kg eval my-gold/ --sources my-articles/ --out out/
    """
    import json

    from kg.evaluate import score

    try:
        if graph is None:
            if not sources:
                raise _fail(ValueError("give --graph DIR, or --sources ARTICLES to build first"))
            api.build(sources, out, html=False)
            graph = out
        report = score(api.open_graph(graph), gold, show_errors=show_errors)
    except (KGError, OSError) as exc:
        raise _fail(exc) from exc
    if as_json:
        typer.echo(json.dumps(report, indent=1, default=str))
        return
    t = RichTable("kind", "P", "R", "F1", "tp", "pred", "gold")
    for kind, r in [*report["kinds"].items(), ("FACTS", report["facts"]),
                    ("ENTITIES", report["entities"])]:
        t.add_row(kind, *(f"{r[k]:.3f}" for k in ("p", "r", "f1")),
                  *(str(r[k]) for k in ("tp", "pred", "gold")))
    out_console = Console()
    out_console.print(t)
    out_console.print(f"resolution: {report['resolution']}", highlight=False)
    out_console.print(f"provenance: {report['provenance']}", highlight=False)
    for kind, e in report.get("errors", {}).items():
        for what in ("missed", "spurious"):
            for item in e[what]:
                out_console.print(f"  {kind} {what}: {item}", highlight=False, markup=False)


@app.command()
def serve(
    graph: Annotated[Path, typer.Argument(help="A folder made by kg build (or an RDF file).")],
    host: Annotated[str, typer.Option("--host", help="Address to listen on (127.0.0.1: this "
                                                     "machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port (0: any free one).")
                    ] = 7878,
    timeout: Annotated[float, typer.Option("--timeout", min=0.01, help="Stop a query after this "
                                                                        "many seconds (503).")
                       ] = 30.0,
    max_rows: Annotated[int, typer.Option("--max-rows", min=1, help="Refuse results with more "
                                                                     "rows or triples (422).")
                        ] = 100_000,
    max_request_bytes: Annotated[int, typer.Option(
        "--max-request-bytes", min=64, help="Refuse larger requests (413).")] = 1_000_000,
) -> None:
    """Answer SPARQL 1.1 Protocol queries on a built graph at /sparql (read-only).

    GET or POST /sparql with query=...; results as SPARQL JSON, XML, CSV, TSV
    (SELECT, ASK) or Turtle, N-Triples (CONSTRUCT, DESCRIBE) by Accept or format=.
    Updates, SERVICE and FROM are refused. / serves the graph page.

    Example: kg serve out/ --port 7878
    """
    from kg.server import Limits, make_server

    limits = Limits(timeout=timeout, max_rows=max_rows, max_request_bytes=max_request_bytes)
    try:
        server = make_server(graph, host, port, limits=limits)
    except (KGError, OSError) as exc:
        raise _fail(exc) from exc
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]warning:[/yellow] listening on {host}: other machines can query "
                  "this graph")
    err.print(f"serving {graph} at {server.url}/sparql (the page at {server.url}/); "
              "Ctrl-C stops", highlight=False)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        err.print("stopped")
    finally:
        server.server_close()


@app.command()
def push(
    graph: Annotated[Path, typer.Argument(help="A folder made by kg build (or an RDF file).")],
    endpoint: Annotated[str, typer.Option("--endpoint", help="The server's SPARQL query "
                                                             "endpoint (used to verify).")],
    graph_store: Annotated[str | None, typer.Option(
        "--graph-store", help="The SPARQL 1.1 Graph Store URL (default: the endpoint's last "
                              "path segment replaced by 'store', as on Oxigraph).")] = None,
    verify: Annotated[bool, typer.Option("--verify/--no-verify", help="Count the triples on "
                                                                       "the server after.")
                      ] = True,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds per request.")
                       ] = 60.0,
) -> None:
    """Load a built graph into a SPARQL 1.1 Graph Store, one named graph per article.

    Each article's graph is PUT to GRAPH_STORE?graph=<article IRI>, so pushing
    again replaces it. Fuseki: --graph-store http://HOST:3030/DATASET/data.

    Example: kg push out/ --endpoint http://localhost:7878/query
    """
    from kg.oxstore import open_read_only
    from kg.push import graph_store_url, store_graphs
    from kg.push import push as push_graph
    from kg.store import store_path

    try:
        store_url = graph_store or graph_store_url(endpoint)
        path = store_path(graph) if graph.is_dir() else None
        # a built folder is sent graph by graph from its store; an RDF file is read first
        source = store_graphs(open_read_only(path)) if path else api.open_graph(graph)
        with Progress(TextColumn("[bold]pushing"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err, transient=True) as bar:
            task = bar.add_task("", total=None)
            report = push_graph(source, store_url, endpoint=endpoint if verify else None,
                                timeout=timeout,
                                progress=lambda n, total: bar.update(task, completed=n,
                                                                     total=total))
    except (KGError, OSError) as exc:
        raise _fail(exc) from exc
    checked = ", verified" if report.verified else ""
    err.print(f"pushed {report.graphs} graphs ({report.triples} triples) to "
              f"{report.graph_store}{checked}", highlight=False)
