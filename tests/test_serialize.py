"""Tests of kg.serialize: canonical TriG and Turtle, byte-identical for the same triples."""
from __future__ import annotations

import random
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg import serialize, store
from kg.vocab import DG, ID


def _shuffled_copy(ds: Dataset, seed: int) -> Dataset:
    quads = list(ds.quads((None, None, None, None)))
    random.Random(seed).shuffle(quads)
    out = Dataset(default_union=True)
    for s, p, o, c in quads:
        out.graph(getattr(c, "identifier", c)).add((s, p, o))
    return out


def test_trig_does_not_depend_on_insertion_order(tiny_dataset):
    text = serialize.trig(tiny_dataset)
    for seed in range(3):
        assert serialize.trig(_shuffled_copy(tiny_dataset, seed)) == text


def test_trig_parses_back_to_the_same_dataset(tiny_dataset, same_dataset):
    again = Dataset(default_union=True)
    again.parse(data=serialize.trig(tiny_dataset), format="trig")
    assert same_dataset(again, tiny_dataset)
    assert set(again.quads()) and {(s, p, o) for s, p, o, _ in again.quads()} == {
        (s, p, o) for s, p, o, _ in tiny_dataset.quads()}


def test_turtle_is_the_union_and_parses_back(tiny_dataset):
    g = Graph().parse(data=serialize.turtle(store.union(tiny_dataset)), format="turtle")
    assert isomorphic(g, store.union(tiny_dataset))


def test_ids_are_written_with_their_kind_as_prefix(tiny_dataset):
    text = serialize.trig(tiny_dataset)
    assert "@prefix person: <https://w3id.org/diplograph/id/person/> ." in text
    assert "person:luis-montenegro a dg:Person" in text
    assert serialize.term(URIRef("https://example.org/a b")) == "<https://example.org/a\\u0020b>"


awkward = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=60, deadline=None)
@given(awkward, awkward)
def test_any_label_survives_a_round_trip(label, alt):
    g = Graph()
    s = ID["person/x"]
    g.add((s, RDFS.label, Literal(label)))
    g.add((s, RDFS.comment, Literal(alt, lang="en")))
    g.add((s, DG.confidence, Literal(Decimal("0.80"), datatype=XSD.decimal)))
    g.add((s, RDF.type, DG.Person))
    again = Graph().parse(data=serialize.turtle(g), format="turtle")
    assert set(again) == set(g)
