"""(placeholder: filled in by its issue)"""


def add_cli(sub) -> None:
    pass
