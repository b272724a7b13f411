"""Bad input: one clear line per bad item, the rest of the batch goes on, exit status 3 with a summary."""
from __future__ import annotations

import codecs
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from eventwire.errors import InputError
from eventwire.ingest.sources import (Failure, check_date, decode, iter_items, read_path)

BAD = Path(__file__).parent / "data" / "bad"
EVENTWIRE = [sys.executable, "-m", "eventwire.cli"]

# item (path relative to the fixture directory, or path:line) → the error code it must get
EXPECTED_ERRORS = {
    "blank.txt": "E102",
    "empty.txt": "E102",
    "french.txt": "E111",
    "image.txt": "E103",
    "zeros.html": "E103",
    "nav_only.html": "E107",
    "not_gzip.txt.gz": "E110",
    "truncated.jsonl.gz": "E110",
    "mixed.jsonl:2": "E105",
    "mixed.jsonl:3": "E106",
    "mixed.jsonl:4": "E109",
    "mixed.jsonl:5": "E105",
    "mixed.jsonl:8": "E109",
    "mixed.jsonl:10": "E111",
    "huge.txt": "E104",
}
EXPECTED_GOOD = {"good_broken_markup", "good_cp1252", "good_latin1", "good_plain", "good_utf16",
                 "j-good-1", "j-good-2", "j-html"}


@pytest.fixture()
def bad_dir(tmp_path):
    d = tmp_path / "bad"
    shutil.copytree(BAD, d)
    # Over the (lowered) size limit; written here rather than kept in the repository.
    (d / "huge.txt").write_text("The talks went on. " * 20000, "utf-8")
    return d


def _item_key(line: str, root: Path) -> str:
    """'mixed.jsonl:4' or 'image.txt' from one error line."""
    m = re.match(r"error: (E\d{3}) (\S+?):?( line (\d+):)? ", line)
    assert m, line
    path = m.group(2)
    rel = path.split(str(root) + os.sep, 1)[-1]
    if m.group(4):
        rel = f"{rel}:{m.group(4)}"
    return rel


def test_extract_on_bad_and_good_directory(bad_dir, tmp_path):
    out = tmp_path / "out.jsonl"
    env = dict(os.environ, EVENTWIRE_MAX_BYTES="200000")
    proc = subprocess.run(EVENTWIRE + ["extract", str(bad_dir), "-o", str(out)], env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("error: ")]
    got = {}
    for ln in lines:
        key = _item_key(ln, bad_dir)
        assert key not in got, f"two error lines for {key}"
        got[key] = ln.split()[1]
    assert got == EXPECTED_ERRORS
    summary = proc.stderr.strip().splitlines()[-1]
    assert summary == f"{len(EXPECTED_GOOD)} of {len(EXPECTED_GOOD) + len(EXPECTED_ERRORS)} items processed, " \
                      f"{len(EXPECTED_ERRORS)} failed"
    docs = [json.loads(ln) for ln in out.read_text("utf-8").splitlines()]
    assert {d["id"] for d in docs} == EXPECTED_GOOD
    for d in docs:
        assert d["text"].strip()


def test_all_good_exits_zero(tmp_path):
    out = tmp_path / "out.jsonl"
    proc = subprocess.run(EVENTWIRE + ["extract", str(BAD / "good_plain.txt"), str(BAD / "good_cp1252.txt"),
                                       "-o", str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == ""
    assert len(out.read_text("utf-8").splitlines()) == 2


def test_bad_published_option_is_one_line(tmp_path):
    proc = subprocess.run(EVENTWIRE + ["extract", str(BAD / "good_plain.txt"), "--published", "yesterday-ish"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: E109") and len(proc.stderr.strip().splitlines()) == 1


def test_legacy_encodings_are_decoded_right():
    arts = {a.id: a for a in read_path(BAD) if not isinstance(a, Failure)}
    assert "Montréal" in arts["good_cp1252"].text and "“We will not abandon them,”" in arts["good_cp1252"].text
    assert "René Côté" in arts["good_cp1252"].text
    assert "café owners in Zürich" in arts["good_latin1"].text
    assert arts["good_utf16"].text.startswith("The president of Kenya")


def test_mostly_utf8_with_a_broken_byte_stays_utf8():
    data = "Kyiv’s mayor said “no” to the plan on Monday — again.".encode("utf-8") + b" \xff bad byte."
    text = decode(data, "x")
    assert text.startswith("Kyiv’s mayor said “no”") and "\ufffd" in text


def test_control_characters_and_surrogates_are_removed(tmp_path):
    p = tmp_path / "odd.jsonl"
    rec = {"id": "odd\u0000", "text": "The envoy\u0007 arrived in Doha on Monday \ud800for talks, officials said."}
    p.write_text(json.dumps(rec) + "\n", "utf-8")
    [art] = list(read_path(p))
    assert art.id == "odd"
    assert art.text == "The envoy arrived in Doha on Monday for talks, officials said."
    art.text.encode("utf-8")  # no lone surrogate left


def test_huge_jsonl_line_is_skipped_and_the_rest_goes_on(tmp_path):
    p = tmp_path / "big.jsonl.gz"
    small = {"id": "ok", "text": "The minister met the ambassador on Friday in Rome, the embassy said."}
    huge = {"id": "huge", "text": "word " * 50000}
    with gzip.open(p, "wt", encoding="utf-8") as f:
        for rec in (small, huge, small | {"id": "ok2"}):
            f.write(json.dumps(rec) + "\n")
    items = list(iter_items([p], max_bytes=10000))
    assert [i.id if not isinstance(i, Failure) else i.error.code for i in items] == ["ok", "E104", "ok2"]


def test_max_bytes_from_env_rejects_nonsense(monkeypatch):
    monkeypatch.setenv("EVENTWIRE_MAX_BYTES", "lots")
    with pytest.raises(InputError):
        list(iter_items([BAD / "good_plain.txt"]))


@pytest.mark.parametrize("value,want", [
    ("2025-05-17", "2025-05-17"),
    ("2021-01-15 16:17:00-05:00", "2021-01-15T16:17:00-05:00"),
    ("2025-05-17 00:00:00", "2025-05-17"),
    ("May 17, 2025", "2025-05-17"),
    (None, None),
    ("", None),
])
def test_dates_accepted(value, want):
    assert check_date(value, "x") == want


@pytest.mark.parametrize("value", ["2025-13-01", "3024-01-01", "0001-01-01", "1799-12-31", "soon",
                                   "2025-02-30", 20250517, ["2025"], "9" * 300])
def test_absurd_dates_rejected(value):
    with pytest.raises(InputError) as exc:
        check_date(value, "x")
    assert exc.value.code == "E109"


def test_utf16_without_bom_is_binary_not_a_crash():
    data = "The talks resumed.".encode("utf-16-le")
    with pytest.raises(InputError) as exc:
        decode(data, "x")
    assert exc.value.code == "E103"


def test_bom_then_nothing_is_empty():
    with pytest.raises(InputError) as exc:
        decode(codecs.BOM_UTF8 + b"  \n", "x")
    assert exc.value.code == "E102"


def test_max_bytes_option(tmp_path):
    proc = subprocess.run(EVENTWIRE + ["extract", str(BAD / "good_plain.txt"), "--max-bytes", "100"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 3
    assert proc.stderr.splitlines()[0].startswith("error: E104 ") and "100 bytes" in proc.stderr
