"""The event coder on our own sentences: direction, status, nominal events, ontology tables."""
from __future__ import annotations

import pytest

from eventwire.events.ontology import ontology
from eventwire.model import PLOVER_TYPES


@pytest.fixture(scope="module")
def code(pipeline):
    def run(text):
        return pipeline.extract(text, published="2025-05-17").events
    return run


def _one(events, type_):
    hits = [e for e in events if e.type == type_]
    assert hits, [(e.type, e.trigger.text) for e in events]
    return hits[0]


def test_ontology_tables_cover_every_plover_type():
    ont = ontology()
    for t in PLOVER_TYPES:
        code = ont.code_for(t)
        assert code.plover == t and code.quad_class in (1, 2, 3, 4) and -10 <= code.goldstein <= 10
    assert ont.code_for("CONSULT", "041").mode == "phone"
    # a code of another type is not reported for a type: the default is used instead
    assert ont.code_for("ASSAULT", "041").code == ont.defaults["ASSAULT"]
    assert ont.trigger("call", "VERB", frozenset({"for"})).plover == "REQUEST"


def test_coordinated_subjects_are_undirected(code):
    e = _one(code("Russia and Ukraine agreed to a ceasefire on Tuesday."), "AGREE")
    assert e.undirected and {e.source.country, e.target.country} == {"RUS", "UKR"}


def test_passive_agent_is_the_source(code):
    e = _one(code("Three journalists were arrested by the Iranian police in Tehran."), "COERCE")
    assert e.source is not None and "police" in e.source.mention.text
    assert e.target is not None and "journalists" in e.target.mention.text


def test_nominal_event_between_parties(code):
    e = _one(code("Talks between France and Germany in Geneva ended without a result."), "CONSULT")
    assert e.undirected and e.location == "Geneva"


def test_future_is_planned(code):
    e = _one(code("The French president will visit Berlin next week."), "CONSULT")
    assert e.status == "planned" and e.mode == "visit"


def test_failed_to_is_negated(code):
    events = code("Egypt failed to persuade Israel to attend the talks.")
    assert events and all(e.status in ("negated", "hypothetical", "demanded") for e in events)


def test_demand_and_demanded_action(code):
    events = code("Turkey demanded that Sweden extradite the suspects.")
    req = _one(events, "REQUEST")
    assert req.status == "asserted" and req.source.country == "TUR" and req.target.country == "SWE"
    assert all(e.status == "demanded" for e in events if e.trigger.text == "extradite")


def test_reportedly_is_reported(code):
    e = _one(code("Iran reportedly rejected the proposal from the United States."), "REJECT")
    assert e.status == "reported"


def test_conditional_sanctions_are_a_threat(code):
    events = code("The president said he would impose sanctions on Iran if Tehran does not stop enrichment.")
    assert any(e.type == "THREATEN" and e.status == "asserted" for e in events), \
        [(e.type, e.status, e.trigger.text) for e in events]


def test_no_events_without_actors(code):
    assert code("The weather was mild and the markets were calm.") == []


def test_states_behind_a_plural_subject_meeting_at_home(code):
    e = _one(code("Ministers from Norway and Sweden met in Oslo on Tuesday."), "CONSULT")
    assert e.undirected and {e.source.country, e.target.country} == {"NOR", "SWE"}
    assert e.location == "Oslo" and e.mode != "third-party"


def test_will_not_accept_is_an_asserted_rejection(code):
    e = _one(code('"We will not accept these terms," said Swedish Prime Minister Ulf Kristersson.'), "REJECT")
    assert e.status == "asserted" and e.source.country == "SWE"
