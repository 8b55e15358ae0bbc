"""kg.sparqltext: parameters enter a query as a VALUES block of escaped terms, never as text."""
from __future__ import annotations

import datetime as dt

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.errors import QueryError
from kg.sparqltext import bind_values, keywords, top_group

Q = "SELECT ?s WHERE { ?s <urn:name> ?n . FILTER(?n = ?name) }"


@pytest.fixture(scope="module")
def people():
    store = ox.Store()
    for i, name in enumerate(["Ana Brnabić", 'Quote " Person', "Line\nBreak", "Back\\slash"]):
        store.add(ox.Quad(ox.NamedNode(f"urn:p{i}"), ox.NamedNode("urn:name"), ox.Literal(name)))
    return store


def _rows(store, query):
    return [s["s"].value for s in store.query(query)]


def test_a_bound_parameter_restricts_like_a_pre_binding(people):
    assert _rows(people, bind_values(Q, {"name": "Ana Brnabić"})) == ["urn:p0"]
    assert _rows(people, bind_values(Q, {"name": 'Quote " Person'})) == ["urn:p1"]
    assert _rows(people, bind_values(Q, {"name": "Line\nBreak"})) == ["urn:p2"]
    assert _rows(people, bind_values(Q, {"name": "Back\\slash"})) == ["urn:p3"]


@given(st.text(max_size=60))
def test_no_value_can_escape_its_literal(value):
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:name"), ox.Literal(value)))
    assert _rows(store, bind_values(Q, {"name": value})) == ["urn:x"]


def test_values_of_other_types_become_typed_literals():
    text = bind_values("SELECT * WHERE { ?s ?p ?o }", {"n": 3, "d": dt.date(2024, 5, 1),
                                                      "b": True})
    assert '"3"^^<http://www.w3.org/2001/XMLSchema#integer>' in text
    assert '"2024-05-01"^^<http://www.w3.org/2001/XMLSchema#date>' in text
    assert '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>' in text


def test_the_block_opens_the_top_level_group_whatever_comes_before():
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert construct[top_group(construct):].startswith(" ?s ?p ?o }")
    tricky = 'PREFIX ex: <urn:ex#> SELECT ("{" AS ?x) # a { in a comment\nWHERE { ?s ex:where ?o }'
    assert tricky[top_group(tricky):].startswith(" ?s ex:where ?o }")


def test_a_parameter_is_one_constant_in_sub_selects_too_as_with_rdflib(people):
    from rdflib import Graph, Literal, URIRef

    # the sub-SELECT sees ?name (rdflib's initBindings make it a constant everywhere);
    # the one that does not name it gets no block
    sub = ("SELECT ?s WHERE { { SELECT ?s WHERE { ?s <urn:name> ?n FILTER(?n = ?name) } } "
           "{ SELECT ?x WHERE { ?x <urn:name> ?m } LIMIT 1 } }")
    bound = bind_values(sub, {"name": "Back\\slash"})
    assert bound.count("VALUES") == 2
    assert _rows(people, bound) == ["urn:p3"]
    g = Graph()
    for s in people.quads_for_pattern(None, None, None):
        g.add((URIRef(s.subject.value), URIRef(s.predicate.value), Literal(s.object.value)))
    assert [str(r[0]) for r in g.query(sub, initBindings={"name": Literal("Back\\slash")})
            ] == ["urn:p3"]
    # a filter on whether the parameter is given works inside a sub-SELECT
    given_q = "SELECT ?s WHERE { { SELECT ?s WHERE { FILTER(!BOUND(?name)) ?s <urn:name> ?n } } }"
    assert _rows(people, given_q) != []
    assert _rows(people, bind_values(given_q, {"name": "x"})) == []


def test_bad_parameter_names_and_queries_without_a_pattern_are_errors():
    with pytest.raises(QueryError, match="not a SPARQL variable name"):
        bind_values(Q, {"name) } INSERT": "x"})
    with pytest.raises(QueryError, match="no query pattern"):
        bind_values("INSERT DATA { <urn:a> <urn:b> <urn:c> }", {"a": 1})


def test_keywords_skip_strings_iris_and_comments():
    words = keywords('SELECT * WHERE { ?s <urn:SERVICE> "FROM" } # SERVICE')
    assert "SERVICE" not in words and "FROM" not in words
    assert "SERVICE" in keywords("SELECT * WHERE { SERVICE <urn:x> { ?s ?p ?o } }")
