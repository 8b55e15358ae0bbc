"""The `kg` command: a thin Typer shell over `kg.api`.

Exit codes: 0 success; 1 error (nothing written); 2 bad usage;
3 built, but some inputs were skipped (each reported on stderr).
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
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
    wait: Annotated[float | None, typer.Option(
        "--wait", min=0.0, help="If another build is writing OUT, wait up to this many "
                                "seconds (default: $KG_LOCK_WAIT, else 0: stop at once).")
    ] = None,
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
                               strict=strict, stage=_stage(bar, task), lock_wait=wait)
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


def _stage(bar: Progress, task: TaskID) -> Callable[[str], None]:
    """A `stage` callback showing each step after extraction on the progress line."""
    def show(what: str) -> None:
        bar.update(task, description=f"[bold]{what}[/bold]")
    return show


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
    wait: Annotated[float | None, typer.Option(
        "--wait", min=0.0, help="If a build is writing the folder, wait up to this many "
                                "seconds (default: $KG_LOCK_WAIT, else 0: stop at once).")
    ] = None,
) -> None:
    """Remove one article from a built graph, with every fact only it supported.

    No other article is extracted again; changes.json lists what went.

    Example: kg remove out/ seeds/003_dee6ee2a9e7b58d1.txt
    """
    try:
        with Progress(TextColumn("{task.description}"), TimeElapsedColumn(), console=err,
                      transient=True) as bar:
            task = bar.add_task("removing", total=None)
            result = api.remove(graph, article, html=not no_html, stage=_stage(bar, task),
                                lock_wait=wait)
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


# the commands that use a built graph (viz, stats, eval, serve, push) register on `app`
from kg import cli_tools  # noqa: E402,F401
