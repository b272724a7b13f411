"""The JSON Schema (draft 2020-12) of eventwire's output, ``Document.to_dict()``.

Generated from the dataclasses in ``model.py`` so that it cannot drift from what is written:
each dataclass becomes a ``$defs`` entry, each field a property typed from its annotation; the
closed vocabularies (PLOVER types, statuses, actor kinds, TIMEX3 types, claim changes) become
enums. ``eventwire schema`` prints it.
"""
from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any

from . import model

SCHEMA_URL = "https://json-schema.org/draft/2020-12/schema"

# Fields whose values come from a closed list in model.py.
ENUMS = {
    ("Actor", "kind"): model.ACTOR_KINDS,
    ("Event", "type"): model.PLOVER_TYPES,
    ("Event", "status"): model.EVENT_STATUSES,
    ("Timex", "type"): model.TIMEX_TYPES,
    ("Claim", "change"): model.CLAIM_CHANGES,
}
_PRIMITIVES = {str: "string", int: "integer", float: "number", bool: "boolean"}


def _type_schema(tp: Any, owner: str, name: str) -> dict:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        options = [_type_schema(a, owner, name) for a in args if a is not type(None)]
        schema = options[0] if len(options) == 1 else {"anyOf": options}
        if type(None) in args:
            schema = {"anyOf": [schema, {"type": "null"}]} if "$ref" in schema or "anyOf" in schema \
                else {**schema, "type": [schema["type"], "null"]}
            if "enum" in schema:
                schema["enum"] = [*schema["enum"], None]
        return schema
    if origin in (list, typing.List):
        return {"type": "array", "items": _type_schema(args[0], owner, name) if args else {}}
    if origin in (dict, typing.Dict):
        return {"type": "object"}
    if dataclasses.is_dataclass(tp):
        return {"$ref": f"#/$defs/{tp.__name__}"}
    if tp is float:
        return {"type": "number"}
    if tp in _PRIMITIVES:
        schema = {"type": _PRIMITIVES[tp]}
        if (owner, name) in ENUMS:
            schema["enum"] = list(ENUMS[(owner, name)])
        return schema
    return {}


def _doc_line(cls: type) -> str:
    return (cls.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ").strip()


def _class_schema(cls: type) -> dict:
    hints = typing.get_type_hints(cls, vars(model))
    props = {}
    for f in dataclasses.fields(cls):
        props[f.name] = _type_schema(hints[f.name], cls.__name__, f.name)
    return {"type": "object", "description": _doc_line(cls), "properties": props,
            "required": [f.name for f in dataclasses.fields(cls)], "additionalProperties": False}


def _dataclasses_under(cls: type, seen: dict) -> None:
    if cls.__name__ in seen:
        return
    seen[cls.__name__] = cls
    for tp in typing.get_type_hints(cls, vars(model)).values():
        stack = [tp]
        while stack:
            t = stack.pop()
            if dataclasses.is_dataclass(t):
                _dataclasses_under(t, seen)
            stack.extend(typing.get_args(t))


def output_schema() -> dict:
    """JSON Schema of one output line (``Document.to_dict()``), version ``model.SCHEMA_VERSION``."""
    classes: dict = {}
    _dataclasses_under(model.Document, classes)
    defs = {name: _class_schema(cls) for name, cls in sorted(classes.items()) if name != "Document"}
    root = _class_schema(model.Document)
    root["properties"]["schema"] = {"const": model.SCHEMA_VERSION}
    return {
        "$schema": SCHEMA_URL,
        "$id": f"https://eventwire.invalid/schema/{model.SCHEMA_VERSION}.json",
        "title": f"eventwire output ({model.SCHEMA_VERSION})",
        "version": model.SCHEMA_VERSION,
        **root,
        "$defs": defs,
    }
