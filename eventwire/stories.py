"""Stories: the same real-world event as reported by many articles, merged into one record.

Two event mentions belong to one story when they have the same PLOVER type, the same kind of
status (what happened, or what was planned, demanded, threatened …), compatible parties and
dates within ``WINDOW_DAYS`` of the story's previous mention. Parties are compared by country
where the text gives one (so "Trump" and "the United States" are the same side, as in GDELT's
actor codes) and by name otherwise; an undirected event ("Russia and Ukraine agreed") matches
either order. A story counts its mentions, articles and distinct outlets (GDELT's NumMentions,
NumArticles, NumSources), records its first report, and keeps the strongest single piece of
evidence: the mention with both parties named, a factual status and the highest confidence.

A big event is told in many ways: "Trump met Putin in Helsinki", "Putin arrived for the summit",
"the meeting with Trump". A mention that names only one side (the other unnamed or no party) is
the same event as the story of its type that has that side in it, within the window: the one its
own article already tells, else the one most articles tell. A meeting (CONSULT) has no direction:
"Putin met Trump" is the same meeting as "Trump met Putin".
"""
from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Iterable, Optional

WINDOW_DAYS = 3
# Reported and asserted events are the same fact told differently; other statuses are not facts.
# A meeting announced ("will meet on Monday") and then held is one event reported before and after.
STATUS_FAMILY = {"asserted": "happened", "reported": "happened", "planned": "happened"}
# Types whose events are mutual: who is the source is only how the sentence is worded.
SYMMETRIC_TYPES = frozenset({"CONSULT"})


def _party(row: dict, side: str) -> Optional[str]:
    country = row.get(f"{side}_country")
    if country:
        return country.upper()
    name = row.get(f"{side}_name")
    return name.lower() if name else None


def story_key(row: dict) -> tuple:
    """(type, status family, the two parties in a fixed order): the parties are sorted so that a
    report telling an event from the other side ("Ukraine and Russia agreed" beside "Russia agreed
    with Ukraine") lands in the same group; ``_direction`` tells whether that order is the text's."""
    src, tgt = _party(row, "source") or "", _party(row, "target") or ""
    return row["type"], STATUS_FAMILY.get(row["status"], row["status"]), *sorted((src, tgt))


def _direction(row: dict) -> Optional[bool]:
    """None for an undirected event, else whether its source sorts first (its order in the key)."""
    if row.get("undirected") or row.get("type") in SYMMETRIC_TYPES:
        return None
    src, tgt = _party(row, "source") or "", _party(row, "target") or ""
    return src <= tgt


def _compatible(direction: Optional[bool], members: list[dict]) -> bool:
    """An undirected mention fits any story; a directed one fits a story told in its direction
    or only undirected so far."""
    if direction is None:
        return True
    return all(d is None or d == direction for d in (_direction(m) for m in members))


def _day(value: Optional[str]) -> Optional[date]:
    try:
        return date.fromisoformat(value[:10]) if value and len(value) >= 10 else None
    except ValueError:
        return None


def _strength(row: dict) -> tuple:
    return (bool(row.get("source_name")) + bool(row.get("target_name")),
            row.get("status") in STATUS_FAMILY, row.get("confidence") or 0.0,
            -(row.get("sentence_end", 0) - row.get("sentence_start", 0)))


def _one_sided(row: dict) -> Optional[str]:
    """The country of the only side a mention names by country, else None."""
    src, tgt = row.get("source_country"), row.get("target_country")
    if bool(src) == bool(tgt):
        return None
    return (src or tgt).upper()


def _side_index(groups: dict) -> dict:
    """(type, status family, country) → the two-sided stories with that country on one side."""
    index: dict[tuple, list] = {}
    for key, clusters in groups.items():
        if "" in key[2:]:
            continue
        for members in clusters:
            days = [d for d in (_day(m.get("day")) for m in members) if d]
            if not days:
                continue
            entry = [min(days), max(days), members, {m["article_id"] for m in members}]
            for country in set(key[2:]):
                index.setdefault((key[0], key[1], country), []).append(entry)
    return index


def _attach(row: dict, index: dict, day: date) -> bool:
    """Put a one-sided mention into the story of its type that has its side in it."""
    side = _one_sided(row)
    fam = STATUS_FAMILY.get(row["status"], row["status"])
    best, best_rank = None, None
    window = timedelta(days=WINDOW_DAYS)
    for entry in index.get((row["type"], fam, side), ()):
        first, last, members, articles = entry
        if not (first - window <= day <= last + window):
            continue
        rank = (row["article_id"] in articles, len(articles))
        if best_rank is None or rank > best_rank:
            best, best_rank = entry, rank
    if best is None:
        return False
    best[2].append(row)
    best[3].add(row["article_id"])
    return True


def _cluster(row: dict, day, groups: dict) -> None:
    """Put a dated mention into the latest compatible story of its key within the window, or
    start a new story."""
    clusters = groups.setdefault(story_key(row), [])
    direction = _direction(row)
    for members in reversed(clusters):
        if (day - _day(members[-1].get("day"))).days > WINDOW_DAYS:
            break
        if _compatible(direction, members):
            members.append(row)
            return
    clusters.append([row])


def build_stories(events: Iterable[dict]) -> tuple[list[dict], list[dict]]:
    """(story rows, story_event rows) from event rows (as the store returns them)."""
    groups: dict[tuple, list[list[dict]]] = {}
    undated = []
    one_sided = []
    ordered = sorted(events, key=lambda r: (r.get("day") or "", r.get("published") or "", r["id"]))
    for row in ordered:
        if _one_sided(row) and _day(row.get("day")) is not None:
            one_sided.append(row)
            continue
        day = _day(row.get("day"))
        if day is None:
            undated.append(row)
            continue
        _cluster(row, day, groups)
    # One-sided mentions join a two-sided story of their type and side; the rest are clustered
    # among themselves as before.
    index = _side_index(groups)
    for row in one_sided:
        day = _day(row.get("day"))
        if _attach(row, index, day):
            continue
        _cluster(row, day, groups)
    # A mention with no date at all joins the latest story it fits (a report that did not
    # date what others dated is still the same event); with none, it stays a story of its own
    # article.
    for row in undated:
        clusters = groups.setdefault(story_key(row), [])
        direction = _direction(row)
        target = next((m for m in reversed(clusters) if _compatible(direction, m)), None)
        if target is None or (not any(_day(m.get("day")) for m in target)
                              and target[0]["article_id"] != row["article_id"]):
            clusters.append([row])
        else:
            target.append(row)

    stories, links = [], []
    for clusters in groups.values():
        for members in clusters:
            story = _story(members)
            stories.append(story)
            links.extend({"story_id": story["id"], "event_row": m["id"], "article_id": m["article_id"]}
                         for m in members)
    stories.sort(key=lambda s: s["id"])
    return stories, links


def _story(members: list[dict]) -> dict:
    first = min(members, key=lambda r: (r.get("published") or "9999", r["id"]))
    best = max(members, key=_strength)
    days = sorted(r["day"] for r in members if r.get("day"))
    outlets = {r.get("outlet") or f"article:{r['article_id']}" for r in members}
    goldsteins = [r["goldstein"] for r in members if r.get("goldstein") is not None]
    story_id = "S" + hashlib.sha1(first["id"].encode()).hexdigest()[:12]
    return {
        "id": story_id, "type": best["type"], "status": best["status"],
        "source_name": best.get("source_name"), "source_country": best.get("source_country"),
        "target_name": best.get("target_name"), "target_country": best.get("target_country"),
        "first_date": days[0] if days else None, "last_date": days[-1] if days else None,
        "first_reported": first.get("published"), "first_article_id": first["article_id"],
        "num_mentions": len(members), "num_articles": len({r["article_id"] for r in members}),
        "num_sources": len(outlets),
        "goldstein": round(sum(goldsteins) / len(goldsteins), 2) if goldsteins else None,
        "quad_class": best.get("quad_class"),
        "evidence_article_id": best["article_id"], "evidence_event_id": best["event_id"],
        "evidence_start": best["sentence_start"], "evidence_end": best["sentence_end"],
        "evidence_text": best["sentence_text"],
    }
