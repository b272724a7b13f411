"""The public surface changes only on purpose, and the README keeps up with the CLI."""
from __future__ import annotations

import re

import eventwire
from eventwire.cli import build_parser

from conftest import REPO


def test_public_names_are_deliberate():
    assert sorted(eventwire.__all__) == sorted([
        "SCHEMA_VERSION", "Actor", "ActorRef", "Article", "Claim", "Document", "Event",
        "EventwireError", "InputError", "Mention", "ModelError", "Pipeline", "Quote", "Span",
        "Timex", "__version__", "document_from_dict", "extract",
    ])
    for name in eventwire.__all__:
        assert hasattr(eventwire, name), name


def test_every_command_is_in_the_readme():
    readme = (REPO / "README.md").read_text("utf-8")
    sub = next(a for a in build_parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    missing = [c for c in sub.choices if not re.search(rf"eventwire {c}\b", readme)]
    assert not missing, f"commands not documented in README.md: {missing}"


def test_readme_test_command_is_what_ci_runs():
    readme = (REPO / "README.md").read_text("utf-8")
    ci = (REPO / ".ci" / "run").read_text("utf-8")
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, re.S)
    test_cmd = next(b for b in blocks if "pytest" in b)
    assert test_cmd.strip() in ci
