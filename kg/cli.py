"""The `kg` command: a thin Typer shell over `kg.api`.

Exit codes: 0 success; 1 error (nothing written); 2 bad usage;
3 built, but some inputs were skipped (each reported on stderr).
"""
from __future__ import annotations

import logging
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from kg import api
from kg.errors import InputError, KGError, NoArticlesError

app = typer.Typer(
    help="diplograph: turn news about international relations into a knowledge graph.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
err = Console(stderr=True)
out = Console()
EXIT_SKIPPED = 3


class ParallelEngine(StrEnum):
    local = "local"
    dask = "dask"


class TableFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class ExportFormat(StrEnum):
    ttl = "ttl"
    trig = "trig"
    nq = "nq"
    jsonld = "jsonld"
    graphml = "graphml"
    gexf = "gexf"
    csv = "csv"


def _fail(exc: Exception) -> typer.Exit:
    err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
    return typer.Exit(1)


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log details.")] = False,
         ) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


@app.command()
def build(
    sources: Annotated[list[Path], typer.Argument(help="Article files or folders (.txt .md "
                                                       ".html .jsonl), read recursively.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("out"),
    min_confidence: Annotated[float, typer.Option(
        "--min-confidence", min=0.0, max=1.0, help="Drop facts below this confidence.")] = 0.0,
    no_html: Annotated[bool, typer.Option("--no-html", help="Skip the HTML page.")] = False,
    aliases: Annotated[Path | None, typer.Option(
        "--aliases", help="YAML file of merges to force ('same') or forbid ('different'), "
                          "e.g. same: [[Tayyip Erdogan, Recep Tayyip Erdoğan]].")] = None,
    no_validate: Annotated[bool, typer.Option("--no-validate", help="Skip the SHACL check.")
                           ] = False,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Extract on N local "
                                         "processes (or N workers of a local Dask cluster).")
                       ] = 1,
    engine: Annotated[ParallelEngine, typer.Option(
        "--engine", help="Where extraction runs: local processes or a Dask cluster.")
    ] = ParallelEngine.local,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="With --engine dask: the scheduler's address (e.g. "
                            "tcp://10.0.0.5:8786); a local cluster when omitted.")] = None,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Stop at the first input that cannot be read (exit 1), leaving OUT "
                         "as it was.")] = False,
) -> None:
    """Build a knowledge graph from articles into OUT (graph.trig, graph.ttl, graph.html).

    Articles already extracted into OUT are reused (only new or changed ones are
    extracted); the graph is of exactly the SOURCES given. Also writes
    resolution.json (every merge and its rule) and changes.json (against the
    previous build), and checks the graph against ontology/shapes.ttl.

    Example: kg build seeds/ --out out/
    Example: kg build seeds/ new-articles/ --out out/ --aliases aliases.yaml
    Example: kg build corpus/ --out out/ --workers 2
    Example: kg build corpus/ --out out/ --engine dask --scheduler tcp://10.0.0.5:8786
    Example: kg build incoming/ --out out/ --strict
    """
    if scheduler is not None and engine is not ParallelEngine.dask:
        raise _fail(ValueError("--scheduler needs --engine dask"))
    try:
        with Progress(TextColumn("[bold]extracting"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("{task.description}"), TimeElapsedColumn(), console=err,
                      transient=True) as bar:
            task = bar.add_task("", total=None)

            def tick(n: int, source: str) -> None:
                bar.update(task, completed=n, description=Path(source).name[:40])

            result = api.build(sources, out, min_confidence=min_confidence, html=not no_html,
                               progress=tick, aliases=aliases, validate=not no_validate,
                               workers=workers, engine=engine.value, scheduler=scheduler,
                               strict=strict)
    except InputError as exc:
        if strict:
            err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
            err.print(f"--strict: stopped at the first problem; {escape(str(out))} was left as "
                      "it was", highlight=False)
            raise typer.Exit(1) from exc
        raise _fail(exc) from exc
    except NoArticlesError as exc:
        for problem in exc.problems:
            err.print(f"[yellow]skipped:[/yellow] {escape(str(problem))}", highlight=False)
        raise _fail(exc) from exc
    except KGError as exc:
        raise _fail(exc) from exc
    for problem in result.problems:
        err.print(f"[yellow]skipped:[/yellow] {escape(str(problem))}", highlight=False)
    _print_build(result, f"built {out}")
    if not result.extractions:
        err.print("[red]error:[/red] no article could be read")
        raise typer.Exit(1)
    if result.problems:
        raise typer.Exit(EXIT_SKIPPED)


def _print_build(result: api.BuildResult, title: str) -> None:
    """The summary table of a build or removal, with the change log and validation."""
    from kg.changes import summary_line

    s = result.summary()
    t = RichTable(title=title, show_header=False)
    t.add_row("articles", f"{s['articles']} ({s['extracted']} extracted, {s['reused']} reused)")
    t.add_row("skipped inputs", str(s["skipped"]))
    t.add_row("entities", ", ".join(f"{k} {v}" for k, v in s["entities"].items() if v))
    t.add_row("facts", ", ".join(f"{k} {v}" for k, v in s["facts"].items() if v))
    t.add_row("triples", str(s["triples"]))
    if result.resolution is not None:
        merged = result.resolution.to_json()
        t.add_row("resolution", f"{merged['merged_nodes']} node(s) joined from several names "
                                "(resolution.json)")
    if result.changes:
        t.add_row("changes", summary_line(result.changes))
    if result.validation is not None:
        t.add_row("validation", result.validation.summary())
    t.add_row("files", ", ".join(sorted(p.name for p in result.paths.values())))
    err.print(t)
    if result.validation is not None:
        for message in result.validation.messages:
            err.print(f"[yellow]shacl:[/yellow] {message}", highlight=False, markup=False)


@app.command()
def remove(
    graph: Annotated[Path, typer.Argument(help="A folder made by kg build.")],
    article: Annotated[str, typer.Argument(help="The article: its id (as in manifest.json) "
                                                "or the file it was read from.")],
    no_html: Annotated[bool, typer.Option("--no-html", help="Skip the HTML page.")] = False,
) -> None:
    """Remove one article from a built graph, with every fact only it supported.

    No other article is extracted again; changes.json lists what went.

    Example: kg remove out/ seeds/003_dee6ee2a9e7b58d1.txt
    """
    try:
        result = api.remove(graph, article, html=not no_html)
    except KGError as exc:
        raise _fail(exc) from exc
    _print_build(result, f"removed {article} from {graph}")


@app.command()
def validate(
    graph: Annotated[Path, typer.Argument(help="A folder made by kg build (or an RDF file).")],
    shown: Annotated[int, typer.Option("--show", min=0, help="Violations to list.")] = 20,
) -> None:
    """Check a built graph against the SHACL shapes of ontology/shapes.ttl.

    The shapes run as SPARQL on the folder's store, so graphs of any size are checked.
    Exit code 0 when the graph conforms, 1 when it has violations.

    Example: kg validate out/
    """
    try:
        report = api.validate_graph(graph, shown=shown)
    except KGError as exc:
        raise _fail(exc) from exc
    for message in report.messages:
        out.print(message, highlight=False, markup=False, soft_wrap=True)
    err.print(report.summary(), highlight=False)
    if not report.conforms:
        raise typer.Exit(1)


@app.command()
def query(
    graph: Annotated[Path, typer.Argument(help="A folder made by kg build (or an RDF file).")],
    sparql: Annotated[str | None, typer.Argument(help="SPARQL text (dg:, rdfs:, skos: ... "
                                                      "prefixes are predeclared).")] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Read SPARQL from a file.")
                    ] = None,
    name: Annotated[str | None, typer.Option("--name", "-n", help="Run a named query "
                                                                   "(see --list).")] = None,
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="A named query's parameter, NAME=VALUE (a binding).")] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the named queries.")] = False,
    fmt: Annotated[TableFormat, typer.Option("--format", help="Output format.")
                   ] = TableFormat.table,
) -> None:
    """Run a SPARQL query on a built graph.

    Example: kg query out/ --name meetings
    Example: kg query out/ "SELECT ?n WHERE { ?p a dg:Person ; rdfs:label ?n }"
    """
    from kg.sparql import describe, named_queries

    if list_:
        for qname, text in named_queries().items():
            out.print(f"[bold]{qname}[/bold]  {describe(text)}", highlight=False)
        return
    given = [x for x in (sparql, file, name) if x is not None]
    if len(given) != 1:
        raise _fail(ValueError("give exactly one of: SPARQL text, --file F.rq, --name NAME"))
    params = {}
    for item in param or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise _fail(ValueError(f"--param {item!r}: expected NAME=VALUE"))
        params[key.strip()] = value
    try:
        engine = api.open_store(graph)
        if name is not None:
            result = api.query_named(engine, name, params)
        else:
            text = file.read_text(encoding="utf-8") if file is not None else sparql or ""
            result = api.query(engine, text, params)
    except (KGError, OSError) as exc:
        raise _fail(exc) from exc
    if fmt is TableFormat.csv:
        typer.echo(result.to_csv(), nl=False)
    elif fmt is TableFormat.json:
        typer.echo(result.to_json())
    else:
        t = RichTable(*result.columns)
        for row in result.rows:
            t.add_row(*["" if v is None else v for v in row])
        out.print(t)
        err.print(f"{len(result.rows)} row(s)")


@app.command()
def export(
    graph: Annotated[Path, typer.Argument(help="A folder made by kg build.")],
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Output format.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
) -> None:
    """Export a built graph as Turtle, TriG, N-Quads, JSON-LD, GraphML, GEXF or CSV.

    Example: kg export out/ --format jsonld --output graph.jsonld
    """
    from kg.export import export_graph

    try:
        from kg.oxstore import export_from_store

        if export_from_store(graph, fmt.value, output) is None:
            export_graph(api.open_graph(graph), fmt.value, output)
    except (KGError, OSError) as exc:
        raise _fail(exc) from exc
    err.print(f"wrote {output}")


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
    from kg.push import graph_store_url
    from kg.push import push as push_graph

    try:
        store_url = graph_store or graph_store_url(endpoint)
        ds = api.open_graph(graph)
        with Progress(TextColumn("[bold]pushing"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err, transient=True) as bar:
            task = bar.add_task("", total=None)
            report = push_graph(ds, store_url, endpoint=endpoint if verify else None,
                                timeout=timeout,
                                progress=lambda n, total: bar.update(task, completed=n,
                                                                     total=total))
    except (KGError, OSError) as exc:
        raise _fail(exc) from exc
    checked = ", verified" if report.verified else ""
    err.print(f"pushed {report.graphs} graphs ({report.triples} triples) to "
              f"{report.graph_store}{checked}", highlight=False)
