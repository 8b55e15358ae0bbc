"""Tests of kg.validate: the SHACL shapes of ontology/shapes.ttl on built graphs."""
from __future__ import annotations

from rdflib import RDF, RDFS, Literal

from kg.build import build_dataset
from kg.resolve import resolve
from kg.validate import shapes_path, validate
from kg.vocab import DG, ID


def test_the_seeds_graph_has_no_violation(seed_build):
    result, _ = seed_build
    report = validate(result.dataset)
    assert report.conforms, report.messages
    assert report.violations == 0
    assert result.validation is not None and result.validation.conforms


def test_the_tiny_graph_has_no_violation(tiny_dataset):
    assert validate(tiny_dataset).conforms


def test_broken_facts_are_reported_with_a_readable_message(tiny_dataset):
    g = tiny_dataset.graph(ID["article/lisbon-2025"])
    lonely = ID["meeting/lonely"]
    g.add((lonely, RDF.type, DG.Meeting))
    g.add((lonely, DG.participant, ID["person/luis-montenegro"]))  # one participant, no proof
    pos = ID["position/untitled"]
    g.add((pos, RDF.type, DG.Position))
    g.add((ID["person/luis-montenegro"], RDFS.label, Literal("Another Name")))
    report = validate(tiny_dataset, shown=50)
    assert not report.conforms
    text = "\n".join(report.messages)
    assert report.violations == len(report.messages) == 5
    assert "at least two participants" in text
    assert "has no rdf:Statement" in text
    assert "a position has a title" in text
    assert "a position is a post in a country or an organization" in text
    assert "exactly one preferred name" in text
    assert report.summary() == "5 SHACL violation(s)"


def test_every_shape_message_can_fail(tiny_extractions):
    """Each core-fact predicate without its rdf:Statement is reported."""
    ds = build_dataset(tiny_extractions, resolve(tiny_extractions))
    for g in ds.graphs():
        for st in list(g.subjects(RDF.type, RDF.Statement)):
            g.remove((st, None, None))
    report = validate(ds, shown=100)
    unproven = [m for m in report.messages if "has no rdf:Statement" in m]
    predicates = {m.split()[4].rsplit("#", 1)[-1] for m in unproven}
    assert predicates == {"holds", "participant", "party", "signatory", "memberOf",
                          "supports", "partner"}


def test_the_shapes_file_is_the_repository_one():
    assert shapes_path().name == "shapes.ttl" and shapes_path().is_file()
