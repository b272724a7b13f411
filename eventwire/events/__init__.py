"""Event coding: the PLOVER/CAMEO ontology (ontology.py), the coder (coder.py), status (status.py)."""
