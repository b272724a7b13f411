"""The learned event decision: candidates, the shipped model and its card, confidence filters,
and the evaluator's per-type and reliability tables. Sentences are our own."""
from __future__ import annotations

import hashlib
import json

import pytest

from eventwire.evaluate.events import score_events
from eventwire.events import decide
from eventwire.events.candidates import candidates
from eventwire.model import Document, Event, Span

from conftest import SHARED


@pytest.fixture(scope="module")
def parse(pipeline):
    """(spaCy doc, Document) after every stage, for one text."""
    def run(text):
        doc = pipeline.nlp.make_doc(text)
        doc._.eventwire = Document(text=text, published="2025-05-17")
        doc = pipeline.nlp(doc)
        return doc, doc._.eventwire
    return run


def test_the_model_ships_with_a_card_that_names_its_training_files():
    model = decide.load()
    assert model is not None and "NONE" in model.classes
    card = model.card
    assert card["rebuild"].startswith("python -m eventwire.events.train")
    assert "realnews_train.gold.jsonl" in card["trained_on"]
    assert not any("test" in name or "dev" in name for name in card["trained_on"])
    assert 0 < model.threshold < 1 and card["dev"]["type_f1"] > 0.3
    shipped = SHARED / "eval" / "realnews_train.gold.jsonl"
    if shipped.exists():   # the card's hash is the file's: the weights match the data they name
        assert card["trained_on"]["realnews_train.gold.jsonl"] == hashlib.sha1(shipped.read_bytes()).hexdigest()[:12]


def test_joint_subjects_make_a_pair_with_the_verb_above(parse):
    doc, document = parse("Chile and Peru agreed on Monday to reopen the border crossing.")
    sent = next(doc.sents)
    pairs = [c for c in candidates(doc, document, sent) if c.target is not None]
    assert pairs, [a.name for a in document.actors]
    assert any("agree" in {t.lemma_ for t in c.tokens() + c.above()} for c in pairs)


def test_a_sentence_yields_two_events_of_opposite_direction(pipeline):
    doc = pipeline.extract("Iran vowed to retaliate against the new sanctions imposed by the European Union.",
                           published="2025-05-17")
    pairs = {(e.type, e.source and e.source.country, e.target and e.target.country) for e in doc.events}
    assert ("SANCTION", "EU", "IRN") in pairs or ("THREATEN", "IRN", "EU") in pairs, pairs


def test_numbers_and_places_are_not_parties(pipeline):
    doc = pipeline.extract("About 30,000 soldiers were stationed near Kharkiv last winter.", published="2025-05-17")
    assert all(not (e.source and e.source.name[:1].isdigit()) for e in doc.events)


def test_confidence_is_a_probability_and_filters_apply(pipeline):
    doc = pipeline.extract("Poland accused Belarus of pushing migrants across the border. "
                           "Warsaw and Vilnius held talks on Friday.", published="2025-05-17")
    assert doc.events and all(0.0 <= e.confidence <= 1.0 for e in doc.events)
    top = max(e.confidence for e in doc.events)
    decide.keep_confident(doc, top)
    assert doc.events and all(e.confidence >= top for e in doc.events)
    kept = {e.id for e in doc.events}
    assert all(set(q.events) <= kept for q in doc.quotes)


def test_min_confidence_argument_rejects_non_probabilities():
    import argparse

    assert decide.confidence_arg("0.4") == 0.4
    for bad in ("1.5", "-0.1", "high"):
        with pytest.raises(argparse.ArgumentTypeError):
            decide.confidence_arg(bad)


def _event(doc_text, start, end, type_, conf):
    return Event(id=f"E{start}", type=type_, trigger=Span.of(doc_text, start, end),
                 sentence=Span.of(doc_text, 0, len(doc_text)), confidence=conf)


def test_evaluator_counts_per_type_confusion_and_reliability():
    text = "Chile accused Peru of spying. Peru denied it."
    s2 = text.index("Peru denied")
    gold = {"id": "x", "text": text, "events": [
        {"sentence": "Chile accused Peru of spying.", "type": "ACCUSE", "source": "CHL", "target": "PER"},
        {"sentence": "Peru denied it.", "type": "REJECT", "source": "PER", "target": "CHL"},
    ]}
    doc = Document(text=text, events=[
        _event(text, 6, 13, "ACCUSE", 0.9),
        Event(id="E2", type="ACCUSE", trigger=Span.of(text, s2 + 5, s2 + 11),
              sentence=Span.of(text, s2, len(text)), confidence=0.3),
    ])
    s = score_events(gold, doc)
    assert (s.by_type["ACCUSE"].tp, s.by_type["ACCUSE"].fp) == (1, 1)
    assert s.by_type["REJECT"].fn == 1
    assert s.confusion[("ACCUSE", "ACCUSE")] == 1 and s.confusion[("REJECT", "ACCUSE")] == 1
    table = s.reliability_table()
    assert [(b["n"], b["right"]) for b in table] == [(1, 0.0), (1, 1.0)]


def test_evaluate_by_type_json(tmp_path, capsys):
    from eventwire.cli import main

    text = "Chile accused Peru of spying."
    gold = tmp_path / "g.jsonl"
    gold.write_text(json.dumps({"id": "x", "text": text, "events": [
        {"sentence": text, "type": "ACCUSE", "source": "CHL", "target": "PER"}]}) + "\n")
    pred = tmp_path / "p.jsonl"
    doc = Document(text=text, id="x", events=[_event(text, 6, 13, "ACCUSE", 0.8)])
    row = doc.to_dict()
    row["gold_id"] = "x"
    pred.write_text(json.dumps(row) + "\n")
    assert main(["evaluate", str(gold), "--pred", str(pred), "--json", "--by-type"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["events"]["by_type"]["ACCUSE"]["tp"] == 1
    assert out["events"]["reliability"][0]["n"] == 1


def test_counts_and_addresses_are_never_parties():
    from eventwire.events.candidates import can_be_party
    from eventwire.model import Mention

    for text in ("about 25,000 troops", "48 drones", "more than 300 protesters", "https://example.org/a"):
        assert not can_be_party(Mention(0, len(text), text)), text
    for text in ("the G20", "Hamas", "the 5th Fleet"):
        assert can_be_party(Mention(0, len(text), text)), text
