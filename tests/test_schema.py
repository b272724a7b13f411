"""``eventwire schema``: the JSON Schema of the output, generated from model.py."""
from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import jsonschema
import pytest

from eventwire import model
from eventwire.model import ActorRef, Claim, Document, Event, Quote, Span, Timex
from eventwire.schema import output_schema


@pytest.fixture(scope="module")
def validator():
    schema = output_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def small_document() -> Document:
    text = "Russia and Ukraine agreed on Monday to swap 1,000 prisoners."
    d = Document(text=text, id="t", published="2025-05-17")
    d.events = [Event("E1", "AGREE", Span.of(text, 19, 25), Span.of(text, 0, len(text)), status="asserted",
                      source=ActorRef("A1", "Russia", "RUS", "GOV", Span.of(text, 0, 6)), goldstein=3.0)]
    d.timexes = [Timex("T1", 29, 35, "Monday", "DATE", "2025-05-19")]
    d.quotes = [Quote("Q1", Span.of(text, 0, 10), direct=False)]
    d.claims = [Claim("C1", Span.of(text, 44, 59), 1000, "prisoner")]
    return d


def test_schema_is_versioned_and_has_the_enums():
    s = output_schema()
    assert s["$schema"].endswith("2020-12/schema")
    assert s["version"] == model.SCHEMA_VERSION and model.SCHEMA_VERSION in s["$id"]
    ev = s["$defs"]["Event"]["properties"]
    assert ev["type"]["enum"] == list(model.PLOVER_TYPES)
    assert ev["status"]["enum"] == list(model.EVENT_STATUSES)
    assert s["$defs"]["Actor"]["properties"]["kind"]["enum"] == list(model.ACTOR_KINDS)
    assert s["$defs"]["Timex"]["properties"]["type"]["enum"] == list(model.TIMEX_TYPES)


def test_schema_covers_every_dataclass_field():
    """Generated, so it cannot drift: every field of every result type is a property."""
    s = output_schema()
    for cls in (model.Actor, model.Mention, model.ActorRef, model.Span, model.Event, model.Quote,
                model.Timex, model.Claim):
        assert set(s["$defs"][cls.__name__]["properties"]) == {f.name for f in dataclasses.fields(cls)}
    assert set(s["properties"]) == {f.name for f in dataclasses.fields(model.Document)}


def test_valid_and_invalid_documents(validator):
    data = small_document().to_dict()
    validator.validate(data)
    bad = json.loads(json.dumps(data))
    bad["events"][0]["status"] = "rumoured"
    assert not validator.is_valid(bad)
    bad = json.loads(json.dumps(data))
    bad["events"][0]["trigger"]["start"] = "19"
    assert not validator.is_valid(bad)
    bad = json.loads(json.dumps(data))
    bad["events"][0]["surprise"] = 1
    assert not validator.is_valid(bad)


def test_seed_output_validates(validator, seed_doc):
    validator.validate(seed_doc.to_dict())


def test_schema_command_prints_it():
    out = subprocess.run([sys.executable, "-m", "eventwire.cli", "schema"], capture_output=True,
                         text=True, check=True)
    assert json.loads(out.stdout) == output_schema()
