"""The whole set: reading gold files, running the pipeline (or reading saved predictions), adding up."""
from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Optional

from ..errors import GoldError, InputError
from ..model import Document
from .body import leaked_lines, score_body
from .claims import ClaimScores, score_claims
from .common import PRF, SECTIONS, STAGES_FOR, GoldLine, _round
from .events import EventScores, score_events
from .quotes import QuoteScores, score_quotes
from .stances import StanceScores, score_stances
from .timexes import TimexScores, score_timexes


@dataclass
class Report:
    articles: int = 0
    annotated: set = field(default_factory=set)
    events: EventScores = field(default_factory=EventScores)
    quotes: QuoteScores = field(default_factory=QuoteScores)
    timexes: TimexScores = field(default_factory=TimexScores)
    claims: ClaimScores = field(default_factory=ClaimScores)
    stances: StanceScores = field(default_factory=StanceScores)
    body: PRF = field(default_factory=PRF)
    leaked: int = 0
    boilerplate_lines: int = 0
    missing: int = 0          # gold sentences/phrases not found in the text
    failed: int = 0           # articles the pipeline failed on (scored as empty predictions)
    failures: list = field(default_factory=list)   # (gold id, reason) of the first few failures

    def to_dict(self) -> dict:
        out: dict = {"articles": self.articles}
        if "events" in self.annotated:
            e = self.events
            out["events"] = {"type": e.type.scores(), "full": e.full.scores(), "span": e.span.scores(),
                             "status_accuracy": e.status.value, "date_accuracy": e.date.value}
        if "quotes" in self.annotated:
            out["quotes"] = {**self.quotes.spans.scores(), "speaker_accuracy": self.quotes.speaker.value}
        if "timexes" in self.annotated:
            out["timexes"] = {**self.timexes.spans.scores(), "value_accuracy": self.timexes.value.value}
        if "claims" in self.annotated:
            c = self.claims
            out["claims"] = {**c.values.scores(), "value_unit_f1": _round(c.value_unit.f1),
                             "change_accuracy": c.change.value, "value_max_accuracy": c.value_max.value}
        if "stances" in self.annotated:
            out["stances"] = {**self.stances.statements.scores(), "object_overlap": self.stances.object.value}
        if "body" in self.annotated:
            out["body"] = self.body.scores()
        if "boilerplate" in self.annotated:
            out["boilerplate"] = {"leaked_lines": self.leaked}
        return out


# Each annotated section, the Report field that adds it up, and its scorer (same name).
SCORERS = (("events", score_events), ("quotes", score_quotes), ("timexes", score_timexes),
           ("claims", score_claims), ("stances", score_stances))


def score_line(gold: dict, doc: Optional[Document], body: Optional[str], report: Report) -> None:
    """Add one article's scores to ``report``; ``doc`` is the prediction (None: not run)."""
    report.articles += 1
    if "body" in gold and body is not None:
        report.annotated.add("body")
        report.body.add(score_body(gold["body"], body))
    if isinstance(gold.get("boilerplate"), list):
        report.annotated.add("boilerplate")
        report.boilerplate_lines += len(gold["boilerplate"])
        report.leaked += leaked_lines(gold["boilerplate"], body if body is not None else
                                      (doc.text if doc else gold.get("text", "")))
    if doc is None:
        return
    line = GoldLine.of(gold, doc.text)
    for section, score in SCORERS:
        if isinstance(gold.get(section), list):
            report.annotated.add(section)
            getattr(report, section).add(score(gold, doc, line))
    report.missing += len(line.missing)


# -- reading gold and running the pipeline -----------------------------------------------
def read_gold(path) -> list[dict]:
    """The lines of a gold file, checked for the fields scoring relies on."""
    path = Path(path)
    if not path.exists():
        raise InputError.e("E101", item=str(path))
    opener = gzip.open if path.suffix == ".gz" else open
    lines = []
    with opener(path, "rt", encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                rec = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise GoldError.e("E201", item=str(path), line=n, reason=f"not valid JSON ({exc.msg})") from None
            if not isinstance(rec, dict):
                raise GoldError.e("E201", item=str(path), line=n, reason="not a JSON object")
            if not isinstance(rec.get("text"), str) and not rec.get("html_path"):
                raise GoldError.e("E201", item=str(path), line=n, reason="no 'text' or 'html_path'")
            for sec in (*SECTIONS, "boilerplate"):
                if sec in rec and rec[sec] is not None and not isinstance(rec[sec], list):
                    raise GoldError.e("E201", item=str(path), line=n, reason=f"'{sec}' is not a list")
            rec["_line"] = n
            lines.append(rec)
    if not lines:
        raise GoldError.e("E201", item=str(path), line=0, reason="no gold lines")
    return lines


def _html_body(rec: dict, folder: Path) -> str:
    """The article text extracted from the line's ``html_path`` ("" when nothing is extracted)."""
    from ..ingest.html import article_from_html
    from ..ingest.sources import decode

    path = folder / rec["html_path"]
    if not path.exists():
        raise GoldError.e("E201", item=str(folder), line=rec.get("_line", 0),
                          reason=f"html_path {rec['html_path']!r} not found")
    data = gzip.open(path, "rb").read() if path.suffix == ".gz" else path.read_bytes()
    try:
        return article_from_html(decode(data, str(path)), item=str(path)).text
    except InputError:
        return ""


def _needs_nlp(rec: dict) -> list[str]:
    return [s for s in SECTIONS if isinstance(rec.get(s), list)]


def _nlp_text(rec: dict, body: Optional[str]) -> str:
    """The text the pipeline reads: the gold text with boilerplate lines blanked (offsets kept)."""
    from ..ingest.html import blank_boilerplate_lines

    text = rec["text"] if isinstance(rec.get("text"), str) else (body or "")
    return blank_boilerplate_lines(text)


def predict(lines: list[dict], folder: Path, batch_size: int = 16,
            progress: Optional[Callable[[int, int], None]] = None
            ) -> Iterator[tuple[dict, Optional[Document], Optional[str]]]:
    """(gold line, predicted Document or None, extracted body or None) for every gold line.

    The pipeline runs only on lines that annotate events, quotes, timexes or claims, with only
    the stages those need; a line the pipeline fails on gets an empty Document with a warning.
    """
    from ..pipeline import STAGE_ORDER, Article, Pipeline

    needed = {st for rec in lines for sec in _needs_nlp(rec) for st in STAGES_FOR[sec]}
    pipe = Pipeline(stages=[s for s in STAGE_ORDER if s in needed]) if needed else None
    total = len(lines)
    for start in range(0, total, batch_size):
        chunk = lines[start:start + batch_size]
        bodies = [_html_body(r, folder) if r.get("html_path") else None for r in chunk]
        todo = [i for i, r in enumerate(chunk) if _needs_nlp(r)]
        arts = [Article(text=_nlp_text(chunk[i], bodies[i]), id=chunk[i].get("id"),
                        published=(chunk[i].get("published") or None)) for i in todo]
        docs: dict = {}
        if arts:
            try:
                docs = dict(zip(todo, pipe.pipe(arts, batch_size=batch_size)))
            except Exception:  # noqa: BLE001 - one bad article must not stop the set: retry one by one
                for i, art in zip(todo, arts):
                    try:
                        docs[i] = next(pipe.pipe([art]))
                    except Exception as exc:  # noqa: BLE001
                        docs[i] = Document(text=art.text, id=art.id,
                                           warnings=[f"E601 pipeline failed: {type(exc).__name__}: {exc}"])
        for i, rec in enumerate(chunk):
            yield rec, docs.get(i), bodies[i]
        if progress:
            progress(min(start + batch_size, total), total)


def read_predictions(path, lines: list[dict]) -> Iterator[tuple[dict, Optional[Document], Optional[str]]]:
    """Saved predictions (``--dump`` or ``eventwire extract -o`` output) paired with gold lines by
    ``gold_id`` or ``id``; a gold line without a prediction gets an empty Document."""
    from ..model import document_from_dict

    by_id = {}
    with open(path, encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            if raw.strip():
                try:
                    row = json.loads(raw)
                except json.JSONDecodeError as exc:
                    raise InputError.e("E105", item=str(path), line=n, reason=exc.msg) from None
                by_id[row.pop("gold_id", None) or row.get("id")] = row
    for rec in lines:
        row = by_id.get(rec.get("id"))
        body = (row or {}).get("text", "") if rec.get("html_path") else None
        if not _needs_nlp(rec):
            yield rec, None, body
            continue
        doc = document_from_dict(row) if row else Document(text=rec.get("text") or "")
        yield rec, doc, body


def evaluate_lines(lines: list[dict], folder: Path = Path("."), batch_size: int = 16,
                   progress=None, on_doc=None, predictions=None) -> Report:
    """Score ``lines``: the pipeline's predictions, or ``predictions`` (a PRED.jsonl path)."""
    report = Report()
    pairs = read_predictions(predictions, lines) if predictions else predict(lines, folder, batch_size, progress)
    for rec, doc, body in pairs:
        failed = [w for w in doc.warnings if w.startswith("E601")] if doc is not None else []
        if failed:
            report.failed += 1
            if len(report.failures) < 5:
                report.failures.append((rec.get("id"), failed[0]))
        score_line(rec, doc, body, report)
        if on_doc:
            on_doc(rec, doc, body)
    return report


def evaluate_file(path, limit: Optional[int] = None, **kw) -> Report:
    """Score the pipeline on a gold file: the Python form of ``eventwire evaluate``."""
    lines = read_gold(path)[:limit] if limit else read_gold(path)
    return evaluate_lines(lines, Path(path).resolve().parent, **kw)
