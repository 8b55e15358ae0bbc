"""`kg.vocab` and `ontology/diplograph.ttl` define the same terms, and cover CONTRACT.md."""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS

from kg.vocab import CORE_FACT_PREDICATES, DG, ENTITY_CLASSES, ID, ONTOLOGY, ontology_path

CONTRACT = Path(__file__).parents[1].parent / "shared" / "eval" / "CONTRACT.md"
DG_NS = "https://w3id.org/diplograph/ontology#"
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty)

ALIGNMENT_TARGETS = {
    "schema.org": ("https://schema.org/", "http://schema.org/"),
    "ORG": ("http://www.w3.org/ns/org#",),
    "PROV-O": ("http://www.w3.org/ns/prov#",),
    "SEM": ("http://semanticweb.cs.vu.nl/2009/11/sem/",),
    "SKOS": (str(SKOS),),
}


# --- helpers: plain functions, so the tests below can also show they fail --------------------


def dg_terms() -> set[URIRef]:
    """Return every term `DG` declares, as full IRIs."""
    return {DG[name] for name in DG.__annotations__}


def undefined_terms(graph: Graph, terms: Iterable[URIRef]) -> dict[URIRef, list[str]]:
    """Map each term lacking a definition in `graph` to what it lacks (type, label, comment)."""
    problems: dict[URIRef, list[str]] = {}
    for term in terms:
        lacks = []
        if not any((term, RDF.type, kind) in graph for kind in TERM_TYPES):
            lacks.append("rdf:type owl:Class/ObjectProperty/DatatypeProperty")
        if graph.value(term, RDFS.label) is None:
            lacks.append("rdfs:label")
        if graph.value(term, RDFS.comment) is None:
            lacks.append("rdfs:comment")
        if lacks:
            problems[term] = lacks
    return problems


def dg_iris_in(graph: Graph) -> set[URIRef]:
    """Return every dg: IRI used anywhere in `graph` (subject, predicate or object)."""
    return {
        node
        for triple in graph
        for node in triple
        if isinstance(node, URIRef) and str(node).startswith(DG_NS)
    }


def properties_without_domain_or_range(graph: Graph) -> dict[URIRef, list[str]]:
    """Map each dg: property of `graph` lacking rdfs:domain or rdfs:range to what it lacks."""
    problems: dict[URIRef, list[str]] = {}
    for kind in PROPERTY_TYPES:
        for prop in graph.subjects(RDF.type, kind):
            if not isinstance(prop, URIRef) or not str(prop).startswith(DG_NS):
                continue
            lacks = [name for name, p in (("rdfs:domain", RDFS.domain), ("rdfs:range", RDFS.range))
                     if graph.value(prop, p) is None]
            if lacks:
                problems[prop] = lacks
    return problems


def aligned_namespaces(graph: Graph) -> set[str]:
    """Return the names of `ALIGNMENT_TARGETS` some dg: term is a subclass/subproperty into."""
    found = set()
    for link in (RDFS.subClassOf, RDFS.subPropertyOf):
        for sub, sup in graph.subject_objects(link):
            if not (str(sub).startswith(DG_NS) and isinstance(sup, URIRef)):
                continue
            for name, prefixes in ALIGNMENT_TARGETS.items():
                if str(sup).startswith(prefixes):
                    found.add(name)
    return found


def copy_of(graph: Graph) -> Graph:
    """Return an independent copy of `graph` that tests may mutate."""
    clone = Graph()
    for triple in graph:
        clone.add(triple)
    return clone


@pytest.fixture(scope="module")
def ontology() -> Graph:
    """The ontology file, parsed as Turtle."""
    return Graph().parse(ontology_path(), format="turtle")


@pytest.fixture(scope="module")
def contract_text() -> str:
    """CONTRACT.md, or skip when the shared evaluation folder is not next to the repo."""
    if not CONTRACT.is_file():
        pytest.skip(f"CONTRACT.md not found at {CONTRACT}; the contract checks need it")
    return CONTRACT.read_text(encoding="utf-8")


# --- the ontology file --------------------------------------------------------------------


def test_ontology_path_is_the_repo_file() -> None:
    path = ontology_path()
    assert path.is_file(), path
    assert path == Path(__file__).resolve().parents[1] / "ontology" / "diplograph.ttl"


def test_ontology_parses_as_turtle_with_header(ontology: Graph) -> None:
    assert len(ontology) > 100
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY, OWL.versionInfo) == Literal("0.1.0")
    for annotation in (DCTERMS.title, DCTERMS.description, DCTERMS.license):
        assert ontology.value(ONTOLOGY, annotation) is not None, annotation


def test_every_property_has_domain_and_range(ontology: Graph) -> None:
    assert properties_without_domain_or_range(ontology) == {}


@pytest.mark.parametrize("target", sorted(ALIGNMENT_TARGETS))
def test_aligned_with_public_vocabulary(ontology: Graph, target: str) -> None:
    assert target in aligned_namespaces(ontology)


def test_meeting_is_an_event(ontology: Graph) -> None:
    assert (DG.Meeting, RDFS.subClassOf, DG.Event) in ontology


# --- vocab.py and the ontology agree ------------------------------------------------------


def test_dg_declares_terms() -> None:
    assert len(dg_terms()) >= 30
    assert all(str(term).startswith(DG_NS) for term in dg_terms())


def test_every_dg_term_is_defined_in_ontology(ontology: Graph) -> None:
    assert undefined_terms(ontology, dg_terms()) == {}


def test_every_dg_iri_in_ontology_is_in_dg(ontology: Graph) -> None:
    used = dg_iris_in(ontology)
    assert used, "the ontology uses no dg: IRI at all"
    assert used - dg_terms() == set()


def test_term_kind_follows_its_case(ontology: Graph) -> None:
    """Classes are capitalised, properties are not; each term has exactly one kind."""
    for term in dg_terms():
        kinds = [kind for kind in TERM_TYPES if (term, RDF.type, kind) in ontology]
        expected = OWL.Class if term.removeprefix(DG_NS)[0].isupper() else None
        assert len(kinds) == 1, (term, kinds)
        if expected is not None:
            assert kinds == [expected], term
        else:
            assert kinds[0] in PROPERTY_TYPES, term


def test_undefined_term_raises() -> None:
    with pytest.raises(AttributeError):
        _ = DG.Treaty
    with pytest.raises(AttributeError):
        _ = DG["signatories"]


# --- the checks above can fail ------------------------------------------------------------


def test_undefined_terms_reports_a_missing_label(ontology: Graph) -> None:
    broken = copy_of(ontology)
    broken.remove((DG.Person, RDFS.label, None))
    assert undefined_terms(broken, dg_terms()) == {DG.Person: ["rdfs:label"]}


def test_undefined_terms_reports_an_unknown_term(ontology: Graph) -> None:
    ghost = URIRef(DG_NS + "Ghost")
    assert undefined_terms(ontology, [ghost]) == {
        ghost: ["rdf:type owl:Class/ObjectProperty/DatatypeProperty", "rdfs:label", "rdfs:comment"]
    }


def test_extra_ontology_term_is_not_in_dg(ontology: Graph) -> None:
    broken = copy_of(ontology)
    broken.add((URIRef(DG_NS + "Ghost"), RDF.type, OWL.Class))
    assert dg_iris_in(broken) - dg_terms() == {URIRef(DG_NS + "Ghost")}


def test_missing_range_and_alignment_are_reported(ontology: Graph) -> None:
    broken = copy_of(ontology)
    broken.remove((DG.holds, RDFS.range, None))
    broken.remove((None, RDFS.subPropertyOf, URIRef("http://www.w3.org/ns/org#holds")))
    broken.remove((None, RDFS.subPropertyOf, URIRef("http://www.w3.org/ns/org#postIn")))
    broken.remove((None, RDFS.subPropertyOf, URIRef("http://www.w3.org/ns/org#memberOf")))
    broken.remove((None, RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#Post")))
    broken.remove((None, RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#Organization")))
    assert properties_without_domain_or_range(broken) == {DG.holds: ["rdfs:range"]}
    assert "ORG" not in aligned_namespaces(broken)


# --- CONTRACT.md --------------------------------------------------------------------------


def test_contract_terms_are_defined(ontology: Graph, contract_text: str) -> None:
    named = {URIRef(DG_NS + name) for name in re.findall(r"\bdg:([A-Za-z_]\w*)", contract_text)}
    assert len(named) >= 20, "CONTRACT.md names suspiciously few dg: terms"
    assert named - dg_terms() == set()
    assert undefined_terms(ontology, named) == {}


def test_core_fact_predicates_match_contract(ontology: Graph, contract_text: str) -> None:
    match = re.search(r"predicate is one of\s+`([^`]+)`", contract_text)
    assert match, "CONTRACT.md no longer lists the predicates that need provenance"
    listed = [URIRef(DG_NS + token.removeprefix("dg:")) for token in match.group(1).split()]
    assert set(CORE_FACT_PREDICATES) == set(listed)
    assert len(CORE_FACT_PREDICATES) == len(set(CORE_FACT_PREDICATES))
    for predicate in CORE_FACT_PREDICATES:
        assert (predicate, RDF.type, OWL.ObjectProperty) in ontology, predicate


def test_entity_classes(ontology: Graph) -> None:
    expected = ("Person", "Country", "Organization", "Place", "Agreement", "Initiative", "Event")
    assert tuple(ENTITY_CLASSES) == expected
    for name, cls in ENTITY_CLASSES.items():
        assert cls == DG[name]
        assert (cls, RDF.type, OWL.Class) in ontology
    with pytest.raises(TypeError):
        ENTITY_CLASSES["Meeting"] = DG.Meeting  # type: ignore[index]


def test_id_namespace() -> None:
    assert isinstance(ID, Namespace)
    assert ID["person/x"] == URIRef("https://w3id.org/diplograph/id/person/x")
