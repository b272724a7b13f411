"""Shared fixtures: one eventwire pipeline per test session, and the ../shared material."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("EVENTWIRE_SHARED", REPO.parent / "shared"))
SEED = SHARED / "corpus" / "seed" / "trump-putin-call.txt"
SEED_PUBLISHED = "2025-05-17"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or a skip (with the reason) when it is not there."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"shared material not found: {p} (clone the project with ../shared beside it)")
    return p


@pytest.fixture(scope="session")
def pipeline():
    from eventwire import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def seed_doc(pipeline):
    text = shared_path("corpus", "seed", "trump-putin-call.txt").read_text("utf-8")
    from eventwire.ingest.sources import article_from_string

    return next(pipeline.pipe([article_from_string(text, published=SEED_PUBLISHED, id="seed")]))
