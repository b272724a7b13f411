"""Publication dates given with the input (which the store files articles under) must be
absolute: a relative word would be read against the ingesting machine's clock."""
from __future__ import annotations

import pytest

from eventwire.errors import InputError
from eventwire.ingest.sources import check_date


@pytest.mark.parametrize("relative", ["yesterday", "today", "now", "tomorrow", "last week", "2 days ago"])
def test_relative_words_are_not_publication_dates(relative):
    with pytest.raises(InputError) as err:
        check_date(relative, "item")
    assert err.value.code == "E109"


@pytest.mark.parametrize("value, stored", [("2025-05-17", "2025-05-17"), ("May 17, 2025", "2025-05-17"),
                                           ("2025-05-17T10:00Z", "2025-05-17T10:00:00+00:00")])
def test_absolute_dates_still_are(value, stored):
    assert check_date(value, "item") == stored


@pytest.mark.parametrize("implausible", ["1066-10-14", "2999-01-01", "2025-13-01"])
def test_implausible_dates_are_refused(implausible):
    with pytest.raises(InputError):
        check_date(implausible, "item")
