"""Typed errors. Library code raises these; only `kg.cli` turns them into messages."""
from __future__ import annotations

from pathlib import Path


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
