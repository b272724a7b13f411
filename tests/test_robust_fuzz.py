"""Replays every input the fuzzer ever crashed on (tests/data/fuzz/) and the bad-input fixtures
through the fuzz target: each must now give Articles or one-line EventwireErrors."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
spec = importlib.util.spec_from_file_location("fuzz_extract", Path(__file__).parents[1] / "fuzz" / "fuzz_extract.py")
fuzz_extract = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fuzz_extract)

CASES = sorted((DATA / "fuzz").glob("crash-*")) + sorted((DATA / "bad").glob("*.*"))


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
@pytest.mark.parametrize("kind", [0, 1, 2], ids=["text", "html", "jsonl"])
def test_replay(path, kind):
    data = path.read_bytes()
    if path.name.startswith("crash-"):
        if kind:
            pytest.skip("a crash input already starts with its kind byte")
        fuzz_extract.one_input(data)
    else:
        fuzz_extract.one_input(bytes([kind]) + data)


@pytest.mark.parametrize("data", [
    b"\x02" + b'{"text": "\\ud800 The envoy arrived in Doha on Monday for talks with Hamas officials."}',
    b"\x02" + b"[" * 100000,
    b"\x01<html><body>" + b"<div>" * 5000 + b"</body></html>",
    b"\x00" + "Mr. A. B. Smith said. \u2026 \u201cYes.\u201d\n\n\n".encode() * 50,
])
def test_handwritten_nasty_inputs(data):
    fuzz_extract.one_input(data)
