"""The claim finder's word lists (``eventwire/data/claims/*.yaml``), read once."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..datafiles import load_yaml
from ..errors import KnowledgeBaseError


def _lower_map(table: dict, cast=str) -> dict:
    return {str(k).lower(): cast(v) for k, v in (table or {}).items()}


def _forms(table: dict) -> dict:
    """{form: unit name} from {unit name: [forms]}; a form listed twice keeps its first unit."""
    out: dict = {}
    for name, forms in (table or {}).items():
        for form in forms:
            out.setdefault(str(form).lower(), str(name))
    return out


def _phrases(table: dict) -> tuple:
    """(words tuple, change) pairs, longest first, so that "just over" wins over "over"."""
    return tuple(sorted(((tuple(str(k).lower().split()), v) for k, v in (table or {}).items()),
                        key=lambda x: -len(x[0])))


@dataclass(frozen=True)
class ClaimLexicon:
    small: dict                 # number word -> value
    scales: dict                # multiplier word -> factor
    suffixes: dict              # "bn" -> 1e9
    spaced_suffixes: frozenset  # "1.5 bn"
    fractions: dict             # "third" -> 1/3
    glyphs: dict                # "½" -> 0.5
    pairs: tuple                # (("a", "pair", "of"), 2)
    vague: dict                 # "hundreds" / "tens of thousands" -> (low, high)
    vague_before_scale: tuple   # ("several",), ("a", "few")
    ordinals: frozenset
    months: frozenset
    time_words: frozenset
    time_nouns: frozenset
    units_before: dict
    units_after: dict
    units_glued: dict
    spellings: dict
    qualifiers_before: tuple    # (words, change), longest first
    qualifiers_after: tuple
    up: frozenset
    down: frozenset
    up_nouns: frozenset         # "a 6% increase" (beside the verbs' lemmas, which nouns share)
    down_nouns: frozenset
    idioms: tuple               # word tuples
    speaker_nouns: frozenset
    speech_verbs: frozenset
    party_nouns: frozenset
    anaphoric: frozenset
    modals: frozenset           # "could one day"
    casualty_words: frozenset   # "130 dead": the word after a bare number that says what it counts
    rate_nouns: frozenset       # "25 points a game"
    rate_adverbs: dict          # "annually" -> year
    starters: frozenset         # lower-case words that may open a number

    @property
    def longest_unit(self) -> int:
        return max(len(k.split()) for k in self.units_after)


@lru_cache(maxsize=1)
def lexicon() -> ClaimLexicon:
    nums, units, quals, changes, nots = (load_yaml("claims", f) for f in (
        "numbers.yaml", "units.yaml", "qualifiers.yaml", "changes.yaml", "not_claims.yaml"))
    try:
        small = _lower_map(nums["small"], float)
        scales = _lower_map(nums["scales"], float)
        fractions = _lower_map(nums["fractions"], float)
        vague = {k.lower(): (float(v[0]), float(v[1])) for k, v in nums["vague"].items()}
        pairs = tuple((tuple(k.lower().split()), float(v)) for k, v in nums["pairs"].items())
        before_scale = tuple(tuple(w.lower().split()) for w in nums["vague_before_scale"])
        starters = set(small) | set(scales) | {k.split()[0] for k in vague} | {"a", "an", "half"}
        starters |= {p[0] for p, _ in pairs} | {w[0] for w in before_scale}
        return ClaimLexicon(
            small=small, scales=scales, suffixes=_lower_map(nums["suffixes"], float),
            spaced_suffixes=frozenset(nums["spaced_suffixes"]),
            fractions=fractions, glyphs={str(k): float(v) for k, v in nums["glyphs"].items()},
            pairs=pairs, vague=vague, vague_before_scale=before_scale,
            ordinals=frozenset(w.lower() for w in nums["ordinals"]),
            months=frozenset(w.lower() for w in nums["months"]),
            time_words=frozenset(str(w).lower() for w in nums["time_words"]),
            time_nouns=frozenset(w.lower() for w in nums["time_nouns"]),
            units_before=_forms(units["before"]), units_after=_forms(units["after"]),
            units_glued=_forms(units["glued"]), spellings=_lower_map(units.get("spellings")),
            qualifiers_before=_phrases(quals["before"]), qualifiers_after=_phrases(quals["after"]),
            up=frozenset(changes["up"]), down=frozenset(changes["down"]),
            up_nouns=frozenset(changes["up_nouns"]), down_nouns=frozenset(changes["down_nouns"]),
            idioms=tuple(tuple(str(p).lower().split()) for p in nots["idioms"]),
            speaker_nouns=frozenset(nots["speaker_nouns"]),
            speech_verbs=frozenset(nots["speech_verbs"]), party_nouns=frozenset(nots["party_nouns"]),
            anaphoric=frozenset(nots["anaphoric"]), modals=frozenset(nots["modals"]),
            casualty_words=frozenset(units["casualty_words"]), rate_nouns=frozenset(units["rate_nouns"]),
            rate_adverbs=_lower_map(units["rate_adverbs"]),
            starters=frozenset(starters),
        )
    except (KeyError, TypeError, AttributeError, ValueError, IndexError) as exc:
        raise KnowledgeBaseError.e("E401", path="eventwire/data/claims", reason=f"bad entry: {exc}") from None
