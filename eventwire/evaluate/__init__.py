"""``eventwire evaluate GOLD.jsonl``: score the pipeline against a gold set (``GOLD_FORMAT.md``).

The scoring functions are pure: a gold line (a dict as read from the JSONL) and the predicted
``Document`` in, counts out. ``evaluate_lines`` runs the pipeline and adds the counts up; the
command prints them as a table or, with ``--json``, as one object whose keys are a contract
other tools read::

    {"articles": n,
     "events": {"type": {"p","r","f1"}, "full": {...}, "span": {...}, "status_accuracy", "date_accuracy"},
     "quotes": {"p","r","f1","speaker_accuracy"}, "timexes": {"p","r","f1","value_accuracy"},
     "claims": {"p","r","f1","value_unit_f1","change_accuracy","value_max_accuracy"}, "body": {"p","r","f1"},
     "stances": {"p","r","f1","object_overlap"},
     "boilerplate": {"leaked_lines"}}

A section appears only when some gold line annotates it. A figure with nothing to count is null.

Matching, as GOLD_FORMAT.md fixes it: a prediction belongs to a gold sentence when their spans
overlap; each gold item matches at most one prediction, greedily, best pair first, required gold
before optional gold. Predictions that start at or after ``annotated_chars`` are ignored;
events, quotes and timexes inside a listed boilerplate line are false positives.
"""
from .body import leaked_lines, score_body
from .claims import (
    CLAIM_TOLERANCE,
    ClaimScores,
    same_value,
    score_claims,
    unit_words,
    units_agree,
)
from .cli import add_cli, format_table, run_evaluate
from .common import PRF, SECTIONS, STAGES_FOR, Accuracy, GoldLine, overlaps
from .events import EventScores, score_events
from .quotes import (
    QUOTE_MIN_JACCARD,
    QuoteScores,
    jaccard,
    score_quotes,
    speaker_right,
    tokens,
)
from .report import (
    Report,
    evaluate_file,
    evaluate_lines,
    predict,
    read_gold,
    read_predictions,
    score_line,
)
from .stances import StanceScores, score_stances
from .timexes import TimexScores, norm_timex_value, score_timexes

__all__ = [
    "PRF", "Accuracy", "GoldLine", "Report", "EventScores", "QuoteScores", "TimexScores", "ClaimScores",
    "SECTIONS", "STAGES_FOR", "CLAIM_TOLERANCE", "QUOTE_MIN_JACCARD",
    "score_events", "score_quotes", "score_timexes", "score_claims", "score_stances", "StanceScores", "score_body", "leaked_lines",
    "score_line", "read_gold", "read_predictions", "predict", "evaluate_lines", "evaluate_file",
    "add_cli", "run_evaluate", "format_table",
    "jaccard", "tokens", "speaker_right", "same_value", "unit_words", "units_agree", "norm_timex_value", "overlaps",
]
