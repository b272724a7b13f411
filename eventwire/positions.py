"""(being written) Negotiation positions."""


def build_positions(store, issues_path=None) -> list[dict]:
    return []
