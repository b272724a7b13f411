"""eventwire's quotes next to textacy's ``extract.triples.direct_quotations``, on one gold file.

Both read the same spaCy parse of each article (eventwire's pipeline parses once; textacy is run
on that Doc) and both are scored by ``eventwire.evaluate.score_quotes`` (the GOLD_FORMAT.md rule:
token Jaccard >= 0.5 between quote texts; speaker right when its mention overlaps the gold speaker
span or carries the gold surname).

    pip install -e '.[bench]'          # textacy is a benchmark dependency only
    python benchmarks/quotes_vs_textacy.py ../shared/eval/polnear_test.gold.jsonl

textacy finds direct quotations only (inside quotation marks); PolNeAR also marks indirect
speech, so a second table scores both systems on the gold quotes that are direct in the text.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

DEFAULT_GOLD = Path(__file__).resolve().parents[2] / "shared" / "eval" / "polnear_test.gold.jsonl"
QUOTE_MARKS = "\"“”'‘’«»`"
FAILURES: list[str] = []


def textacy_quotes(doc):
    """textacy's direct quotations of ``doc`` as eventwire Quotes."""
    from textacy.extract import triples

    from eventwire.model import ActorRef, Quote, Span

    out = []
    try:
        found = list(triples.direct_quotations(doc))
    except ValueError as exc:
        # textacy refuses articles with an odd number of quotation marks; they count as
        # "no quotes found" (it is how textacy behaves on them) and are counted in the summary.
        FAILURES.append(str(exc).split(";")[0])
        return out
    for n, dq in enumerate(found, 1):
        content = dq.content
        text = doc.text
        s, e = content.start_char, content.end_char
        while s < e and text[s] in QUOTE_MARKS + " ":
            s += 1
        while e > s and text[e - 1] in QUOTE_MARKS + " ,":
            e -= 1
        speaker = None
        if dq.speaker:
            ss, se = min(t.idx for t in dq.speaker), max(t.idx + len(t) for t in dq.speaker)
            speaker = ActorRef(None, " ".join(t.text for t in dq.speaker), mention=Span.of(text, ss, se))
        cue = None
        if dq.cue:
            cs, ce = min(t.idx for t in dq.cue), max(t.idx + len(t) for t in dq.cue)
            cue = Span.of(text, cs, ce)
        out.append(Quote(id=f"Q{n}", content=Span.of(text, s, e), direct=True, cue=cue, speaker=speaker))
    return out


def is_direct_in_text(text: str, g: dict) -> bool:
    s = g.get("start")
    if s is None:
        return False
    before = text[max(0, s - 2):s]
    return any(ch in QUOTE_MARKS for ch in before)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="?", default=str(DEFAULT_GOLD))
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args(argv)

    try:
        import textacy  # noqa: F401
    except ImportError:
        print("textacy is not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 1
    from eventwire.evaluate import PRF, QuoteScores, score_quotes
    from eventwire.model import Document
    from eventwire.pipeline import Pipeline, document_of

    path = Path(args.gold)
    if not path.exists():
        print(f"gold file not found: {path}", file=sys.stderr)
        return 1
    gold = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()][:args.limit]
    pipe = Pipeline()

    systems = ("eventwire", "textacy")
    totals = {s: QuoteScores(PRF()) for s in systems}
    direct_totals = {s: QuoteScores(PRF()) for s in systems}
    seconds = {s: 0.0 for s in systems}
    parse_seconds = 0.0
    for g in gold:
        t0 = time.perf_counter()
        doc = pipe.nlp.make_doc(g["text"])
        doc._.eventwire = Document(text=g["text"], published=g.get("published"))
        for name, proc in pipe.nlp.pipeline:
            if not name.startswith("eventwire"):
                doc = proc(doc)
        t1 = time.perf_counter()
        for name, proc in pipe.nlp.pipeline:
            if name.startswith("eventwire"):
                doc = proc(doc)
        t2 = time.perf_counter()
        ours = document_of(doc)
        theirs = Document(text=g["text"], quotes=textacy_quotes(doc))
        t3 = time.perf_counter()
        parse_seconds += t1 - t0
        seconds["eventwire"] += t2 - t1
        seconds["textacy"] += t3 - t2
        direct_gold = {**g, "quotes": [q for q in g.get("quotes") or [] if is_direct_in_text(g["text"], q)]}
        for s, d in (("eventwire", ours), ("textacy", theirs)):
            totals[s].add(score_quotes(g, d))
            direct_only = Document(text=d.text, quotes=[q for q in d.quotes if q.direct])
            direct_totals[s].add(score_quotes(direct_gold, direct_only))

    def table(title, scores):
        print(title)
        print(f"  {'system':<10} {'P':>6} {'R':>6} {'F1':>6} {'speaker':>8} {'tp':>5} {'fp':>5} {'fn':>5}")
        for s in systems:
            q = scores[s]
            acc = q.speaker.value
            print(f"  {s:<10} {q.spans.p or 0:6.3f} {q.spans.r or 0:6.3f} {q.spans.f1 or 0:6.3f} "
                  f"{(acc if acc is not None else float('nan')):8.3f} {q.spans.tp:5d} {q.spans.fp:5d} {q.spans.fn:5d}")

    print(f"{path.name}: {len(gold)} articles; spaCy parse {parse_seconds:.1f}s shared; "
          f"eventwire stages {seconds['eventwire']:.1f}s, textacy {seconds['textacy']:.1f}s")
    print(f"textacy refused {len(FAILURES)} of {len(gold)} articles (unbalanced quotation marks); "
          "they count as no quotes")
    table("all gold quotes (direct and indirect)", totals)
    table("direct quotes only (gold quotes opening at a quote mark; predictions with direct=True)",
          direct_totals)
    return 0


if __name__ == "__main__":
    sys.exit(main())
