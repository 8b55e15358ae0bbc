"""Frozen dataclasses passed between stages: ingest -> extract -> resolve -> build.

Everything here is plain data that round-trips through JSON, so an article's
extraction can be cached on disk, sent to another process, or diffed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ENTITY_TYPES = ("Person", "Country", "Organization", "Place", "Agreement", "Initiative", "Event")
FACT_KINDS = ("position", "meeting", "agreement", "member", "supports", "partnership")


@dataclass(frozen=True)
class Article:
    """One source document, as read by `kg.ingest`.

    `id` is derived from the text's content hash, so the same text read from
    two files (or twice) is one article. `published` is an ISO date
    (`YYYY-MM-DD`), a year-month (`YYYY-MM`), a year, or None.
    """

    id: str
    text: str
    source: str
    title: str | None = None
    published: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Entity:
    """A named thing found in one article.

    `key` is unique within the article's extraction; facts refer to entities by
    key. `name` is the preferred name; `aliases` every other form seen.
    """

    key: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    attrs: tuple[tuple[str, str], ...] = ()  # e.g. (("status", "signed"),) on an agreement

    def attr(self, name: str) -> str | None:
        return dict(self.attrs).get(name)


@dataclass(frozen=True)
class Fact:
    """One statement of an article, with its evidence.

    `roles` maps a role name to entity keys; `values` holds literals. By kind:

    - position:    roles person, org;              values title
    - meeting:     roles participant(s), location, event; values date
    - agreement:   roles agreement, party(s), signatory(s); values date, status
    - member:      roles member, org
    - supports:    roles who, what
    - partnership: roles partner (two);            values level
    """

    kind: str
    roles: tuple[tuple[str, tuple[str, ...]], ...]
    values: tuple[tuple[str, str], ...] = ()
    evidence: str = ""
    confidence: float = 0.5

    def role(self, name: str) -> tuple[str, ...]:
        return dict(self.roles).get(name, ())

    def value(self, name: str) -> str | None:
        return dict(self.values).get(name)


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one article."""

    article: Article
    entities: tuple[Entity, ...] = ()
    facts: tuple[Fact, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """The extraction as JSON-ready data (what `dataclasses.asdict` gives, made faster:
        every field is a string, a number or a tuple of those)."""
        return {"article": dict(vars(self.article)),
                "entities": tuple(dict(vars(e)) for e in self.entities),
                "facts": tuple(dict(vars(f)) for f in self.facts),
                "warnings": self.warnings}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Extraction:
        def ent(e: dict[str, Any]) -> Entity:
            return Entity(e["key"], e["type"], e["name"], tuple(e.get("aliases", ())),
                          tuple((k, v) for k, v in e.get("attrs", ())))

        def fact(f: dict[str, Any]) -> Fact:
            return Fact(
                f["kind"],
                tuple((r, tuple(keys)) for r, keys in f["roles"]),
                tuple((k, v) for k, v in f.get("values", ())),
                f.get("evidence", ""),
                float(f.get("confidence", 0.5)),
            )

        return cls(
            Article(**data["article"]),
            tuple(ent(e) for e in data.get("entities", ())),
            tuple(fact(f) for f in data.get("facts", ())),
            tuple(data.get("warnings", ())),
        )
