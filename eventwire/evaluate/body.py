"""Extracted article bodies against gold bodies, and boilerplate that leaked through."""
from __future__ import annotations

from collections import Counter
from typing import Iterable

from .common import PRF


def score_body(gold_body: str, extracted: str) -> PRF:
    """Token-multiset overlap of an extracted body with the gold body (AEB style)."""
    g, p = Counter(gold_body.split()), Counter(extracted.split())
    common = sum((g & p).values())
    return PRF(tp=common, fp=sum(p.values()) - common, fn=sum(g.values()) - common)


def leaked_lines(boilerplate: Iterable[str], body: str) -> int:
    """How many listed boilerplate lines still appear in the extracted body."""
    return sum(1 for b in boilerplate if b.strip() and b.strip() in body)
