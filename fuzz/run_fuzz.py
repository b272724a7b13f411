"""Runs the fuzz target for a fixed number of inputs and keeps any crash as a regression input.

    .venv/bin/python fuzz/run_fuzz.py --runs 100000

Seeds are the bad-input fixtures (tests/data/bad) and the saved crashes (tests/data/fuzz), each
prefixed with the byte that makes the target read it as its kind. The working corpus is a
temporary directory. A crash input is copied to tests/data/fuzz/ (tests/test_robust_fuzz.py
replays every file there), and the exit status is libFuzzer's (0: no crash).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
KIND_BYTE = {".txt": b"\x00", ".html": b"\x01", ".htm": b"\x01", ".jsonl": b"\x02"}


def seed(corpus: Path) -> int:
    n = 0
    for p in sorted((REPO / "tests" / "data" / "bad").iterdir()):
        suffix = p.suffix if p.suffix != ".gz" else Path(p.stem).suffix
        if suffix in KIND_BYTE:
            (corpus / f"seed-{p.name}").write_bytes(KIND_BYTE[suffix] + p.read_bytes())
            n += 1
    for p in sorted((REPO / "tests" / "data" / "fuzz").glob("crash-*")):
        shutil.copy(p, corpus / p.name)
        n += 1
    return n


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=100_000)
    ap.add_argument("--max-len", type=int, default=4096)
    ap.add_argument("--max-time", type=int, default=0, help="stop after this many seconds (0: no limit)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        corpus, artifacts = Path(tmp) / "corpus", Path(tmp) / "artifacts"
        corpus.mkdir()
        artifacts.mkdir()
        print(f"{seed(corpus)} seed inputs", flush=True)
        cmd = [sys.executable, str(HERE / "fuzz_extract.py"), f"-atheris_runs={args.runs}",
               f"-max_len={args.max_len}", f"-max_total_time={args.max_time}", f"-artifact_prefix={artifacts}/", "-print_final_stats=1",
               str(corpus)]
        rc = subprocess.run(cmd).returncode
        saved = REPO / "tests" / "data" / "fuzz"
        for crash in artifacts.iterdir():
            shutil.copy(crash, saved / crash.name)
            print(f"crash input saved: {saved / crash.name}")
    return rc


if __name__ == "__main__":
    sys.exit(main())
