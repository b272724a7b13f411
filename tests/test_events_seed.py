"""The event coder on the seed article (../shared/corpus/seed/trump-putin-call.txt, 2025-05-17)."""
from __future__ import annotations


def _find(doc, type_, src=None, tgt=None, status=None, undirected=None, pair=None):
    out = []
    for e in doc.events:
        if e.type != type_ if isinstance(type_, str) else e.type not in type_:
            continue
        s = e.source.country if e.source else None
        t = e.target.country if e.target else None
        if pair is not None and {s, t} != set(pair):
            continue
        if src is not None and s != src or tgt is not None and t != tgt:
            continue
        if status is not None and e.status != status:
            continue
        if undirected is not None and e.undirected != undirected:
            continue
        out.append(e)
    return out


def test_planned_phone_call_monday(seed_doc):
    calls = _find(seed_doc, "CONSULT", "USA", "RUS", status="planned")
    assert any(e.mode == "phone" and e.date == "2025-05-19" for e in calls), calls
    assert all(e.cameo.startswith("04") and e.quad_class == 1 for e in calls)


def test_istanbul_prisoner_exchange_agreement(seed_doc):
    agreed = _find(seed_doc, "AGREE", pair=("RUS", "UKR"), undirected=True)
    assert any(e.location == "Istanbul" and e.location_country == "TUR" and e.status == "asserted"
               for e in agreed), agreed


def test_kyiv_rejects_russian_demands(seed_doc):
    assert _find(seed_doc, "REJECT", "UKR", "RUS", status="asserted")


def test_trump_threatens_russia(seed_doc):
    threats = _find(seed_doc, "THREATEN", "USA", "RUS")
    assert threats and all(e.status == "asserted" for e in threats)
    assert all(e.quad_class == 3 and e.goldstein < 0 for e in threats)


def test_reported_russian_demands(seed_doc):
    demands = _find(seed_doc, "REQUEST", "RUS", "UKR", status="reported")
    triggers = {e.trigger.text for e in demands}
    assert "demanded" in triggers            # "the Russian delegation demanded that …"
    assert len(demands) >= 2                  # and "the Kremlin also reportedly said … would have to"


def test_demanded_withdrawal_is_demanded_not_asserted(seed_doc):
    # ANNOTATING.md: the demand is the event (REQUEST RUS→UKR); the demanded withdrawal is optional
    # as an event of its own and, when it is coded, its status is `demanded` — never asserted
    in_sentence = [e for e in seed_doc.events if e.sentence.text.startswith("Reports")]
    assert any(e.type == "REQUEST" and e.source and e.source.country == "RUS"
               and e.target and e.target.country == "UKR" for e in in_sentence), in_sentence
    withdraw = [e for e in in_sentence if e.trigger.text == "withdraw"]
    assert all(e.status == "demanded" for e in withdraw)


def test_peskov_openness_is_hypothetical(seed_doc):
    open_to = [e for e in _find(seed_doc, ("AGREE", "CONSULT"), status="hypothetical")
               if "Peskov" in e.sentence.text]
    assert open_to and any(e.source and e.source.country == "RUS" for e in open_to)


def test_nothing_from_the_footer(seed_doc):
    footer = seed_doc.text.index("COMMENTS") if "COMMENTS" in seed_doc.text else len(seed_doc.text)
    assert all(e.trigger.start < footer for e in seed_doc.events)


def test_every_event_has_offsets_into_the_text(seed_doc):
    for e in seed_doc.events:
        assert seed_doc.text[e.trigger.start:e.trigger.end] == e.trigger.text
        assert e.sentence.start <= e.trigger.start < e.sentence.end
        for ref in (e.source, e.target):
            if ref is not None and ref.mention is not None:
                assert seed_doc.text[ref.mention.start:ref.mention.end] == ref.mention.text


def test_events_in_quotes_are_linked(seed_doc):
    quotes = {q.id: q for q in seed_doc.quotes}
    for e in seed_doc.events:
        if e.quote:
            q = quotes[e.quote]
            assert e.id in q.events and q.content.start <= e.trigger.start < q.content.end


# What a careful coder finds in the seed, by type and the two countries (either direction): the
# planned and reported calls and talks, the Istanbul agreement and Russia's openness to a meeting,
# Russia's demands, the annexation, Kyiv's rejection, Trump's threat and the sanctions it names,
# and the withdrawal Russia demands. Anything else the coder outputs is a false event.
SEED_TRUE = {
    ("CONSULT", frozenset({"USA", "RUS"})), ("CONSULT", frozenset({"RUS", "UKR"})),
    ("CONSULT", frozenset({"USA", "UKR"})), ("CONSULT", frozenset({"USA", "NATO"})),
    ("CONSULT", frozenset({"UKR", "NATO"})), ("AGREE", frozenset({"RUS", "UKR"})),
    ("AGREE", frozenset({"USA", "RUS"})), ("REQUEST", frozenset({"RUS", "UKR"})),
    ("REQUEST", frozenset({"RUS"})),
    ("COERCE", frozenset({"RUS", "UKR"})), ("COERCE", frozenset({"RUS"})),
    ("REJECT", frozenset({"UKR", "RUS"})), ("THREATEN", frozenset({"USA", "RUS"})),
    ("SANCTION", frozenset({"USA", "RUS"})), ("RETREAT", frozenset({"UKR"})),
    ("RETREAT", frozenset({"UKR", "RUS"})),
}


def test_seed_type_precision(seed_doc):
    """No more than one false event in five (issue 12), and not an inflated count."""
    events = seed_doc.events
    false = [e for e in events
             if (e.type, frozenset(c for c in (e.source.country if e.source else None,
                                               e.target.country if e.target else None) if c))
             not in SEED_TRUE]
    assert 8 <= len(events) <= 30, len(events)
    assert len(false) / len(events) <= 0.2, [(e.type, e.trigger.text, e.source and e.source.name,
                                              e.target and e.target.name) for e in false]
