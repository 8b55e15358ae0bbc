"""SPARQL results as bytes: JSON, XML, CSV and TSV for SELECT/ASK; RDF syntaxes for graphs.

Pure functions of an `kg.engine.Answer`, following the W3C Recommendations
"SPARQL 1.1 Query Results JSON Format", "SPARQL Query Results XML Format" and
"SPARQL 1.1 Query Results CSV and TSV Formats". `negotiate` picks a format
from a `format=` parameter or an Accept header.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier

from kg.engine import Answer

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class Format:
    """A result format: its media type and how to write an Answer in it."""

    name: str
    media_type: str
    write: Callable[[Answer], bytes]


def _json_term(t: Identifier) -> dict[str, str]:
    if isinstance(t, URIRef):
        return {"type": "uri", "value": str(t)}
    if isinstance(t, BNode):
        return {"type": "bnode", "value": str(t)}
    if isinstance(t, Literal):
        out = {"type": "literal", "value": str(t)}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype and str(t.datatype) != XSD_STRING:
            out["datatype"] = str(t.datatype)
        return out
    return {"type": "literal", "value": str(t)}


def to_json(a: Answer) -> bytes:
    """application/sparql-results+json."""
    if a.kind == "ASK":
        doc: dict[str, object] = {"head": {}, "boolean": bool(a.boolean)}
    else:
        doc = {"head": {"vars": a.variables}, "results": {"bindings": [
            {v: _json_term(t) for v, t in zip(a.variables, row, strict=True) if t is not None}
            for row in a.rows]}}
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _xml_term(t: Identifier) -> str:
    if isinstance(t, URIRef):
        return f"<uri>{escape(str(t))}</uri>"
    if isinstance(t, BNode):
        return f"<bnode>{escape(str(t))}</bnode>"
    attrs = ""
    if isinstance(t, Literal) and t.language:
        attrs = f" xml:lang={quoteattr(t.language)}"
    elif isinstance(t, Literal) and t.datatype and str(t.datatype) != XSD_STRING:
        attrs = f" datatype={quoteattr(str(t.datatype))}"
    return f"<literal{attrs}>{escape(str(t))}</literal>"


def to_xml(a: Answer) -> bytes:
    """application/sparql-results+xml."""
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    if a.kind == "ASK":
        out += ["</head>", f"<boolean>{str(bool(a.boolean)).lower()}</boolean>"]
    else:
        out += [f"<variable name={quoteattr(v)}/>" for v in a.variables]
        out += ["</head>", "<results>"]
        for row in a.rows:
            out.append("<result>")
            out += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                    for v, t in zip(a.variables, row, strict=True) if t is not None]
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "\n".join(out).encode("utf-8")


def to_csv(a: Answer) -> bytes:
    """text/csv: plain values, CRLF line ends (ASK: one `_askResult` column)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if a.kind == "ASK":
        w.writerows([["_askResult"], [str(bool(a.boolean)).lower()]])
    else:
        w.writerow(a.variables)
        w.writerows([["" if t is None else (f"_:{t}" if isinstance(t, BNode) else str(t))
                      for t in row] for row in a.rows])
    return buf.getvalue().encode("utf-8")


def _tsv_term(t: Identifier | None) -> str:
    if t is None:
        return ""
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, BNode):
        return f"_:{t}"
    text = (str(t).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))
    if isinstance(t, Literal) and t.language:
        return f'"{text}"@{t.language}'
    if isinstance(t, Literal) and t.datatype and str(t.datatype) != XSD_STRING:
        return f'"{text}"^^<{t.datatype}>'
    return f'"{text}"'


def to_tsv(a: Answer) -> bytes:
    """text/tab-separated-values: terms in Turtle syntax, `?var` headers."""
    if a.kind == "ASK":
        return f"?_askResult\n{str(bool(a.boolean)).lower()}\n".encode()
    lines = ["\t".join(f"?{v}" for v in a.variables)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in a.rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _rdf(fmt: str) -> Callable[[Answer], bytes]:
    def write(a: Answer) -> bytes:
        assert a.graph is not None
        return a.graph.serialize(format=fmt, encoding="utf-8")
    return write


TABULAR = [Format("json", "application/sparql-results+json", to_json),
           Format("xml", "application/sparql-results+xml", to_xml),
           Format("csv", "text/csv", to_csv),
           Format("tsv", "text/tab-separated-values", to_tsv)]
GRAPH = [Format("turtle", "text/turtle", _rdf("turtle")),
         Format("nt", "application/n-triples", _rdf("nt")),
         Format("rdfxml", "application/rdf+xml", _rdf("xml")),
         Format("jsonld", "application/ld+json", _rdf("json-ld"))]
# other names clients use for the same formats (SPARQLWrapper sends format=json, xml, n3...)
ALIASES = {
    "tabular": {"srj": "json", "application/json": "json", "text/javascript": "json",
                "application/javascript": "json", "srx": "xml", "application/xml": "xml",
                "text/xml": "xml", "text/tab-separated-values": "tsv"},
    "graph": {"ttl": "turtle", "n3": "turtle", "text/n3": "turtle", "application/turtle": "turtle",
              "application/x-turtle": "turtle", "text/rdf+n3": "turtle", "ntriples": "nt",
              "n-triples": "nt", "text/plain": "nt", "xml": "rdfxml", "rdf+xml": "rdfxml",
              "application/xml": "rdfxml", "json-ld": "jsonld", "json": "jsonld",
              "application/x-json+ld": "jsonld"},
}


class NotAcceptable(ValueError):
    """No format the client accepts can express this kind of result."""


def _lookup(name: str, kind: str) -> Format | None:
    table, group = (GRAPH, "graph") if kind in ("CONSTRUCT", "DESCRIBE") else (TABULAR, "tabular")
    name = name.strip().lower()
    name = ALIASES[group].get(name, name)
    for f in table:
        if name in (f.name, f.media_type):
            return f
    return None


def negotiate(kind: str, accept: str | None, formats: list[str]) -> Format:
    """The format for a result of `kind`: a known `format=` value wins, then the Accept header.

    Raises NotAcceptable (naming the formats on offer) if neither can be met.
    """
    table = GRAPH if kind in ("CONSTRUCT", "DESCRIBE") else TABULAR
    for name in formats:
        found = _lookup(name, kind)
        if found:
            return found
    if not accept:
        return table[0]
    ranges = []
    for i, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        ranges.append((-q, i, media.lower()))
    for negq, _, media in sorted(ranges):
        if negq == 0:
            break
        if media in ("*/*", "application/*", "text/*"):
            prefix = media[:-1]
            for f in table:
                if prefix == "*/" or f.media_type.startswith(prefix):
                    return f
        found = _lookup(media, kind)
        if found:
            return found
    raise NotAcceptable(f"cannot answer a {kind} query in {accept!r}; offered: "
                        + ", ".join(f.media_type for f in table))
