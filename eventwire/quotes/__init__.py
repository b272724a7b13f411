"""Direct and indirect quotes with their speakers, cues and channels (see ``finder.py``)."""
from .finder import QuoteFinder
from .marks import find_quoted, lexicon

__all__ = ["QuoteFinder", "find_quoted", "lexicon"]
