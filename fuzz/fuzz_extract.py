"""atheris fuzz target for the cheap layers of ``eventwire extract``.

    .venv/bin/python fuzz/fuzz_extract.py -atheris_runs=100000 CORPUS_DIR
    .venv/bin/python fuzz/run_fuzz.py --runs 100000        # seeds, run, crashes saved as regressions

One input is one file's bytes; its first byte picks how it is read (.txt, .html or .jsonl;
see KINDS). The
target runs what every article goes through before the models: decoding, HTML extraction, JSONL
records, date checks, cleaning, the language check, then the fast path's sentence split, cue
test and the join of the chunk Docs (tokeniser only, so 100k inputs take minutes, not days).
An ``EventwireError`` is the expected answer to bad input; any other exception is a crash, and
so is an article whose text does not survive the join unchanged.
"""
from __future__ import annotations

import os
import sys

os.environ.setdefault("OMP_NUM_THREADS", "1")

# Selected by the first byte. HTML costs ~50x a text input (trafilatura), so it gets 1 byte value
# in 8: the fuzzer then spends its time spread over all the layers.
KINDS = ("text", "html", "jsonl", "text", "jsonl", "text", "jsonl", "text")
_PIPE = None


def _pipeline():
    global _PIPE
    if _PIPE is None:
        from eventwire.pipeline import Pipeline

        _PIPE = Pipeline(stages=[], fast=True)
    return _PIPE


def articles_of(data: bytes):
    """The Articles (or InputErrors) eventwire reads from ``data`` as one file of the chosen kind."""
    from eventwire.errors import EventwireError
    from eventwire.ingest import sources

    if not data:
        return []
    kind, body = KINDS[data[0] % len(KINDS)], data[1:]
    out = []
    try:
        if kind == "jsonl":
            for n, line in enumerate(body.split(b"\n"), 1):
                if not line.strip():
                    continue
                try:
                    out.append(sources._article_from_line(line, "<fuzz>", n, None))
                except EventwireError as exc:
                    out.append(exc)
            return out
        text = sources.decode(body, "<fuzz>")
        if kind == "html":
            out.append(sources._from_html(text, "<fuzz>", None, {"id": "fuzz"}))
        else:
            out.append(sources.article_from_string(text, item="<fuzz>", id="fuzz"))
    except EventwireError as exc:
        out.append(exc)
    return out


def one_input(data: bytes) -> None:
    from eventwire.errors import EventwireError
    from eventwire.pipeline import Article

    pipe = _pipeline()
    for art in articles_of(data):
        if isinstance(art, EventwireError):
            assert art.code and art.one_line().count("\n") == 0
            continue
        assert isinstance(art, Article) and art.text.strip()
        art.text.encode("utf-8")  # no lone surrogates: the JSON output must be writable
        for v in (art.id, art.title, art.url, art.published):
            assert v is None or (isinstance(v, str) and "\n" not in v)
        plan = pipe._plan(art.text)
        assert "".join(c[1] for c in plan) == art.text
        joined = pipe._join(art.text, [(c, pipe.nlp.make_doc(c[1])) for c in plan])
        assert joined.text == art.text


def main() -> None:
    import atheris

    with atheris.instrument_imports(include=["eventwire"]):
        import eventwire.ingest.html  # noqa: F401
        import eventwire.ingest.sources  # noqa: F401
        import eventwire.pipeline  # noqa: F401
    _pipeline()
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
