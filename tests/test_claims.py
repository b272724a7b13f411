"""Numeric claims: values, units, qualifiers, rates, ranges, changes and claimants (issues 5, 13).

Every sentence here is written for these tests (none comes from an evaluation set)."""
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
    ("Nearly 40 per cent of voters stayed home.", 40, "percentage", "~", "Nearly"),
    ("The bill could cost up to €200 million.", 2e8, "euro", "<", "up to"),
    ("Turnout reached 24% in the east.", 24, "percentage", "=", None),
    ("A thousand refugees crossed the river.", 1000, "refugee", "=", None),
    ("Three hundred and forty-two ballots were spoiled.", 342, "ballot", "=", None),
    ("The convoy carried twelve tonnes of grain.", 12, "tonne", "=", None),
    ("Kyiv pledged US$2.4 billion for reconstruction.", 2.4e9, "us dollar", "=", None),
    ("The blast left 27 dead in the market.", 27, "dead", "=", None),
    ("Aid agencies counted 1,200-plus displaced families.", 1200, "family", ">", "- plus"),
    ("The talks could last ten days or more.", 10, "day", ">", "or more"),
    ("The convoy had 40-odd trucks.", 40, "truck", "~", "- odd"),
    ("Bids came in north of $2 billion.", 2e9, "dollar", ">", "north of"),
    ("As few as 300 monitors remain.", 300, "monitor", ">", "As few as"),
])
def test_values_units_and_qualifiers(pipeline, text, value, unit, change, qualifier):
    c = one_claim(pipeline, text)
    assert c.value == pytest.approx(value)
    assert c.unit == unit
    assert c.change == change
    assert c.qualifier == qualifier
    assert text[c.span.start:c.span.end] == c.span.text


@pytest.mark.parametrize("text, value, unit", [
    ("A dozen observers were sent to the border.", 12, "observer"),
    ("More than a dozen ships waited at the port.", 12, "ship"),
    ("The ministry spent a third of its budget on fuel.", 1 / 3, None),
    ("Two-thirds of the deputies backed the motion.", 2 / 3, None),
    ("The mandate runs for another 3½ years.", 3.5, "year"),
    ("Negotiators held a pair of meetings in Doha.", 2, "meeting"),
    ("The drones flew 65km into the region.", 65, "kilometre"),
])
def test_word_numbers_fractions_and_glued_units(pipeline, text, value, unit):
    c = one_claim(pipeline, text)
    assert c.value == pytest.approx(value)
    if unit is not None:
        assert c.unit == unit


@pytest.mark.parametrize("text, low, high, unit", [
    ("Between 10 and 12 people were detained.", 10, 12, "people"),
    ("Officials expect 3,000-4,000 troops to arrive.", 3000, 4000, "troop"),
    ("Prices could climb 30-40% by winter.", 30, 40, "percentage"),
    ("Rebuilding the port will take anywhere from five to 10 years.", 5, 10, "year"),
    ("The mission may need two or three more months.", 2, 3, "month"),
    ("The shipment weighs between 60 pounds and 70 pounds.", 60, 70, "pound"),
    ("The package is worth $6 billion to $7 billion.", 6e9, 7e9, "dollar"),
])
def test_ranges_are_one_claim(pipeline, text, low, high, unit):
    c = one_claim(pipeline, text)
    assert (c.value, c.value_max, c.unit) == (low, high, unit)


def test_a_move_from_one_level_to_another_is_two_claims(pipeline):
    claims = claims_of(pipeline, "Inflation rose from 5% to 7% last year.")
    assert [(c.value, c.value_max) for c in claims] == [(5, None), (7, None)]


@pytest.mark.parametrize("text, low, high, unit", [
    ("Dozens of civilians were wounded.", 12, 120, "civilian"),
    ("Hundreds of drones were launched overnight.", 100, 1000, "drone"),
    ("The floods displaced tens of thousands of villagers.", 10000, 100000, "villager"),
    ("Several hundred troops crossed the river.", 100, 1000, "troop"),
])
def test_vague_amounts_are_ranges(pipeline, text, low, high, unit):
    c = one_claim(pipeline, text)
    assert (c.value, c.value_max, c.unit) == (low, high, unit)


@pytest.mark.parametrize("text, per", [
    ("The war kills 1,200 soldiers a week.", "week"),
    ("The scheme costs $6 billion annually.", "year"),
    ("Rents average £1,250 a month.", "month"),
    ("The pipeline carries 5 million barrels per day.", "day"),
])
def test_rates(pipeline, text, per):
    assert one_claim(pipeline, text).per == per


@pytest.mark.parametrize("text, value, change", [
    ("Oil prices rose 5% on Monday.", 5, "up"),
    ("The currency fell 3.2 percent against the dollar.", 3.2, "down"),
    ("The index was down 40 points at noon.", 40, "down"),
    ("The lira closed -2.5% lower.", -2.5, "down"),
])
def test_changes(pipeline, text, value, change):
    c = one_claim(pipeline, text)
    assert (c.value, c.change) == (value, change)


@pytest.mark.parametrize("text", [
    "The first round of talks ended in Istanbul.",
    "The 2022 invasion changed everything.",
    "They will speak at 10 am on Monday.",
    "The meeting resumed at 11:30 in the annex.",
    "The summit opened on March 3 in Geneva.",
    "The treaty was signed in 1994.",
    "Debate over the F-35 contract resumed.",
    "The two leaders spoke by phone.",
    "One official said the talks had stalled.",
    "Moscow is one of the parties to the accord.",
    "The envoys held a one-on-one meeting.",
    "The ministers met two years ago in Vienna.",
    "A 48-year-old guard was arrested.",
    "Missiles that could one day reach the coast were shown.",
    "The No. 2 diplomat resigned.",
    "He said the deal was a good one.",
    "Fatigue might be one explanation for the delay.",
    "Negotiators agreed to a 3-2 vote schedule.",
])
def test_not_claims(pipeline, text):
    assert claims_of(pipeline, text) == []


def test_numbered_list_markers_are_not_claims(pipeline):
    text = "The plan has three parts:\n\n1.\n\nA ceasefire along the line.\n\n2.\n\nAn exchange of prisoners."
    assert [c.value for c in claims_of(pipeline, text)] == [3]


def test_claimant_is_the_speaker_of_the_quote(pipeline):
    text = "“We destroyed 40 tanks this week,” General Oleksandr Syrskyi said."
    doc = pipeline.extract(text)
    [c] = doc.claims
    [q] = doc.quotes
    assert c.quote == q.id and c.claimant == q.speaker
    assert "Syrskyi" in c.claimant.mention.text


def test_outlet_claims_have_no_claimant(pipeline):
    c = one_claim(pipeline, "Kyiv and Moscow exchanged 1,000 prisoners of war.")
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


# -- scoring ranges (eventwire evaluate) ---------------------------------------------------------
def test_scoring_matches_a_range_on_its_low_end_and_checks_its_high_end():
    from eventwire.evaluate.claims import score_claims
    from eventwire.model import Claim, Document, Span

    text = "Between 30 and 40 people died; 5,000 fled; up to 12 towns burned."
    gold = {"text": text, "claims": [
        {"value": 30, "value_max": 40, "unit": "people", "change": "="},
        {"value": 5000, "unit": "people", "change": "="},
        {"value": 12, "value_max": None, "unit": "town", "change": "<"}]}

    def claim(n, phrase, value, unit, value_max=None, change="="):
        start = text.index(phrase)
        return Claim(f"C{n}", Span(start, start + len(phrase), phrase), value, unit, change, value_max)

    doc = Document(text=text, claims=[
        claim(1, "30 and 40 people", 30, "people", 45),      # low end right, high end wrong
        claim(2, "40 people", 40, "people"),                  # the high end alone: a false positive
        claim(3, "5,000", 5000, None, 6000),                  # a range where the gold has one number
        claim(4, "12 towns", 12, "town", change="<")])
    s = score_claims(gold, doc)
    assert (s.values.tp, s.values.fp, s.values.fn) == (3, 1, 0)
    assert (s.value_max.right, s.value_max.total) == (0, 2)
    doc.claims[0].value_max = 40
    doc.claims[2].value_max = None
    assert (score_claims(gold, doc).value_max.right, score_claims(gold, doc).value_max.total) == (1, 1)


# -- numbers across the news: business, sport, technology, weather --------------------------------
# (value, value_max, unit) for every claim the sentence holds, in order.
@pytest.mark.parametrize("text, expected", [
    ("The lender posted a profit of £2.3bn, up 12% on the year.",
     [(2.3e9, None, "pound"), (12, None, "percentage")]),
    ("Brent crude slipped 1.4 percent to $82.10 a barrel.",
     [(1.4, None, "percentage"), (82.1, None, "dollar")]),
    ("The central bank raised rates by 50 basis points to 4.25%.",
     [(50, None, "basis point"), (4.25, None, "percentage")]),
    ("Unemployment fell 0.3 percentage points to 5.1 per cent.",
     [(0.3, None, "percentage point"), (5.1, None, "percentage")]),
    ("The start-up raised US$45 million from 12 investors.",
     [(45e6, None, "us dollar"), (12, None, "investor")]),
    ("The striker has scored 27 goals in 31 games this season.",
     [(27, None, "goal"), (31, None, "game")]),
    ("The guard averaged 24.6 points per game.",
     [(24.6, None, "point")]),
    ("The winger ran 100 metres in 10.2 seconds.",
     [(100, None, "metre"), (10.2, None, "second")]),
    ("The phone has a 6.7-inch screen and 256GB of storage.",
     [(6.7, None, "inch"), (256, None, "gigabyte")]),
    ("The chip runs at 3.2GHz and draws 15W.",
     [(3.2, None, "gigahertz"), (15, None, "watt")]),
    ("The storm brought winds of 120 mph and 10 inches of rain.",
     [(120, None, "mile per hour"), (10, None, "inch")]),
    ("Temperatures are forecast to reach 38C in Seville.",
     [(38, None, "degree celsius")]),
    ("The flat covers 850 square feet and sells for $1.2 million.",
     [(850, None, "square foot"), (1.2e6, None, "dollar")]),
    ("The plant will produce 400 megawatts of power from 2027.",
     [(400, None, "megawatt")]),
    ("Exports of 1.2 million barrels per day resumed.",
     [(1.2e6, None, "barrel per day")]),
    ("The team won 28-24 on Sunday.", []),
    ("The 2023-24 season ended early.", []),
    ("Rents rose between 5 and 8 percent in the capital.",
     [(5, 8, "percentage")]),
    ("Tickets cost €30 to €45 each.",
     [(30, 45, "euro")]),
    ("The ministry hired some 2,500 teachers last year.",
     [(2500, None, "teacher")]),
    ("Nearly half of the voters backed the plan.", [(0.5, None, None)]),
    ("The truck carried 20 tonnes of flour and 3,000 litres of water.",
     [(20, None, "tonne"), (3000, None, "litre")]),
    ("Interest rates were held at 5.25%-5.5%.", [(5.25, 5.5, "percentage")]),
    ("A quarter of a million homes lost power.", [(250000, None, "home")]),
    ("Ottawa signed a $1.2-billion deal for 88 jets.", [(1.2e9, None, "dollar"), (88, None, "jet")]),
    ("The ministry said the death toll had risen to 312.", [(312, None, "death")]),
    ("The blockade has cut grain exports by half.", [(0.5, None, None)]),
    ("The vaccine needs two doses given 21 days apart.", [(2, None, "dose"), (21, None, "day")]),
    ("One person was killed and 14 were injured.", [(1, None, "person"), (14, None, "person")]),
    ("The shelling killed 14 civilians and wounded 21.", [(14, None, "civilian"), (21, None, "civilian")]),
    ("Wages rose 4% while 12 of the firms cut staff.", [(4, None, "percentage"), (12, None, None)]),
    ("One person familiar with the talks said 40 ships had sailed.", [(40, None, "ship")]),
    ("Sales reached $4.2bn, against $3.9bn a year ago.", [(4.2e9, None, "dollar"), (3.9e9, None, "dollar")]),
])
def test_numbers_across_the_news(pipeline, text, expected):
    got = [(c.value, c.value_max, c.unit) for c in claims_of(pipeline, text)]
    assert len(got) == len(expected), got
    for (value, high, unit), (g_value, g_high, g_unit) in zip(expected, got):
        assert g_value == pytest.approx(value) and g_high == high, got
        if unit is not None:
            assert g_unit == unit, got


@pytest.mark.parametrize("text, changes", [
    ("The index closed down 120 points, or 0.8%, at 14,950.", ["down", "down", "="]),
    ("Exports posted a 6.2% increase in March.", ["up"]),
    ("The firm reported 3% growth and a $40 million loss.", ["up", "="]),
    ("Support for the plan dropped from 61 percent to 53 percent.", ["=", "down"]),
    ("Turnout stood at 48% in the north.", ["="]),
])
def test_changes_said_twice_and_nouns_of_change(pipeline, text, changes):
    assert [c.change for c in claims_of(pipeline, text)] == changes
