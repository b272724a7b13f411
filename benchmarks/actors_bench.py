"""Actor stage timings: knowledge-base load (parse and cached) and resolution per article.

    .venv/bin/python benchmarks/actors_bench.py [FILE ...]

Default input: ../shared/corpus/seed/trump-putin-call.txt plus ../shared/corpus/articles/*.txt
when present. Prints milliseconds; nothing is asserted.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def main(argv: list[str]) -> int:
    import os

    from eventwire.actors import kb as kbmod

    # KB: parse from the data files, then load from a fresh pickle cache.
    with tempfile.TemporaryDirectory() as cache:
        os.environ[kbmod.CACHE_ENV] = cache
        t = time.perf_counter()
        kb = kbmod.build_kb()
        parse = time.perf_counter() - t
        kbmod.load_kb.cache_clear()
        kbmod.load_kb()  # writes the cache
        loads = []
        for _ in range(5):
            kbmod.load_kb.cache_clear()
            t = time.perf_counter()
            kbmod.load_kb()
            loads.append(time.perf_counter() - t)
    print(f"knowledge base: {len(kb.entries)} entries, {len(kb.names)} surface forms")
    print(f"kb parse (no cache):   {parse * 1000:8.1f} ms")
    print(f"kb load (pickle cache):{statistics.median(loads) * 1000:8.1f} ms (median of 5)")

    paths = [Path(p) for p in argv] or (
        [SHARED / "corpus" / "seed" / "trump-putin-call.txt"] + sorted((SHARED / "corpus" / "articles").glob("*.jsonl*")))
    texts = _texts([p for p in paths if p.is_file()], limit=60)
    if not texts:
        print("no articles found; pass files as arguments")
        return 0
    from eventwire.actors.resolve import ActorResolver
    from eventwire.model import Document
    from eventwire.nlp import load_spacy

    nlp = load_spacy()
    resolver = ActorResolver(nlp)
    parse_t, actor_t, chars, mentions = 0.0, 0.0, 0, 0
    for text in texts:
        t = time.perf_counter()
        doc = nlp(text)
        parse_t += time.perf_counter() - t
        document = Document(text=text, published=None)
        t = time.perf_counter()
        resolver.annotate(doc, document)
        actor_t += time.perf_counter() - t
        chars += len(text)
        mentions += sum(len(a.mentions) for a in document.actors)
    n = len(texts)
    print(f"articles: {n}, {chars} characters, {mentions} actor mentions")
    print(f"spaCy parse:     {parse_t / n * 1000:8.1f} ms/article")
    print(f"actor stage:     {actor_t / n * 1000:8.1f} ms/article "
          f"({actor_t / (parse_t + actor_t) * 100:.1f}% of parse + actors)")
    return 0


def _texts(paths: list[Path], limit: int) -> list[str]:
    """Article texts: .txt files whole; .jsonl(.gz) files record by record ("text" field)."""
    import gzip
    import json

    out: list[str] = []
    for p in paths:
        if p.suffix == ".txt":
            out.append(p.read_text("utf-8", errors="replace"))
            continue
        opener = gzip.open if p.suffix == ".gz" else open
        with opener(p, "rt", encoding="utf-8") as fh:
            for n, line in enumerate(fh):
                if n >= limit // 3:
                    break
                text = json.loads(line).get("text")
                if text:
                    out.append(text)
    return out[:limit]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
