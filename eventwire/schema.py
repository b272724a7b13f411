"""(placeholder) JSON Schema of the output."""


def output_schema() -> dict:
    return {}
