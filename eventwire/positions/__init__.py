from ..positions_old import *  # noqa  (temporary)
from ..positions_old import build_positions, format_matrix, load_conflicts, matrix  # noqa
