"""The dg: vocabulary as an rdflib DefinedNamespace, mirroring `ontology/diplograph.ttl`.

Every term of the ontology is an attribute of `DG`; asking `DG` for any other
name raises AttributeError (`_fail = True`), so a typo in code fails at once
instead of minting a term nobody defined. `tests/test_vocab.py` checks that
this module and the ontology file define the same terms.

Note: with `from __future__ import annotations` the term annotations are
strings, so rdflib's `DG.as_jsonld_context()` (which inspects the annotation
types) is not supported; iterate `DG.__annotations__` instead.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = [
    "CORE_FACT_PREDICATES",
    "DG",
    "ENTITY_CLASSES",
    "ID",
    "ONTOLOGY",
    "ontology_path",
]

ONTOLOGY = URIRef("https://w3id.org/diplograph/ontology")
"""IRI of the ontology itself (the subject of its owl:Ontology header)."""

ID = Namespace("https://w3id.org/diplograph/id/")
"""Namespace of minted entity, fact and article IRIs."""


class DG(DefinedNamespace):
    """The diplograph ontology, `https://w3id.org/diplograph/ontology#`.

    Closed: an undefined term raises AttributeError. Keep in step with
    `ontology/diplograph.ttl`; add terms, never rename them.
    """

    _fail = True
    _NS = Namespace("https://w3id.org/diplograph/ontology#")

    # Classes
    Agent: URIRef  # superclass of Person, Country, Organization
    Person: URIRef  # a named individual
    Country: URIRef  # a sovereign state
    Organization: URIRef  # international body, ministry, parliament, party, company, agency
    Place: URIRef  # city, region, site that is not a country
    Agreement: URIRef  # declaration, memorandum, treaty, joint statement, plan
    Initiative: URIRef  # named initiative, policy, corridor, programme
    Event: URIRef  # named summit, conference, session
    Meeting: URIRef  # one meeting, talk or call (subclass of Event)
    Position: URIRef  # a post held by a person
    Partnership: URIRef  # the stated level of relations between two countries
    Article: URIRef  # one source document

    # Object properties
    holds: URIRef  # Person -> Position
    postIn: URIRef  # Position -> Country | Organization
    participant: URIRef  # Event -> Agent
    location: URIRef  # Event -> Place | Country
    partOf: URIRef  # Event -> Event
    party: URIRef  # Agreement -> Country | Organization
    signatory: URIRef  # Agreement -> Person
    signedAt: URIRef  # Agreement -> Event (usually a Meeting)
    memberOf: URIRef  # Agent -> Organization
    supports: URIRef  # Agent -> Initiative
    partner: URIRef  # Partnership -> Country
    mentions: URIRef  # Article -> anything

    # Datatype properties
    title: URIRef  # Position | Article -> xsd:string
    date: URIRef  # Event | Agreement -> xsd:date | xsd:gYearMonth | xsd:gYear
    published: URIRef  # Article -> xsd:date | xsd:gYearMonth | xsd:gYear
    level: URIRef  # Partnership -> xsd:string
    status: URIRef  # Agreement -> "signed" | "adopted" | "proposed" | "planned"
    url: URIRef  # Article -> xsd:anyURI
    source: URIRef  # Article -> xsd:string (file or location it was read from)
    supportCount: URIRef  # rdf:Statement | fact node -> xsd:integer (articles)
    sourceCount: URIRef  # rdf:Statement | fact node -> xsd:integer (independent sources)
    evidence: URIRef  # rdf:Statement -> xsd:string (the sentence)
    confidence: URIRef  # rdf:Statement | fact node -> xsd:decimal in [0, 1]
    rule: URIRef  # rdf:Statement | fact node -> xsd:string (rule name)
    nameKey: URIRef  # entity -> xsd:string (a label or alt label lower-cased, for look-ups)
    degree: URIRef  # entity -> xsd:integer (distinct nodes its core facts link it to)


CORE_FACT_PREDICATES: tuple[URIRef, ...] = (
    DG.holds,
    DG.participant,
    DG.party,
    DG.signatory,
    DG.memberOf,
    DG.supports,
    DG.partner,
)
"""Predicates whose every triple must carry at least one reified rdf:Statement."""

ENTITY_CLASSES: Mapping[str, URIRef] = MappingProxyType(
    {
        "Person": DG.Person,
        "Country": DG.Country,
        "Organization": DG.Organization,
        "Place": DG.Place,
        "Agreement": DG.Agreement,
        "Initiative": DG.Initiative,
        "Event": DG.Event,
    }
)
"""Entity type name (as in `kg.model.ENTITY_TYPES`) -> its dg: class. Read-only."""


def ontology_path() -> Path:
    """Return the path of `diplograph.ttl`; does not read or create it.

    Prefers the repository's top-level `ontology/` folder; if that file does not
    exist (an installed package), falls back to `kg/ontology/` inside the
    package. The fallback path is returned even if it does not exist either, so
    opening it raises FileNotFoundError naming the path looked for.
    """
    package_dir = Path(__file__).resolve().parent
    repo_copy = package_dir.parent / "ontology" / "diplograph.ttl"
    if repo_copy.is_file():
        return repo_copy
    return package_dir / "ontology" / "diplograph.ttl"
