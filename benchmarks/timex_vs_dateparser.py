"""eventwire's timex stage against dateparser's search_dates, side by side, scored alike.

    .venv/bin/python benchmarks/timex_vs_dateparser.py [GOLD.jsonl ...] [--only eventwire|dateparser]

Defaults to ../shared/eval/te3_platinum.gold.jsonl (TempEval-3's test set: out-of-sample for both
systems) and ../shared/eval/realnews_dev.gold.jsonl. Both systems are scored by the scorer of
``eventwire evaluate`` (eventwire.evaluate.score_timexes): a prediction matches a gold timex when
their spans overlap (one-to-one, the most overlap first), giving span P/R/F1, then value accuracy
over the matched pairs (exact TIMEX3 string, "T00:00" dropped) and value F1 (a match counts only
with the right value).

dateparser is given what it needs to be fair: ``languages=['en']``, RELATIVE_BASE = the
publication date, and its value is written at the granularity of what it read, not always as a
day. Each phrase search_dates finds is parsed again by DateDataParser, whose ``period`` (year,
month, week, day, time; RETURN_TIME_AS_PERIOD on) decides the form: "2019" -> ``2019``,
"March 2024" -> ``2024-03``, "last week" -> ``2025-W19``, "Monday" -> ``2025-05-12``,
"10 am" -> ``2025-05-14T10:00``. dateparser has no durations, sets or vague references
(PRESENT_REF …), so gold timexes of those kinds stay out of its reach; the table says how many
gold timexes are of those kinds.

Columns: sec = wall time of the whole run (for eventwire including spaCy's tagging and parsing);
tagger = the time of the timex tagger alone (for dateparser, the same as sec).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "eval"
DEFAULT_SETS = [SHARED / "te3_platinum.gold.jsonl", SHARED / "realnews_dev.gold.jsonl"]
# gold values no date parser can write: durations, sets, vague references
_NOT_A_DATE = re.compile(r"^(P|R|PRESENT_REF|PAST_REF|FUTURE_REF)")


def timex_lines(path: Path) -> list[dict]:
    lines = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return [r for r in lines if isinstance(r.get("timexes"), list) and isinstance(r.get("text"), str)]


def score(lines: list[dict], predictions: list[list[tuple[int, int, str]]]) -> dict:
    """Score ``predictions`` (per line: (start, end, value)) with eventwire's own timex scorer."""
    from eventwire.evaluate import GoldLine, TimexScores, score_timexes
    from eventwire.model import Document, Timex

    total = TimexScores()
    for rec, pred in zip(lines, predictions):
        text = rec["text"]
        doc = Document(text=text, published=rec.get("published"))
        doc.timexes = [Timex(id=f"T{i}", start=s, end=e, text=text[s:e], type="DATE", value=v, anchored=True)
                       for i, (s, e, v) in enumerate(sorted(pred), 1)]
        total.add(score_timexes(rec, doc, GoldLine.of(rec, text)))
    prf = total.spans.scores()
    tp, right = total.spans.tp, total.value.right
    predicted, gold = tp + total.spans.fp, tp + total.spans.fn
    vp = right / predicted if predicted else 0.0
    vr = right / gold if gold else 0.0
    return {"gold": gold, "predicted": predicted, "precision": prf["p"] or 0.0, "recall": prf["r"] or 0.0, "f1": prf["f1"] or 0.0,
            "value_accuracy": total.value.value or 0.0, "value_f1": 2 * vp * vr / (vp + vr) if vp + vr else 0.0}


def run_eventwire(lines: list[dict]):
    """Predictions, total seconds, and seconds of the timex stage alone (the rest is spaCy's
    tagging and parsing, which the stage needs and which later stages share). The pipeline is
    the one ``eventwire evaluate`` runs, fast path included."""
    from eventwire.pipeline import Article, Pipeline

    pipe = Pipeline(stages=["eventwire_timex"])
    t0 = time.perf_counter()
    docs = list(pipe.pipe([Article(text=r["text"], id=r.get("id"), published=r.get("published") or None)
                           for r in lines], batch_size=16))
    secs = time.perf_counter() - t0
    out = [[(t.start, t.end, t.value) for t in d.timexes] for d in docs]
    return out, secs, pipe.timings["eventwire_timex"]


def dateparser_value(when: dt.datetime, period: str) -> str:
    """dateparser's datetime written at the granularity it parsed."""
    if period == "year":
        return f"{when.year:04d}"
    if period == "month":
        return f"{when.year:04d}-{when.month:02d}"
    if period == "week":
        y, w, _ = when.isocalendar()
        return f"{y}-W{w:02d}"
    if period == "time" and (when.hour, when.minute) != (0, 0):
        return when.strftime("%Y-%m-%dT%H:%M")
    return when.strftime("%Y-%m-%d")


def run_dateparser(lines: list[dict], as_days: bool = False):
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    t0 = time.perf_counter()
    out = []
    for r in lines:
        text = r["text"]
        base = dt.datetime.fromisoformat(r["published"][:10]) if r.get("published") else dt.datetime.now()
        settings = {"RELATIVE_BASE": base, "RETURN_TIME_AS_PERIOD": True}
        parser = DateDataParser(languages=["en"], settings=settings)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = search_dates(text, languages=["en"], settings=settings) or []
        pos, preds = 0, []
        for phrase, when in found:
            start = text.find(phrase, pos)
            if start < 0:
                start = text.find(phrase)
                if start < 0:
                    continue
            pos = start + len(phrase)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                data = parser.get_date_data(phrase)
            period = data.period if data and data.date_obj and not as_days else "day"
            preds.append((start, start + len(phrase), dateparser_value(when, period or "day")))
        out.append(preds)
    secs = time.perf_counter() - t0
    return out, secs, secs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="*", type=Path)
    ap.add_argument("--only", choices=["eventwire", "dateparser"])
    ap.add_argument("--as-days", action="store_true",
                    help="also score dateparser with every value written as a day (the old, unfair way)")
    args = ap.parse_args(argv)
    sets = args.gold or DEFAULT_SETS
    missing = [p for p in sets if not p.exists()]
    if missing:
        print(f"gold set not found: {missing[0]} (needs ../shared beside the checkout)", file=sys.stderr)
        return 2
    systems = [("eventwire", run_eventwire), ("dateparser", run_dateparser)]
    if args.only:
        systems = [s for s in systems if s[0] == args.only]
    if args.as_days and args.only != "eventwire":
        systems.append(("dp-as-days", lambda lines: run_dateparser(lines, as_days=True)))
    print(f"{'set':28} {'system':11} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6} {'valAcc':>7} "
          f"{'valF1':>6} {'sec':>7} {'tagger':>7}")
    for path in sets:
        lines = timex_lines(path)
        for name, run in systems:
            preds, secs, own = run(lines)
            s = score(lines, preds)
            print(f"{path.name:28} {name:11} {s['gold']:5d} {s['predicted']:5d} {s['precision']:6.3f} "
                  f"{s['recall']:6.3f} {s['f1']:6.3f} {s['value_accuracy']:7.3f} {s['value_f1']:6.3f} "
                  f"{secs:7.2f} {own:7.2f}", flush=True)
        golds = [t for r in lines for t in r["timexes"]]
        beyond = sum(bool(_NOT_A_DATE.match(str(t.get("value") or ""))) for t in golds)
        print(f"{'':28} ({beyond} of {len(golds)} gold values are durations, sets or vague references)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
