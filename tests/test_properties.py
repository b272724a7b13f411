"""Properties that hold for any article: spans point at the text they claim, output fits the JSON
Schema, extraction is deterministic, and the fast path covers the text exactly.

The articles are built by hypothesis from sentence pieces we wrote (actors, verbs, quotes, numbers,
dates, filler and noise), so each example looks enough like news for every stage to fire.
"""
from __future__ import annotations

import json

import jsonschema
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from eventwire.pipeline import split_sentences

ACTORS = ["Russia", "Ukraine", "President Vladimir Putin", "the Kremlin", "NATO", "Kyiv", "the United Nations",
          "Chinese officials", "Hamas", "Israel", "the European Union", "Germany's foreign minister", "he", "she"]
VERBS = ["agreed to talk with", "accused", "met", "threatened to sanction", "called on", "attacked",
         "rejected a proposal from", "praised", "signed a deal with", "sent aid to", "warned"]
TIMES = ["on Monday", "last week", "on May 17, 2025", "in 2024", "next month", "yesterday", ""]
NUMBERS = ["more than 5,000 soldiers", "about 12 percent", "$1.5 billion", "dozens of civilians", "10-12 people"]
NOISE = ["", " ", "\n", "\n\n", "  ", "\t", "…", " — ", "\u00a0", "Mr.", "U.S.", "(AP)", "“", "”", "'", "é", "😀"]


@st.composite
def sentences(draw):
    a, b = draw(st.sampled_from(ACTORS)), draw(st.sampled_from(ACTORS))
    verb, when = draw(st.sampled_from(VERBS)), draw(st.sampled_from(TIMES))
    kind = draw(st.integers(0, 3))
    if kind == 0:
        s = f"{a} {verb} {b} {when}".strip() + "."
    elif kind == 1:
        s = f"“We will not accept this,” {a} said {when}".strip() + "."
    elif kind == 2:
        s = f"{a} said {draw(st.sampled_from(NUMBERS))} had been affected {when}".strip() + "."
    else:
        s = f"The weather was mild {when}".strip() + "."
    s = s[0].upper() + s[1:]
    return s + draw(st.sampled_from(NOISE))


articles = st.lists(sentences(), min_size=1, max_size=6).map(lambda ss: " ".join(ss).strip() or "Talks.")

SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    derandomize=True)


def spans_of(d: dict):
    """Every (start, end, text) triple anywhere in a Document's JSON form."""
    if isinstance(d, dict):
        if {"start", "end", "text"} <= d.keys() and isinstance(d["start"], int):
            yield d["start"], d["end"], d["text"]
        for v in d.values():
            if isinstance(v, (dict, list)):
                yield from spans_of(v)
    elif isinstance(d, list):
        for v in d:
            yield from spans_of(v)


@pytest.fixture(scope="module")
def schema():
    from eventwire.schema import output_schema

    return output_schema()


@SETTINGS
@given(text=articles)
def test_spans_point_at_their_text_and_output_fits_schema(pipeline, schema, text):
    doc = pipeline.extract(text, published="2025-05-17").to_dict()
    assert doc["text"] == text
    n = 0
    for start, end, span_text in spans_of({k: v for k, v in doc.items() if k != "text"}):
        assert 0 <= start <= end <= len(text)
        assert text[start:end] == span_text
        n += 1
    jsonschema.validate(doc, schema)
    json.dumps(doc, ensure_ascii=False).encode("utf-8")


@settings(max_examples=4, deadline=None, derandomize=True)
@given(text=articles)
def test_extracting_twice_gives_the_same_result(pipeline, text):
    first = pipeline.extract(text, published="2025-05-17").to_dict()
    second = pipeline.extract(text, published="2025-05-17").to_dict()
    assert first == second


@settings(max_examples=200, deadline=None, derandomize=True)
@given(text=st.text(alphabet=st.sampled_from(list("ab. ?!\n\t\"“”'A1Mr")), max_size=80) | articles)
def test_sentence_split_covers_the_text_exactly(text):
    spans = split_sentences(text)
    assert "".join(text[s:e] for s, e in spans) == text
    assert all(s < e for s, e in spans)
    assert all(e1 == s2 for (_, e1), (s2, _) in zip(spans, spans[1:]))


@SETTINGS
@given(text=articles)
def test_fast_path_keeps_the_text_and_the_tokens(pipeline, text):
    """The joined Doc of the fast path has the article's text and the tokens of one whole parse."""
    from eventwire.pipeline import FAST_MIN_CHARS

    text = "\n\n".join([text] * (FAST_MIN_CHARS // (len(text) + 2) + 1))  # long enough to be cut
    plan = pipeline._plan(text)
    assert "".join(c[1] for c in plan) == text
    docs = [(c, pipeline.nlp.make_doc(c[1])) for c in plan]
    joined = pipeline._join(text, docs)
    assert joined.text == text
    assert [t.text for t in joined] == [t.text for t in pipeline.nlp.make_doc(text)]


# Sentences with no parse cue and at most one word that may name a party: the fast path gives them
# NER only, so an article with paragraphs of these and paragraphs of news exercises both arms.
FILLER = ["The weather was mild and the markets were calm.", "Rain fell across the region overnight.",
          "Traffic was light in the morning, and the streets were quiet.", "The hall was crowded.",
          "Prices at the market were steady through the week.", "The trees were bare and the air was cold.",
          "Snow covered the hills.", "The cafe on the corner was busy at noon.",
          "The garden was green after the rain."]


@st.composite
def long_articles(draw):
    """Paragraphs of news sentences and paragraphs of filler, longer than FAST_MIN_CHARS."""
    from eventwire.pipeline import FAST_MIN_CHARS

    paras, size = [], 0
    while size < FAST_MIN_CHARS + 200:
        # News first, then a filler paragraph long enough to go without the parse, then either.
        if len(paras) == 0 or (len(paras) > 1 and draw(st.booleans())):
            para = " ".join(draw(st.lists(sentences(), min_size=1, max_size=3)))
        else:
            para = " ".join(draw(st.lists(st.sampled_from(FILLER), min_size=9, max_size=12)))
        paras.append(para.strip())
        size += len(para) + 2
    return "\n\n".join(paras)


# No shrinking: each example costs two whole extractions, and the failing text is printed anyway.
@settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(text=long_articles())
def test_fast_and_full_parse_give_the_same_documents(pipeline, full_pipeline, text):
    """On texts long enough to be cut, the fast path (parse only where a fact can be) and a full
    parse give the same Document: events, quotes, dates, claims and actors, ids included."""
    from eventwire.pipeline import FAST_MIN_CHARS

    assert len(text) >= FAST_MIN_CHARS
    plan = pipeline._plan(text)
    assert not all(parse for _, _, parse, _ in plan), "the example never reaches the fast path"
    fast = pipeline.extract(text, published="2025-05-17").to_dict()
    full = full_pipeline.extract(text, published="2025-05-17").to_dict()
    for key in ("events", "quotes", "timexes", "claims", "actors"):
        assert fast[key] == full[key], key
    assert fast == full


@pytest.fixture(scope="module")
def full_pipeline():
    from eventwire.pipeline import Pipeline

    return Pipeline(fast=False)


@SETTINGS
@given(text=articles)
def test_fast_attribute_ruler_and_lemmatizer_match_spacys(pipeline, text):
    """nlp.FastAttributeRuler and FastLemmatizer set the same POS, morphology, lemma, tag and dep
    on every token as spaCy's attribute_ruler and lemmatizer."""
    from spacy.tokens import Doc

    from eventwire.nlp import FastAttributeRuler, FastLemmatizer

    nlp = pipeline.nlp
    ruler, lemmatizer = nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer")
    fast_ruler, fast_lemmatizer = FastAttributeRuler.compile(ruler), FastLemmatizer.compile(lemmatizer)
    assert fast_ruler is not None and fast_lemmatizer is not None
    text = text + " I'd say he's gonna win, y'know, and nothin' wasn't done."  # the ruler's odd cases
    parsed = nlp.get_pipe("parser")(nlp.get_pipe("tagger")(nlp.get_pipe("tok2vec")(nlp.make_doc(text))))
    theirs = lemmatizer(ruler(Doc(nlp.vocab).from_bytes(parsed.to_bytes())))
    ours = fast_lemmatizer(fast_ruler(Doc(nlp.vocab).from_bytes(parsed.to_bytes())))

    def attrs(doc):
        return [(t.pos_, str(t.morph), t.lemma_, t.tag_, t.dep_) for t in doc]

    assert attrs(ours) == attrs(theirs)
