"""Numeric claims: values, units, qualifiers, rates, ranges and claimants (issue 5)."""
from __future__ import annotations

import pytest


def claims_of(pipeline, text):
    return pipeline.extract(text, published="2025-05-17").claims


def one_claim(pipeline, text):
    claims = claims_of(pipeline, text)
    assert len(claims) == 1, [(c.span.text, c.value) for c in claims]
    return claims[0]


@pytest.mark.parametrize("text, value, unit, change, qualifier", [
    ("The army lost more than 5,000 soldiers.", 5000, "soldier", ">", "more than"),
    ("Rebels released about 300 prisoners.", 300, "prisoner", "~", "about"),
    ("The fund holds at least $1.5bn in cash.", 1.5e9, "dollar", ">", "at least"),
    ("Nearly 40 per cent of voters stayed home.", 40, "percentage", "<", "Nearly"),
    ("The bill could cost up to €200 million.", 2e8, "euro", "<", "up to"),
    ("Turnout reached 24% in the east.", 24, "percentage", "=", None),
    ("A thousand refugees crossed the river.", 1000, "refugee", "=", None),
    ("Three hundred and forty-two ballots were spoiled.", 342, "ballot", "=", None),
    ("The convoy carried twelve tonnes of grain.", 12, "tonne", "=", None),
])
def test_values_units_and_qualifiers(pipeline, text, value, unit, change, qualifier):
    c = one_claim(pipeline, text)
    assert c.value == pytest.approx(value)
    assert c.unit == unit
    assert c.change == change
    assert c.qualifier == qualifier
    assert text[c.span.start:c.span.end] == c.span.text


@pytest.mark.parametrize("text, value, unit", [
    ("Dozens of civilians were wounded.", 24, "civilian"),
    ("Hundreds of drones were launched overnight.", 200, "drone"),
])
def test_vague_plurals_mean_at_least(pipeline, text, value, unit):
    c = one_claim(pipeline, text)
    assert (c.value, c.unit, c.change) == (value, unit, ">")


@pytest.mark.parametrize("text, per", [
    ("The war kills 1,200 soldiers a week.", "week"),
    ("The pipeline carries 5 million barrels per day.", "day"),
])
def test_rates(pipeline, text, per):
    assert one_claim(pipeline, text).per == per


@pytest.mark.parametrize("text, low, high", [
    ("Between 10 and 12 people were detained.", 10, 12),
    ("Officials expect 3,000-4,000 troops to arrive.", 3000, 4000),
])
def test_ranges(pipeline, text, low, high):
    c = one_claim(pipeline, text)
    assert (c.value, c.value_max) == (low, high)


@pytest.mark.parametrize("text, value, change", [
    ("Oil prices rose 5% on Monday.", 5, "up"),
    ("The currency fell 3.2 percent against the dollar.", 3.2, "down"),
    ("Shares were down 19 cents.", 19, "down"),
])
def test_changes(pipeline, text, value, change):
    c = one_claim(pipeline, text)
    assert (c.value, c.change) == (value, change)


@pytest.mark.parametrize("text", [
    "The first round of talks ended in Istanbul.",
    "The 2022 invasion changed everything.",
    "They will speak at 10 am on Monday.",
    "The summit opened on March 3 in Geneva.",
    "The treaty was signed in 1994.",
    "Debate over the F-35 contract resumed.",
])
def test_not_claims(pipeline, text):
    assert claims_of(pipeline, text) == []


def test_claimant_is_the_speaker_of_the_quote(pipeline):
    text = "“We destroyed 40 tanks this week,” General Oleksandr Syrskyi said."
    doc = pipeline.extract(text)
    [c] = doc.claims
    [q] = doc.quotes
    assert c.quote == q.id and c.claimant == q.speaker
    assert "Syrskyi" in c.claimant.mention.text


def test_outlet_claims_have_no_claimant(pipeline):
    c = one_claim(pipeline, "The two sides exchanged 1,000 prisoners of war.".replace("The two sides", "Kyiv and Moscow"))
    assert c.claimant is None and c.quote is None


# -- the seed article ----------------------------------------------------------------------------
def test_seed_soldiers_a_week_claimed_by_trump(seed_doc):
    [c] = [c for c in seed_doc.claims if c.value == 5000]
    assert (c.unit, c.change, c.per, c.qualifier) == ("soldier", ">", "week", "more than")
    assert c.claimant is not None and "Trump" in c.claimant.name
    assert c.quote in {q.id for q in seed_doc.quotes}
    assert seed_doc.text[c.span.start:c.span.end] == c.span.text


def test_seed_prisoners_exchanged(seed_doc):
    [c] = [c for c in seed_doc.claims if c.value == 1000]
    assert c.unit == "prisoner" and c.change == "="


def test_seed_no_years_dates_times_or_ordinals(seed_doc):
    spans = " | ".join(c.span.text for c in seed_doc.claims)
    for not_a_claim in ("2022", "10 am", "first", "Monday"):
        assert not_a_claim not in spans, spans
