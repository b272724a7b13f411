"""Calendar arithmetic for TIMEX3 values: ISO weeks, month steps, holidays, which year a
year-less date falls in."""
from __future__ import annotations

import datetime as dt
import re
from typing import Callable, Optional

def iso_week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    k = year * 12 + (month - 1) + n
    return k // 12, k % 12 + 1


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th ISO ``weekday`` (1 = Monday) of a month."""
    d = dt.date(year, month, 1)
    d += dt.timedelta(days=(weekday - d.isoweekday()) % 7)
    return d + dt.timedelta(weeks=n - 1)


def holiday_date(rule: str, year: int) -> dt.date:
    if rule == "US-THANKSGIVING":
        return nth_weekday(year, 11, 4, 4)
    if rule == "US-ELECTION":   # the Tuesday after the first Monday of November
        return nth_weekday(year, 11, 1, 1) + dt.timedelta(days=1)
    if rule == "US-MEMORIAL":   # the last Monday of May
        return nth_weekday(year, 6, 1, 1) - dt.timedelta(days=7)
    if rule == "US-LABOR":
        return nth_weekday(year, 9, 1, 1)
    if rule.startswith("EASTER"):
        return easter(year) + dt.timedelta(days=int(rule[6:] or 0))
    month, day = (int(x) for x in rule.split("-"))
    return dt.date(year, month, day)


def easter(year: int) -> dt.date:
    """Western Easter Sunday (the Gregorian computus, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def pick_year(dct: dt.date, direction: int, candidates: Callable[[int], Optional[dt.date]],
               strict: bool = False) -> Optional[dt.date]:
    """The date among last/this/next year's ``candidates`` that fits ``direction``.

    direction -1: the latest on or before the publication date, +1: the earliest on or after it,
    0: the closest. Unless ``strict``, tense only leans: a past clause keeps the past date unless
    the future one is less than half as far ("declared a dividend payable Dec. 7", written in
    October), and the other way round, since the tense read from the clause is often the
    reporting verb's rather than the date's own.
    """
    options = [d for d in (candidates(dct.year + k) for k in (-1, 0, 1)) if d is not None]
    past = max((d for d in options if d <= dct), default=None)
    fut = min((d for d in options if d >= dct), default=None)
    if past is None or fut is None:
        return past or fut
    back, ahead = (dct - past).days, (fut - dct).days
    if direction < 0:
        return past if strict or back <= 2 * ahead else fut
    if direction > 0:
        return fut if strict or ahead <= 2 * back else past
    return past if back <= ahead else fut


def safe_date(y: int, m: int, d: int) -> Optional[dt.date]:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def shift_ref(ref: str, unit: str, offset: int, parts: dict[str, str]) -> Optional[str]:
    m = re.match(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?", ref)
    year, month, day = int(m[1]), m[2] and int(m[2]), m[3] and int(m[3])
    if unit == "year":
        return str(year + offset)
    if unit == "month":
        if not month:
            return None
        y, mo = add_months(year, month, offset)
        return f"{y}-{mo:02d}"
    if not day:
        return None
    d = dt.date(year, month, day)
    if unit == "week":
        return iso_week(d + dt.timedelta(weeks=offset))
    d += dt.timedelta(days=offset)
    if unit in parts:
        return f"{d.isoformat()}T{parts[unit]}"
    return d.isoformat()

