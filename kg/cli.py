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
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from kg import api
from kg.errors import KGError

app = typer.Typer(
    help="diplograph: turn news about international relations into a knowledge graph.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
err = Console(stderr=True)
out = Console()
EXIT_SKIPPED = 3


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
    csv = "csv"


def _fail(exc: Exception) -> typer.Exit:
    err.print(f"[red]error:[/red] {exc}", highlight=False)
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
) -> None:
    """Build a knowledge graph from articles into OUT (graph.trig, graph.ttl, graph.html).

    Example: kg build seeds/ --out out/
    """
    try:
        with Progress(TextColumn("[bold]extracting"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("{task.description}"), TimeElapsedColumn(), console=err,
                      transient=True) as bar:
            task = bar.add_task("", total=None)

            def tick(n: int, source: str) -> None:
                bar.update(task, completed=n, description=Path(source).name[:40])

            result = api.build(sources, out, min_confidence=min_confidence, html=not no_html,
                               progress=tick)
    except KGError as exc:
        raise _fail(exc) from exc
    for problem in result.problems:
        err.print(f"[yellow]skipped:[/yellow] {problem}", highlight=False)
    s = result.summary()
    t = RichTable(title=f"built {out}", show_header=False)
    t.add_row("articles", str(s["articles"]))
    t.add_row("skipped inputs", str(s["skipped"]))
    t.add_row("entities", ", ".join(f"{k} {v}" for k, v in s["entities"].items() if v))
    t.add_row("facts", ", ".join(f"{k} {v}" for k, v in s["facts"].items() if v))
    t.add_row("triples", str(s["triples"]))
    t.add_row("files", ", ".join(sorted(p.name for p in result.paths.values())))
    err.print(t)
    if not result.extractions:
        err.print("[red]error:[/red] no article could be read")
        raise typer.Exit(1)
    if result.problems:
        raise typer.Exit(EXIT_SKIPPED)


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
        ds = api.open_graph(graph)
        if name is not None:
            result = api.query_named(ds, name, params)
        else:
            text = file.read_text(encoding="utf-8") if file is not None else sparql or ""
            result = api.query(ds, text, params)
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
    """Export a built graph as Turtle, TriG, N-Quads, JSON-LD, GraphML or CSV.

    Example: kg export out/ --format jsonld --output graph.jsonld
    """
    from kg.export import export_graph

    try:
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
) -> None:
    """Draw a built graph as one self-contained, offline HTML page.

    Example: kg viz out/ --output graph.html
    """
    try:
        api.render(api.open_graph(graph), output, title=title)
    except (KGError, OSError) as exc:
        raise _fail(exc) from exc
    err.print(f"wrote {output}")
