"""Tests of kg.sparql (and kg.api's query functions): named .rq queries, bindings, errors."""
from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import RDF, RDFS, Dataset, Literal

from kg import api
from kg import sparql as q
from kg.build import article_iri
from kg.errors import KGError, QueryError
from kg.vocab import DG, ID

NAMED = {"meetings": "person", "agreements": "country", "positions": "country",
         "evidence": "name"}
HOSTILE = [
    '"} ; DROP ALL #',
    'Portugal" ) || true || ("',
    "Portugal' } UNION { ?s ?p ?o } #",
    "?country",
    "<https://w3id.org/diplograph/id/country/portugal>",
]


def test_named_queries_are_listed_each_with_a_header_comment():
    queries = q.named_queries()
    assert set(NAMED) <= set(queries)
    for name, text in queries.items():
        assert text.lstrip().startswith("#"), name
        assert q.describe(text).strip(), name


@pytest.mark.parametrize(("name", "param"), NAMED.items())
def test_each_named_query_documents_its_parameter(name, param):
    assert f"?{param}" in q.describe(q.named_queries()[name])


@pytest.mark.parametrize("name", ["meetings", "positions", "evidence", "agreements"])
def test_each_named_query_runs_on_a_built_graph(name, tiny_dataset):
    table = api.query_named(tiny_dataset, name)
    assert table.columns and table.rows


def test_meetings_lists_who_met_whom_where_and_when(tiny_dataset):
    table = api.query_named(tiny_dataset, "meetings")
    assert table.columns == ["a", "b", "place", "date"]
    assert table.rows == [["Aziz Akhannouch", "Luís Montenegro", "Lisbon", "2025-03-12"]]


def test_a_parameter_restricts_the_rows_and_matches_alternative_labels(tiny_dataset):
    assert len(api.query_named(tiny_dataset, "meetings", {"person": "Montenegro"}).rows) == 1
    assert api.query_named(tiny_dataset, "meetings", {"person": "William Ruto"}).rows == []
    rows = api.query_named(tiny_dataset, "positions", {"country": "portugal"}).rows
    assert rows == [["Luís Montenegro", "Prime Minister", "Portugal"]]
    everyone = {r[0] for r in api.query_named(tiny_dataset, "positions").rows}
    assert everyone == {"Luís Montenegro", "Aziz Akhannouch", "William Ruto"}


def test_evidence_gives_the_sentence_article_and_confidence(tiny_dataset, tiny_extractions):
    rows = api.query_named(tiny_dataset, "evidence", {"name": "Kenya"})
    by_pred = {r[1]: r for r in rows.rows}
    assert set(by_pred) == {"memberOf", "supports"}
    said = tiny_extractions[1].article.text
    for _, _, _, evidence, article, confidence in rows.rows:
        assert evidence and evidence in said
        assert article == tiny_extractions[1].article.title
        assert 0.0 <= float(confidence) <= 1.0


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize(("name", "param"), NAMED.items())
def test_hostile_parameter_is_a_plain_value_not_sparql(tiny_dataset, name, param, value):
    size = len(tiny_dataset)
    table = api.query_named(tiny_dataset, name, {param: value})
    assert table.rows == []
    assert len(tiny_dataset) == size


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_value_matches_only_a_label_equal_to_it(value):
    ds = Dataset(default_union=True)
    g = ds.graph(article_iri("x"))
    person, pos, body = ID["person/ana-silva"], ID["position/p"], ID["organization/odd"]
    g.add((person, RDFS.label, Literal("Ana Silva")))
    g.add((person, DG.holds, pos))
    g.add((pos, RDF.type, DG.Position))
    g.add((pos, DG.title, Literal("Envoy")))
    g.add((pos, DG.postIn, body))
    g.add((body, RDFS.label, Literal(value)))
    assert api.query_named(ds, "positions", {"country": value}).rows == [
        ["Ana Silva", "Envoy", value]]
    assert api.query_named(ds, "positions", {"country": value + " "}).rows == []


def test_ad_hoc_query_takes_bindings_and_predeclares_prefixes(tiny_dataset):
    table = api.query(tiny_dataset, "SELECT ?x WHERE { ?x a dg:Country ; rdfs:label ?name }",
                      {"name": "Kenya"})
    assert table.rows == [[str(ID["country/kenya"])]]
    ask = api.query(tiny_dataset, "ASK { ?p a dg:Partnership ; dg:level ?level }",
                    {"level": "strategic partnership"})
    assert ask.rows == [["true"]]


@pytest.mark.parametrize("sparql", [
    "SELECT ?x WHERE { ?x a dg:Country ",
    "SELEKT * WHERE { ?s ?p ?o }",
    "SELECT ?x WHERE { ?x nope:thing ?y }",
    "",
])
def test_malformed_sparql_raises_query_error(tiny_dataset, sparql):
    with pytest.raises(QueryError) as info:
        api.query(tiny_dataset, sparql)
    assert isinstance(info.value, KGError)


def test_unknown_named_query_raises_query_error_listing_the_known_ones(tiny_dataset):
    with pytest.raises(QueryError, match="meetings"):
        api.query_named(tiny_dataset, "who-met-whom")


def test_construct_cannot_be_shown_as_a_table(tiny_dataset):
    with pytest.raises(QueryError):
        api.query(tiny_dataset, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")


def test_table_csv_and_json_round_trip():
    table = q.Table(["person", "title"], [["Luís Montenegro", 'Prime "PM", Minister'],
                                          ["Aziz Akhannouch", None]])
    rows = list(csv.reader(io.StringIO(table.to_csv())))
    assert rows == [["person", "title"], ["Luís Montenegro", 'Prime "PM", Minister'],
                    ["Aziz Akhannouch", ""]]
    assert json.loads(table.to_json()) == [
        {"person": "Luís Montenegro", "title": 'Prime "PM", Minister'},
        {"person": "Aziz Akhannouch", "title": None}]


def test_agreements_lists_agreements_without_signatories(tiny_dataset):
    g = tiny_dataset.graph(article_iri("extra"))
    treaty = ID["agreement/lisbon-treaty"]
    g.add((treaty, RDF.type, DG.Agreement))
    g.add((treaty, RDFS.label, Literal("Treaty of Friendship")))
    g.add((treaty, DG.party, ID["country/portugal"]))
    table = api.query_named(tiny_dataset, "agreements")
    assert table.columns == ["agreement", "status", "date", "parties", "signatories"]
    by_name = {r[0]: r for r in table.rows}
    assert by_name["Treaty of Friendship"][3] == "Portugal"
    mou = by_name["Memorandum of Understanding on Water Management"]
    assert set(mou[3].split("; ")) == {"Morocco", "Portugal"}
    assert mou[4] == "Luís Montenegro"
