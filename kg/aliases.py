"""The user's alias file: merges resolution must make (`same`) or must not make (`different`).

```yaml
same:                       # each entry: names of one entity
  - [Recep Tayyip Erdoğan, Tayyip Erdogan]          # within each type
  - names: [Open Balkan, Open Balkan Initiative]     # across types, as one Initiative
    type: Initiative
    label: Open Balkan Initiative                    # optional preferred name
different:                  # each entry: names that are never one node
  - [Heydar Aliyev, Aliyev]
  - names: [Hun Sen, Hun Manet]
    type: Person
```

Names are compared case-, accent- and punctuation-insensitively against the name
an entity was extracted with (its preferred name in the article). A `same`
entry without `type` merges entities of one type only; with `type` it merges
them whatever their types into one node of that type. A `different` entry
keeps each listed name in a node of its own: no automatic rule may put two of
them together. `same` wins over `different` when both name a pair.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import KGError
from kg.model import ENTITY_TYPES
from kg.names import fold


class AliasFileError(KGError):
    """The alias file cannot be read or does not follow the documented format."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        super().__init__(f"{path}: {reason} (see `kg build --help` and the README's "
                         "'Resolution' section for the format)")


@dataclass(frozen=True)
class AliasGroup:
    """One entry of the file: folded names, an optional type and preferred label."""

    names: tuple[str, ...]
    type: str | None = None
    label: str | None = None

    def index(self, name: str) -> int | None:
        """Which of the entry's names `name` is (compared folded), or None."""
        key = fold(name)
        return self.names.index(key) if key in self.names else None


@dataclass(frozen=True)
class Aliases:
    """Forced (`same`) and forbidden (`different`) merges."""

    same: tuple[AliasGroup, ...] = ()
    different: tuple[AliasGroup, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.same or self.different)


NO_ALIASES = Aliases()


def load_aliases(path: str | Path | None) -> Aliases:
    """Read an alias file (YAML or JSON, which is YAML); None gives no aliases.

    Raises AliasFileError naming the file and the entry that is wrong.
    """
    if path is None:
        return NO_ALIASES
    import yaml

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AliasFileError(path, f"cannot read: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise AliasFileError(path, f"not valid YAML: {exc}") from None
    return parse_aliases(data, path)


def parse_aliases(data: Any, path: str | Path = "<aliases>") -> Aliases:
    """Aliases from already-parsed YAML data (a mapping with `same` and/or `different`)."""
    if data is None:
        return NO_ALIASES
    if not isinstance(data, dict):
        raise AliasFileError(path, "expected a mapping with the keys 'same' and/or 'different'")
    unknown = set(data) - {"same", "different"}
    if unknown:
        raise AliasFileError(path, f"unknown key(s) {', '.join(sorted(map(str, unknown)))}; "
                                   "expected 'same' and/or 'different'")
    return Aliases(tuple(_groups(data.get("same"), "same", path)),
                   tuple(_groups(data.get("different"), "different", path)))


def _groups(entries: Any, key: str, path: str | Path) -> list[AliasGroup]:
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise AliasFileError(path, f"'{key}' must be a list of entries")
    out = []
    for i, entry in enumerate(entries, start=1):
        where = f"'{key}' entry {i}"
        typ = label = None
        if isinstance(entry, dict):
            extra = set(entry) - {"names", "type", "label"}
            if extra:
                raise AliasFileError(path, f"{where}: unknown key(s) {', '.join(sorted(extra))}")
            names, typ, label = entry.get("names"), entry.get("type"), entry.get("label")
        else:
            names = entry
        if not isinstance(names, list) or len(names) < 2 or not all(
                isinstance(n, str) and fold(n) for n in names):
            raise AliasFileError(path, f"{where}: give a list of at least two names")
        if typ is not None and typ not in ENTITY_TYPES:
            raise AliasFileError(path, f"{where}: type {typ!r} is not one of "
                                       f"{', '.join(ENTITY_TYPES)}")
        if label is not None and not isinstance(label, str):
            raise AliasFileError(path, f"{where}: label must be a string")
        folded = tuple(dict.fromkeys(fold(n) for n in names))
        out.append(AliasGroup(folded, typ, label))
    return out
