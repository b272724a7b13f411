"""Actor resolution against NGEC-2025's expectations (phrase → country / sector), an evaluation set.

Reads ../shared/gold/events/ngec2025_actor_resolution_expectations.jsonl (skipped when absent) and
prints country and sector accuracy. An expected empty value, "UNK" or "JNK" means "no country / no
sector" and is matched by None. The set is for measuring only: nothing is tuned item by item to it,
and the figure is out-of-sample: knowledge-base entries, aliases and agent words that only this
file explained were taken out (see the actors note), and the knowledge base grows only from
general lists of world actors and from realnews_train.
"""
from __future__ import annotations

import json

from conftest import shared_path

from eventwire.actors.kb import codes_equivalent
from eventwire.actors.resolve import ActorResolver, resolve_phrase

NONE = {None, "", "UNK", "JNK", "????"}
# The goals are 0.90 / 0.80; the floors sit a little under today's out-of-sample figures
# (0.78 / 0.70) and guard against regressions.
COUNTRY_FLOOR = 0.75
SECTOR_FLOOR = 0.67


def _same(got, want) -> bool:
    # NGEC writes CAMEO's codes for some bodies (UNO, EUR); eventwire writes UN, EU.
    return (got in NONE and want in NONE) or codes_equivalent(want, got)


def test_ngec_actor_expectations(pipeline):
    path = shared_path("gold", "events", "ngec2025_actor_resolution_expectations.jsonl")
    nlp = pipeline.nlp
    resolver = ActorResolver(nlp)
    country = [0, 0]
    sector = [0, 0]
    for line in path.read_text("utf-8").splitlines():
        item = json.loads(line)
        want = item["expected"]
        actor = resolve_phrase(item["input"], nlp=nlp, resolver=resolver)
        got_c = actor.country if actor else None
        got_s = actor.sector if actor else None
        if "cc" in want or "country" in want:
            country[1] += 1
            country[0] += _same(got_c, want.get("cc", want.get("country")))
        if "code_1" in want:
            sector[1] += 1
            sector[0] += _same(got_s, want["code_1"])
    c_acc, s_acc = country[0] / country[1], sector[0] / sector[1]
    print(f"\nNGEC actor expectations: country accuracy {c_acc:.3f} ({country[0]}/{country[1]}), "
          f"sector accuracy {s_acc:.3f} ({sector[0]}/{sector[1]})")
    assert c_acc >= COUNTRY_FLOOR and s_acc >= SECTOR_FLOOR
