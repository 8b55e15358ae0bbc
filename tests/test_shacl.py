"""Tests of kg.shacl: the shapes compiled to SPARQL give pySHACL's results, on any graph."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import PROV, XSD

from kg.shacl import ShapesError, compile_shapes
from kg.validate import ontology_classes, validate
from kg.vocab import DG, ID


def _break_everything(ds) -> None:
    """Add to `ds` at least one violation of every constraint of ontology/shapes.ttl."""
    g = ds.graph(ID["article/broken"])
    person, other = ID["person/nameless"], ID["person/two-names"]
    g.add((person, RDF.type, DG.Person))                                   # no label
    g.add((other, RDF.type, DG.Person))
    g.add((other, RDFS.label, Literal("One")))
    g.add((other, RDFS.label, Literal("Two")))                             # two labels
    g.add((ID["country/tagged"], RDF.type, DG.Country))
    g.add((ID["country/tagged"], RDFS.label, Literal("Tagged", lang="en")))  # not xsd:string
    deal = ID["agreement/undated"]
    g.add((deal, RDF.type, DG.Agreement))
    g.add((deal, RDFS.label, Literal("Deal")))
    g.add((deal, DG.date, Literal("sometime")))                            # not a date type
    g.add((deal, DG.date, Literal("2024-02-30", datatype=XSD.date)))        # ill-formed date
    meeting = ID["meeting/lonely"]
    g.add((meeting, RDF.type, DG.Meeting))
    g.add((meeting, DG.participant, person))                               # one participant
    g.add((meeting, DG.date, Literal("2024-01-01", datatype=XSD.date)))
    g.add((meeting, DG.date, Literal("2024-01", datatype=XSD.gYearMonth)))  # two dates
    post = ID["position/odd"]
    g.add((post, RDF.type, DG.Position))                                   # no title
    g.add((post, DG.postIn, ID["place/somewhere"]))                        # not an agent
    g.add((ID["place/somewhere"], RDF.type, DG.Place))
    g.add((ID["place/somewhere"], RDFS.label, Literal("Somewhere")))
    bond = ID["partnership/crowded"]
    g.add((bond, RDF.type, DG.Partnership))                                # no level
    for n in range(3):                                                     # three partners
        g.add((bond, DG.partner, ID[f"country/c{n}"]))
    article = ID["article/sourceless"]
    g.add((article, RDF.type, DG.Article))                                 # no source
    g.add((article, DG.published, Literal("2024-01-01", datatype=XSD.date)))
    g.add((article, DG.published, Literal("2024-01-02", datatype=XSD.date)))  # two dates
    st = URIRef("https://example.org/statement/bad")
    g.add((st, RDF.type, RDF.Statement))                                   # no evidence
    g.add((st, PROV.wasDerivedFrom, ID["place/somewhere"]))                # not an article
    g.add((st, DG.confidence, Literal("1.5", datatype=XSD.decimal)))        # above 1
    g.add((st, DG.confidence, Literal("high")))                            # not a decimal
    g.add((st, DG.supportCount, Literal(0)))                               # not positive
    g.add((st, DG.supportCount, Literal("2.5", datatype=XSD.decimal)))      # two, not integer
    bare = URIRef("https://example.org/statement/bare")
    g.add((bare, RDF.type, RDF.Statement))                                 # nothing at all
    g.add((person, DG.memberOf, ID["organization/club"]))                  # unproven fact
    g.add((person, DG.degree, Literal(0)))                                 # not positive


def test_a_clean_graph_conforms_on_both_engines(tiny_dataset):
    assert validate(tiny_dataset).conforms
    assert validate(tiny_dataset, engine="pyshacl").conforms


def test_every_violation_is_found_as_pyshacl_finds_it(tiny_dataset):
    _break_everything(tiny_dataset)
    ours = validate(tiny_dataset, shown=1000)
    reference = validate(tiny_dataset, shown=1000, engine="pyshacl")
    assert not ours.conforms
    assert ours.messages == reference.messages
    assert ours.violations == reference.violations >= 25
    assert any("degree is one positive integer" in str(m) for m in ours.messages)


def test_the_seeds_graph_gives_the_same_result_on_both_engines(seed_build):
    result, _ = seed_build
    ours = validate(result.dataset, shown=1000)
    assert ours == validate(result.dataset, shown=1000, engine="pyshacl")
    assert ours.conforms


def _shape(body: str) -> Graph:
    return Graph().parse(data="@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                              "@prefix ex: <https://example.org/> .\n" + body, format="turtle")


@pytest.mark.parametrize("body, word", [
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; "
     "sh:pattern \"^a\" ] .", "pattern"),
    ("ex:S a sh:NodeShape ; sh:targetNode ex:n .", "targetNode"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ( ex:p ex:q ) ; "
     "sh:minCount 1 ] .", "single-predicate"),
    ("ex:S a sh:NodeShape ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .", "without a target"),
])
def test_an_unsupported_shape_is_refused_by_name(body, word):
    with pytest.raises(ShapesError, match=word):
        compile_shapes(_shape(body), ontology_classes())


def test_kg_validate_reports_a_broken_file_and_passes_a_built_folder(tiny_dataset, seed_build,
                                                                     tmp_path):
    kg = Path(sys.executable).with_name("kg")
    _, folder = seed_build
    ok = subprocess.run([kg, "validate", folder], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert "no violation" in ok.stderr
    _break_everything(tiny_dataset)
    broken = tmp_path / "broken.trig"
    tiny_dataset.serialize(broken, format="trig")
    bad = subprocess.run([kg, "validate", broken, "--show", "3"], capture_output=True,
                         text=True, timeout=120)
    assert bad.returncode == 1
    assert len(bad.stdout.splitlines()) == 3 and "partnership has a level" not in bad.stdout
    assert "SHACL violation(s)" in bad.stderr
