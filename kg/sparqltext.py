"""SPARQL as text: find its keywords outside strings, IRIs and comments, and bind values.

Oxigraph binds (SEP-0007 substitutions) only variables a query projects, but
the library queries take parameters they do not project ("meetings of ?person").
`bind_values` gives a query its parameters the way SPARQL itself does: a
`VALUES` block at the start of the query's top-level group, joined before
anything else in it, so every FILTER, OPTIONAL and BIND of the group sees the
value, and at the start of every sub-SELECT's group that names the parameter:
a parameter is one constant throughout the query, as rdflib's `initBindings`
make it (a sub-query then starts from the value: a named entity is looked up,
not searched for). Values are RDF terms written in N-Triples syntax by
pyoxigraph (quotes, backslashes and line breaks escaped), never pasted text: a
value cannot end the literal it sits in.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kg.errors import QueryError

if TYPE_CHECKING:
    import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# a word of SPARQL: a keyword, or a prefixed name / variable (skipped as a whole)
_WORD = re.compile(r"[?$]?[A-Za-z_][\w\-.]*(?::[\w\-.%]*)?|:[\w\-.%]*")


def code_words(sparql: str) -> Iterator[tuple[int, str]]:
    """(offset, text) of every word and brace of `sparql` that is code: strings, IRIs
    and comments are skipped. A prefixed name (`ex:where`) or variable is one word."""
    i, n = 0, len(sparql)
    while i < n:
        c = sparql[i]
        if c == "#":
            end = sparql.find("\n", i)
            i = n if end < 0 else end + 1
        elif c in "\"'":
            i = _string_end(sparql, i)
        elif c == "<":
            m = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>").match(sparql, i)
            i = m.end() if m else i + 1
        elif c in "{}":
            yield i, c
            i += 1
        else:
            m = _WORD.match(sparql, i)
            if m:
                yield i, m.group()
                i = m.end()
            else:
                i += 1


def _string_end(sparql: str, i: int) -> int:
    """The offset just past the string literal that starts at `i`."""
    quote = sparql[i] * 3 if sparql.startswith(sparql[i] * 3, i) else sparql[i]
    j = i + len(quote)
    while j < len(sparql):
        if sparql[j] == "\\":
            j += 2
            continue
        if sparql.startswith(quote, j):
            return j + len(quote)
        if len(quote) == 1 and sparql[j] == "\n":
            return j  # an unterminated short string: the parser reports it
        j += 1
    return len(sparql)


def keywords_in_order(sparql: str) -> list[str]:
    """The upper-cased keywords (plain words) of a query's code, in order."""
    return [w.upper() for _, w in code_words(sparql) if w[0] not in "?${}" and ":" not in w]


def keywords(sparql: str) -> set[str]:
    """The upper-cased keywords (plain words) of a query's code."""
    return set(keywords_in_order(sparql))


def top_group(sparql: str) -> int:
    """The offset just inside the `{` that opens the query's top-level WHERE group.

    Raises QueryError when the query has none (an update, or not SPARQL at all).
    """
    form = None
    for offset, word in code_words(sparql):
        upper = word.upper()
        if form is None:
            if upper in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                form = upper
            continue
        if upper == "WHERE":
            form = "WHERE"
        elif word == "{" and form != "CONSTRUCT":
            return offset + 1
        elif word == "{":
            form = "TEMPLATE"  # CONSTRUCT { template } WHERE { ... }
    raise QueryError("malformed SPARQL query: no query pattern (WHERE { ... }) found")


def subselect_groups(sparql: str) -> list[tuple[int, set[str]]]:
    """For every SELECT of `sparql` (the query's own and each sub-SELECT): the offset just
    inside the `{` that opens its WHERE group, and the names of the variables used in it."""
    words = list(code_words(sparql))
    found = []
    for i, (_, word) in enumerate(words):
        if word.upper() != "SELECT":
            continue
        start = next((k for k in range(i + 1, len(words)) if words[k][1] == "{"), None)
        if start is None:
            continue
        depth, names = 0, set()
        for _, text in words[start:]:
            if text == "{":
                depth += 1
            elif text == "}":
                depth -= 1
                if depth == 0:
                    break
            elif text[0] in "?$":
                names.add(text[1:])
        found.append((words[start][0] + 1, names))
    return found


def term(value: Any) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """A Python value or rdflib term as a pyoxigraph term."""
    import pyoxigraph as ox
    from rdflib import BNode, URIRef
    from rdflib import Literal as RdfLiteral

    if isinstance(value, ox.NamedNode | ox.Literal | ox.BlankNode):
        return value
    if isinstance(value, URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, BNode):
        return ox.BlankNode(str(value))
    if isinstance(value, RdfLiteral):
        if value.language:
            return ox.Literal(str(value), language=value.language)
        if value.datatype:
            return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype)))
        return ox.Literal(str(value))
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, float | Decimal):
        kind = "double" if isinstance(value, float) else "decimal"
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + kind))
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    return ox.Literal(str(value))


def bind_values(sparql: str, bindings: Mapping[str, Any] | None) -> str:
    """`sparql` with a `VALUES (?a ?b) { (value value) }` block opening its top-level group,
    and one opening each sub-SELECT's group with the parameters it names.

    Raises QueryError for a parameter name that is not a SPARQL variable name.
    """
    if not bindings:
        return sparql
    for name in bindings:
        if not _NAME.match(name):
            raise QueryError(f"parameter {name!r} is not a SPARQL variable name "
                             "(letters, digits and _; no leading digit)")
    terms = {k: str(term(v)) for k, v in bindings.items()}
    blocks = {top_group(sparql): list(terms)}
    for at, used in subselect_groups(sparql):
        blocks.setdefault(at, [k for k in terms if k in used])
    for at in sorted(blocks, reverse=True):  # from the end: earlier offsets stay valid
        if blocks[at]:
            names = " ".join(f"?{k}" for k in blocks[at])
            values = " ".join(terms[k] for k in blocks[at])
            sparql = f"{sparql[:at]} VALUES ({names}) {{ ({values}) }}\n{sparql[at:]}"
    return sparql
