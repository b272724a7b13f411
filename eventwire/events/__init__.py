"""Event coding: candidates (every pair of actor mentions in a sentence, candidates.py), the learned
decision over them (decide.py, weights in data/models/), the coder that turns decisions into
events (coder.py; its older frame reader, frames.py + classifier.py, supplies features), status
(status.py), the PLOVER/CAMEO ontology (ontology.py) and training (train.py, parsed.py)."""
