"""The ``eventwire evaluate`` command: arguments, error listings and the table."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ..model import Document
from .claims import print_claim_errors
from .common import PRF, Accuracy
from .events import _country, score_events
from .quotes import score_quotes
from .report import Report, evaluate_lines, read_gold
from .timexes import score_timexes


def add_cli(sub) -> None:
    p = sub.add_parser("evaluate", help="score eventwire against a gold file (GOLD_FORMAT.md)")
    p.add_argument("gold", metavar="GOLD.jsonl")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    p.add_argument("--limit", type=int, metavar="N", help="score only the first N gold lines")
    p.add_argument("--dump", metavar="PRED.jsonl", help="write the predicted documents here")
    p.add_argument("--pred", metavar="PRED.jsonl",
                   help="score saved predictions (from --dump) instead of running the pipeline")
    p.add_argument("--errors", action="store_true",
                   help="print missed and false events (with their sentences), quotes, timexes and claims (stderr)")
    p.add_argument("--batch-size", type=int, default=16, help="articles per spaCy batch (default 16)")
    p.add_argument("--by-type", action="store_true",
                   help="also per-type event precision/recall, a type confusion table and a reliability "
                        "table of event confidence against correctness")
    p.set_defaults(run=run_evaluate)



def _progress_printer(err=sys.stderr):
    tty = err.isatty()
    last = [0]

    def show(done: int, total: int) -> None:
        if tty:
            print(f"\revaluate: {done}/{total} articles", end="" if done < total else "\n",
                  file=err, flush=True)
        elif done == total or done - last[0] >= max(50, total // 10):
            last[0] = done
            print(f"evaluate: {done}/{total} articles", file=err, flush=True)

    return show


def run_evaluate(args) -> int:
    path = Path(args.gold)
    lines = read_gold(path)
    if args.limit:
        lines = lines[: args.limit]
    dump = open(args.dump, "w", encoding="utf-8") if args.dump else None

    def on_doc(rec, doc, body):
        if args.errors and doc is not None:
            if isinstance(rec.get("events"), list):
                _print_event_errors(rec, doc)
            if isinstance(rec.get("quotes"), list):
                _print_quote_errors(rec, doc)
            if isinstance(rec.get("timexes"), list):
                _print_timex_errors(rec, doc)
            if isinstance(rec.get("stances"), list):
                _print_stance_errors(rec, doc)
            if isinstance(rec.get("claims"), list):
                print_claim_errors(rec, doc)
        if dump is not None:
            row = doc.to_dict() if doc is not None else {"id": rec.get("id"), "text": body}
            row["gold_id"] = rec.get("id")
            dump.write(json.dumps(row, ensure_ascii=False) + "\n")

    try:
        report = evaluate_lines(lines, path.resolve().parent, batch_size=args.batch_size,
                                progress=_progress_printer(), on_doc=on_doc, predictions=args.pred)
    finally:
        if dump is not None:
            dump.close()
    if report.missing:
        print(f"warning: {report.missing} gold sentences or phrases were not found in their text",
              file=sys.stderr)
    if report.failed:
        print(f"warning: the pipeline failed on {report.failed} articles (scored as empty)", file=sys.stderr)
        for gid, reason in report.failures:
            print(f"  {gid}: {reason}", file=sys.stderr)
    if args.json:
        out = report.to_dict()
        if getattr(args, "by_type", False) and "events" in report.annotated:
            out["events"].update(by_type_dict(report.events))
        print(json.dumps(out))
    else:
        print(format_table(report, str(path)))
        if getattr(args, "by_type", False) and "events" in report.annotated:
            print()
            print(format_by_type(report.events))
    return 0


def by_type_dict(e) -> dict:
    return {"by_type": {t: prf.scores() | {"tp": prf.tp, "fp": prf.fp, "fn": prf.fn}
                        for t, prf in sorted(e.by_type.items())},
            "confusion": [{"gold": g, "predicted": p, "n": n} for (g, p), n in sorted(e.confusion.items())],
            "reliability": e.reliability_table()}


def format_by_type(e) -> str:
    """Per-type P/R/F1, the confusion table (rows gold, columns predicted) and the reliability table."""
    from ..model import PLOVER_TYPES

    def f(x):
        return "   -  " if x is None else f"{x:6.3f}"

    rows = [f"{'type':12}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}"]
    for t in [t for t in PLOVER_TYPES if t in e.by_type]:
        prf = e.by_type[t]
        rows.append(f"{t:12}{f(prf.p):>7}{f(prf.r):>7}{f(prf.f1):>7}{prf.tp:>6}{prf.fp:>6}{prf.fn:>6}")
    used = [t for t in PLOVER_TYPES if any(t in k for k in e.confusion)]
    cols, lines = used + ["-"], ["", "confusion (rows: gold type, '-' = no gold event; columns: predicted, "
                                    "'-' = none)"]
    lines.append("gold\\pred".ljust(10) + "".join(c[:4].rjust(5) for c in cols))
    for r in used + ["-"]:
        lines.append(r[:9].ljust(10) + "".join(str(e.confusion.get((r, c), 0) or ".").rjust(5) for c in cols))
    rel = ["", "reliability (event confidence against the share of predictions that were right)",
           f"{'confidence':>12}{'n':>6}{'mean':>8}{'right':>8}"]
    for b in e.reliability_table():
        rel.append(f"{b['from']:5.1f}-{b['to']:<5.1f}{b['n']:>7}{b['confidence']:>8.3f}{b['right']:>8.3f}")
    return "\n".join(rows + lines + rel)


def _print_event_errors(rec: dict, doc: Document, err=sys.stderr) -> None:
    s = score_events(rec, doc)
    for _, g, sent in s.missed:
        where = doc.text[sent[0]:sent[1]] if sent else g.get("sentence", "?")
        print(f"MISSED {rec.get('id')}: {g.get('type')} {g.get('source')}->{g.get('target')} "
              f"[{g.get('source_text')} -> {g.get('target_text')}] | {' '.join(where.split())}", file=err)
    for _, p in s.false:
        src = f"{p.source.name if p.source else None}({_country(p.source)})"
        tgt = f"{p.target.name if p.target else None}({_country(p.target)})"
        print(f"FALSE  {rec.get('id')}: {p.type} {src}->{tgt} trigger={p.trigger.text!r} | "
              f"{' '.join(p.sentence.text.split())}", file=err)


def _short(text: str, n: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _print_quote_errors(rec: dict, doc: Document, err=sys.stderr) -> None:
    s = score_quotes(rec, doc)
    for g in s.missed:
        print(f"MISSED {rec.get('id')}: quote by {g.get('speaker')}: {_short(g.get('text', ''))!r}", file=err)
    for q in s.false:
        who = q.speaker.name if q.speaker else None
        print(f"FALSE  {rec.get('id')}: quote by {who}: {_short(q.content.text)!r}", file=err)


def _print_timex_errors(rec: dict, doc: Document, err=sys.stderr) -> None:
    s = score_timexes(rec, doc)
    for g in s.missed:
        print(f"MISSED {rec.get('id')}: timex {g.get('text')!r} = {g.get('value')}", file=err)
    for t in s.false:
        print(f"FALSE  {rec.get('id')}: timex {t.text!r} = {t.value}", file=err)
    for g, t in s.wrong:
        print(f"VALUE  {rec.get('id')}: timex {t.text!r} = {t.value}, gold {g.get('value')}", file=err)


def _print_stance_errors(rec: dict, doc: Document, err=sys.stderr) -> None:
    from .stances import score_stances

    s = score_stances(rec, doc)
    for g, _ in s.missed:
        print(f"MISSED {rec.get('id')}: {g.get('party')} {g.get('stance')} {g.get('object')!r} | "
              f"{_short(g.get('sentence', ''), 160)}", file=err)
    for p in s.false:
        print(f"FALSE  {rec.get('id')}: {p.party} {p.stance} {p.object_text!r} ({p.via}) | "
              f"{_short(doc.text[p.sentence_start:p.sentence_end], 160)}", file=err)


def format_table(report: Report, name: str = "") -> str:
    def f(x):
        return "   -  " if x is None else f"{x:6.3f}"

    rows = [f"{name}: {report.articles} articles", "",
            f"{'':24}{'P':>7}{'R':>7}{'F1':>7}{'tp':>7}{'fp':>7}{'fn':>7}   accuracy"]

    def row(label, prf: PRF, extra=""):
        rows.append(f"{label:24}{f(prf.p):>7}{f(prf.r):>7}{f(prf.f1):>7}"
                    f"{prf.tp:>7}{prf.fp:>7}{prf.fn:>7}   {extra}")

    def acc(label, a: Accuracy):
        return f"{label} {f(a.value).strip()} ({a.right}/{a.total})"

    if "events" in report.annotated:
        e = report.events
        row("events: type", e.type, acc("status", e.status) + "  " + acc("date", e.date))
        row("events: full", e.full)
        row("events: span", e.span)
    if "quotes" in report.annotated:
        row("quotes", report.quotes.spans, acc("speaker", report.quotes.speaker))
    if "timexes" in report.annotated:
        row("timexes", report.timexes.spans, acc("value", report.timexes.value))
    if "claims" in report.annotated:
        row("claims: value", report.claims.values,
            acc("change", report.claims.change) + "  " + acc("value_max", report.claims.value_max))
        row("claims: value+unit", report.claims.value_unit)
    if "stances" in report.annotated:
        row("stance statements", report.stances.statements, acc("object", report.stances.object))
    if "body" in report.annotated:
        row("body tokens", report.body)
    if "boilerplate" in report.annotated:
        rows.append(f"boilerplate: {report.leaked} of {report.boilerplate_lines} listed lines leaked")
    return "\n".join(rows)
