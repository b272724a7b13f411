"""Actors: the knowledge base (kb.py) and mention resolution with coreference (resolve.py)."""
