"""Typed errors. Library code raises these; only `kg.cli` turns them into messages."""
from __future__ import annotations

from pathlib import Path
from typing import Any


class KGError(Exception):
    """Base class of every error diplograph raises on purpose."""


class InputError(KGError):
    """An input file (or one line of it) cannot be read as an article.

    Carries the file and, for JSON Lines, the 1-based line number.
    """

    def __init__(self, path: Path | str, reason: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.reason = reason
        self.line = line
        where = f"{self.path}:{line}" if line is not None else str(self.path)
        super().__init__(f"{where}: {reason}")


class ModelNotFoundError(KGError):
    """No usable spaCy English model is installed."""


class GraphNotFoundError(KGError):
    """A folder given as a built graph does not hold one."""


class QueryError(KGError):
    """A SPARQL query is malformed, unknown, or given bad parameters."""


class QueryRefusedError(QueryError):
    """A well-formed request this read-only endpoint will not run (an update, SERVICE, FROM)."""


class QueryTimeoutError(QueryError):
    """A query ran longer than the time limit and was stopped."""

    def __init__(self, seconds: float, *, busy: bool = False) -> None:
        self.seconds = seconds
        if busy:
            message = (f"the server is busy: no query slot freed within {seconds:g} s; "
                       "try again later")
        else:
            message = (f"the query ran longer than {seconds:g} s (this server's limit) and was "
                       "stopped; narrow it (more specific patterns, LIMIT) and try again")
        self.busy = busy
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:  # picklable across processes
        return _timeout_error, (self.seconds, self.busy)


def _timeout_error(seconds: float, busy: bool) -> QueryTimeoutError:
    return QueryTimeoutError(seconds, busy=busy)


class ResultTooLargeError(QueryError):
    """A query's result has more rows (or triples) than the configured cap."""

    def __init__(self, cap: int, unit: str = "rows") -> None:
        self.cap, self.unit = cap, unit
        super().__init__(f"the result has more than {cap} {unit} (this server's limit); add "
                         f"LIMIT {cap} or narrow the query")

    def __reduce__(self) -> tuple[Any, ...]:  # picklable across processes
        return ResultTooLargeError, (self.cap, self.unit)


class PushError(KGError):
    """Pushing a graph to a SPARQL Graph Store failed; names the graph and the server's answer."""


class EntityNotFoundError(KGError):
    """A name given to look up (e.g. `kg viz --focus`) is no entity's; carries close names."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no entity is named {name!r} in this graph{hint}")


class OptionError(KGError):
    """An option has a value that cannot be used (a malformed date, an unknown type)."""


class NotEnglishError(InputError):
    """An article reads as another language than English, so it is not mined for facts."""


class SettingError(KGError):
    """A setting (an environment variable such as KG_MAX_FILE_BYTES) has an unusable value."""


class FolderLockedError(KGError):
    """Another process is writing the output folder (`kg build`, `kg remove`); names it."""


class NoArticlesError(KGError):
    """A build into a folder found no article it could read, so it left the folder as it was.

    Carries the folder and the InputErrors of the inputs that were skipped.
    """

    def __init__(self, folder: Path | str, problems: list[InputError]) -> None:
        self.folder = Path(folder)
        self.problems = problems
        super().__init__(f"no article could be read ({len(problems)} input(s) skipped); "
                         f"{self.folder} was left as it was")
