"""One catalogue of error messages, each with a code a user can search for.

    EventwireError            every error eventwire raises on purpose; printed as one line
    ├── ModelError            the spaCy pipeline is missing or not the expected one   (E0xx)
    ├── InputError            an article or a file cannot be read                     (E1xx)
    ├── GoldError             a gold file does not follow GOLD_FORMAT.md              (E2xx)
    ├── StoreError            the database cannot be opened, migrated or written      (E3xx)
    ├── KnowledgeBaseError    a data file (actors, lexicons, ontology) is invalid     (E4xx)
    ├── FetchError            a URL or feed could not be fetched                      (E5xx)
    └── ExtractionError       one article made a pipeline stage fail                  (E6xx)

The CLI prints ``error: <code> <message>`` and exits non-zero; a traceback only with ``--debug``.
"""
from __future__ import annotations

MESSAGES = {
    "E001": "cannot load the spaCy model {model!r}: {reason}. Reinstall eventwire "
            "(pip install -e .) or set EVENTWIRE_SPACY_MODEL to an installed English pipeline",
    "E002": "the spaCy model {model!r} has {key}={got!r}, expected {want!r}",
    "E003": "the spaCy model {model!r} lacks the components: {missing}",
    "E101": "{item}: no such file or directory",
    "E102": "{item}: empty input",
    "E103": "{item}: looks binary, not text, HTML or JSONL",
    "E104": "{item}: larger than the limit of {limit} bytes",
    "E105": "{item}: line {line}: not valid JSON ({reason})",
    "E106": "{item}: line {line}: no 'text' or 'html' field",
    "E107": "{item}: no article text could be extracted from the HTML",
    "E108": "{item}: unsupported file type {suffix!r} (use .txt, .html, .htm, .jsonl, optionally .gz)",
    "E109": "{item}: invalid publication date {value!r} (use YYYY-MM-DD)",
    "E110": "{item}: cannot decode the text ({reason})",
    "E111": "{item}: text does not look like English (skipped)",
    "E112": "{item}: cannot read ({reason})",
    "E201": "{item}: line {line}: {reason}",
    "E301": "cannot open the store {url!r}: {reason}",
    "E302": "the store {url!r} has schema version {got}, newer than this eventwire ({want})",
    "E303": "the store {url!r} failed: {reason}",
    "E304": "export: {reason}",
    "E401": "{path}: {reason}",
    "E501": "{url}: {reason}",
    "E502": "{url}: refused to connect to {address} ({reason}); allow it on purpose with --allow-host {allow}",
    "E601": "{item}: extraction failed ({reason})",
    "E602": "cannot reach the Dask scheduler {address}: {reason}",
}


class EventwireError(Exception):
    """Base of every error eventwire raises on purpose."""

    code = "E000"

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        if code:
            self.code = code

    @classmethod
    def e(cls, code: str, **kw) -> "EventwireError":
        return cls(MESSAGES[code].format(**kw), code)

    def one_line(self) -> str:
        return f"{self.code} {' '.join(str(self).split())}"


class ModelError(EventwireError):
    pass


class InputError(EventwireError):
    pass


class GoldError(EventwireError):
    pass


class StoreError(EventwireError):
    pass


class KnowledgeBaseError(EventwireError):
    pass


class FetchError(EventwireError):
    pass


class ExtractionError(EventwireError):
    pass
