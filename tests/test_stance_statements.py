"""Stance statements read from short texts of ours through the real pipeline: addressees,
announced lists, Hong Kong as a party of its own, slogans and restated threats."""
from __future__ import annotations

from eventwire.positions.statements import statements_of_document


def read(pipeline, text, published="2019-09-10"):
    doc = pipeline.extract(text, published=published)
    return statements_of_document(doc.to_dict())


def test_a_call_on_two_states_is_a_demand_of_each(pipeline):
    sts = read(pipeline, "The French foreign minister called on Russia and Iran to halt the shelling of the city.")
    demands = [s for s in sts if s.stance == "demands" and s.party == "FRA"]
    assert sorted(s.counterparty for s in demands) == ["IRN", "RUS"]
    assert all(s.object_text.startswith("halt the shelling") for s in demands)


def test_hong_kong_leader_after_a_dateline_is_a_party_of_its_own(pipeline):
    sts = read(pipeline, "HONG KONG (Reuters) - Hong Kong leader Carrie Lam on Tuesday withdrew the bill that "
                         "had set off weeks of protests.")
    assert [(s.party, s.stance) for s in sts] == [("HKG", "accepts")]


def test_an_announced_list_of_demands_is_one_demand_per_item(pipeline):
    text = ("Protesters in Hong Kong marched again on Sunday. Hong Kong's government says the city is calm. "
            "Hong Kong police made arrests. The three demands are: an amnesty for everyone arrested, "
            "free elections for the city's leader and a public inquiry into the police.")
    items = [s.object_text for s in read(pipeline, text) if s.stance == "demands" and s.party == "HKG"]
    assert items == ["an amnesty for everyone arrested", "free elections for the city's leader",
                     "a public inquiry into the police"]


def test_a_slogan_in_capitals_and_a_talked_about_pledge_are_no_stances(pipeline):
    text = ("“FIVE DEMANDS, NOT ONE MISSING” "
            "Analysts doubt the summit will succeed as long as Kim keeps his pledge not to test missiles.")
    assert read(pipeline, text) == []


def test_a_restated_threat_counts(pipeline):
    sts = read(pipeline, "Trump on Friday revived his threat of imposing new tariffs on Chinese goods.")
    assert [(s.party, s.stance) for s in sts] == [("USA", "threatens")]
