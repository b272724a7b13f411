"""Numeric claims: values, ranges, units, qualifiers, changes, rates and who claimed them.

A claim is a number with what it counts: "more than 5000 … soldiers a week" (5000 soldier, ">",
per week), "1,000 prisoners of war", "$1.5bn", "24%", "between 30 and 40 people" (30 to 40),
"hundreds of drones" (100 to 1,000). Numbers are read from digits, words and vague amounts
(``numbers.py``); the unit comes from a currency sign or unit word next to the number
(``data/claims/units.yaml``) or else from the noun the number counts (its lemma); qualifiers
("more than", "about", "up to", "or more") and change verbs ("rose 5%") say how the number relates
to the truth (``finder.py``).

Years, dates, clock times, ordinals, list markers, set phrases ("one-on-one"), numbers that are
part of a name ("F-35", "Article 5") and number words that stand for parties already named
("the two leaders") are not claims. The claimant is the speaker of the quote whose content holds
the number; a number in the writer's own words has no claimant (the outlet).
"""
from .finder import ClaimFinder
from .lexicon import ClaimLexicon, lexicon
from .numbers import Number, NumberReader

__all__ = ["ClaimFinder", "ClaimLexicon", "Number", "NumberReader", "lexicon"]
