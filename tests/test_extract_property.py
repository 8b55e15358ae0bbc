"""Properties of the extractor that hold for any text (Hypothesis).

The extractor must never crash or hang on news text, which is untrusted input;
every fact must refer to entities of its own extraction and quote its evidence
from the article. Each example runs under a time limit, so a hang fails the
test instead of stalling the suite.
"""
from __future__ import annotations

from conftest import Hang, time_limit
from hypothesis import HealthCheck, example, given, reject, settings
from hypothesis import strategies as st

from kg.extract import extract_doc
from kg.model import ENTITY_TYPES, FACT_KINDS, Article, Extraction

# pieces of diplomatic news, so generated text reaches the extractors' rules and not
# only the tokenizer: names, titles, demonyms, verbs of meeting and signing, dates
WORDS = [
    "President", "Prime Minister", "Foreign Minister", "Secretary-General", "King", "Emir",
    "counterpart", "his", "the", "of", "and", "in", "on", "with", "met", "held talks with",
    "received", "signed", "will sign", "joined", "member", "supports", "strategic partnership",
    "comprehensive", "Memorandum of Understanding", "Agreement", "Treaty", "joint statement",
    "Initiative", "Summit", "Kenya", "Kenya's", "Kenyan", "Chile", "Peruvian", "Kazakh-Uzbek",
    "Côte d'Ivoire", "Türkiye", "NATO", "ASEAN", "the African Union", "(AU)", "(", ")", "AU",
    "William Ruto", "Ruto", "Gabriel Boric", "Ilham Aliyev", "Heydar Aliyev", "Aliyev",
    "H.E.", "Mr.", "Dr.", "Sheikh", "Nairobi", "Lima", "Baku", "on Tuesday", "yesterday",
    "last month", "3 July 2024", "2024-07-03", "next week", "the two leaders", "they", "he",
    "both sides", "\u201cOne China\u201d policy", '"', "'", "\u201c", "\u201d", "\u2019s",
    ",", ".", ";", ":", "-", "\u2013", "!", "?", "\n", "\n\n", "...", "''", "((", "))",
]
SEPARATORS = st.sampled_from([" ", " ", " ", "", "\n", ", ", ". ", " - ", "\t"])

newsy = st.lists(st.tuples(st.sampled_from(WORDS), SEPARATORS), max_size=60).map(
    lambda parts: "".join(w + s for w, s in parts))
long_token = st.builds(lambda c, n: c * n,
                       st.sampled_from(["a", "A", "(", ".", "\u201c", "\u00e9", "x-", "9"]),
                       st.integers(min_value=50, max_value=3000))
punctuation = st.text(alphabet="()[]{}\"'\u201c\u201d\u2018\u2019\u00ab\u00bb,.;:!?-\u2013"
                               "\u2014/\\ \n", max_size=200)
texts = st.one_of(
    st.text(max_size=300),
    newsy,
    punctuation,
    long_token,
    st.tuples(newsy, long_token, newsy).map(" ".join),
    st.tuples(newsy, punctuation, newsy).map("".join),
)
published = st.one_of(st.none(), st.sampled_from(["2024-05-16", "2024-05", "2024", "garbage"]))


# a hang detector, not a speed test: a short text takes well under 0.5 s on an idle machine,
# but CI machines may be busy; a runaway (quadratic or endless) loop still exceeds this
LIMIT = 30.0


def run(nlp, text: str, pub: str | None) -> Extraction:
    with time_limit(LIMIT):
        return extract_doc(Article(id="p", text=text, source="hypothesis", published=pub),
                           nlp(text))


SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
EXAMPLES = [
    ("", None),
    (" \n\t ", "2024-05-16"),
    ("((((\u201c\u201c\u201c)))) \"\"\" '''", None),
    ("President " * 40, "2024-05-16"),
    ("Kenyan President William Ruto met his Ethiopian counterpart Abiy Ahmed in Nairobi on "
     "Tuesday. The two leaders signed a Memorandum of Understanding on Trade (MoU). Kenya "
     "joined the African Union (AU). The AU supports the \u201cOne Africa\u201d policy.",
     "2024-05-16"),
]


def with_examples(test):
    for text, pub in reversed(EXAMPLES):
        test = example(text=text, pub=pub)(test)
    return test


@SETTINGS
@given(text=texts, pub=published)
@example(text="Finland, a new member of NATO.", pub=None)
@example(text="B Ro,Jena's", pub=None)  # an apposition of only a possessive country
@example(text="Wang Yi, a member of the Political , of the Communist Party of China (CPC) "
              "Central Committee and director of the Office of the Central", pub=None)
@with_examples
def test_extractor_never_raises_or_hangs(nlp, text, pub):
    run(nlp, text, pub)


@SETTINGS
@given(text=texts, pub=published)
@with_examples
def test_extraction_is_well_formed(nlp, text, pub):
    """Whatever the extractor returns is well-formed (a hang is the other test's failure)."""
    try:
        ex = run(nlp, text, pub)
    except Hang:
        reject()

    keys = [e.key for e in ex.entities]
    assert len(keys) == len(set(keys)), "entity keys are unique"
    assert {e.type for e in ex.entities} <= set(ENTITY_TYPES)
    for fact in ex.facts:
        assert fact.kind in FACT_KINDS
        for role, refs in fact.roles:
            assert set(refs) <= set(keys), f"{fact.kind}.{role} refers to unknown {refs}"
        assert fact.evidence in text
        assert 0.0 <= fact.confidence <= 1.0
