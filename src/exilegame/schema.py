"""The JSON Schema (draft 2020-12) of scene files, generated from `spec.RECORDS`.

One schema serves both kinds of file: a mapping with a `phase:` key is a phase file, any
other is the manifest. Editors with a YAML language server use it to underline unknown keys
and wrong types and to show each key's meaning on hover. Because it is generated from the
same table the loader checks against, the two cannot drift; docs/scene.schema.json is the
committed copy, and a test keeps it equal to `build()`.

The schema is as lenient as the loader where the loader is lenient (prose may be written as
a bare number), so an editor never flags a file that `exilegame check` accepts; the loader
still checks what a schema cannot (references, expressions, dates that do not exist).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from . import spec

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILE = "scene.schema.json"
ID = "^[A-Za-z0-9][A-Za-z0-9_-]*$"
_ID_PART = "[A-Za-z0-9][A-Za-z0-9_-]*"

_SCALAR_TEXT: dict[str, Any] = {"type": ["string", "number", "boolean"]}
_ID_SCHEMA: dict[str, Any] = {"type": "string", "pattern": ID}

KIND_SCHEMAS: dict[str, dict[str, Any]] = {
    "string": _SCALAR_TEXT,
    "text": _SCALAR_TEXT,
    "id": _ID_SCHEMA,
    "int": {"type": "integer"},
    "bool": {"type": "boolean"},
    "value": {"type": ["integer", "boolean", "string"]},
    "year": {"type": ["integer", "string"]},
    "date": {
        "type": ["string", "integer"],
        "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
        "minimum": 1,
        "maximum": 9999,
    },
    "scene-ref": {"type": "string", "pattern": f"^{_ID_PART}(\\.{_ID_PART})?$"},
    "place-ref": _ID_SCHEMA,
    "role-ref": _ID_SCHEMA,
    "condition": {"type": ["string", "boolean"], "minLength": 1},
    "effect": {"type": "string", "minLength": 1},
    "coords": {
        "type": "array",
        "prefixItems": [
            {"type": "number", "minimum": -90, "maximum": 90},
            {"type": "number", "minimum": -180, "maximum": 180},
        ],
        "minItems": 2,
        "maxItems": 2,
    },
    "ids": {"oneOf": [_ID_SCHEMA, {"type": "array", "items": _ID_SCHEMA}]},
    "source-refs": {"oneOf": [_ID_SCHEMA, {"type": "array", "items": _ID_SCHEMA}]},
    "end": {"enum": ["game"]},
    "paragraphs": {
        "oneOf": [
            _SCALAR_TEXT,
            {
                "type": "array",
                "items": {"oneOf": [_SCALAR_TEXT, {"$ref": "#/$defs/paragraph"}]},
            },
        ]
    },
    "variable": {
        "oneOf": [{"type": ["integer", "boolean", "string"]}, {"$ref": "#/$defs/variable"}]
    },
}

# Defaults that are plain JSON values; the others ("the folder's name") stay prose.
_JSON_DEFAULTS: dict[str, Any] = {'""': "", "false": False, "true": True, "[]": [], "{}": {}}

_RECORD_TITLES = {
    "manifest": "The manifest, story.yaml",
    "phase": "A phase file, <phase>.yaml",
}


def _kind_schema(kind: str) -> dict[str, Any]:
    """The schema of one field kind, as a fresh dict (descriptions are added to it)."""
    if ":" in kind:
        shape, record = kind.split(":", 1)
        ref: dict[str, Any] = {"$ref": f"#/$defs/{record}"}
        if record in KIND_SCHEMAS:  # "variable": a bare start value, or the record
            ref = _kind_schema(record)
        if shape == "record":
            return dict(ref)
        if shape == "map":
            return {
                "type": "object",
                "propertyNames": {"pattern": ID},
                "additionalProperties": ref,
            }
        if shape == "list":
            return {"type": "array", "items": ref}
        raise ValueError(f"unknown record shape in kind {kind!r}")
    if kind not in KIND_SCHEMAS:
        raise ValueError(f"no schema for the kind {kind!r}")
    return json.loads(json.dumps(KIND_SCHEMAS[kind]))  # a deep copy


def _describe(field: spec.Field) -> str:
    text = field.doc
    if field.required:
        return f"{text} Required."
    if field.default:
        return f"{text} Default: {field.default}."
    return text


def record_schema(name: str) -> dict[str, Any]:
    """The schema of one record of spec.RECORDS: its keys, required ones, nothing else."""
    properties = {}
    for field in spec.RECORDS[name]:
        schema = _kind_schema(field.kind)
        schema["description"] = _describe(field)
        if field.default in _JSON_DEFAULTS:
            schema["default"] = _JSON_DEFAULTS[field.default]
        properties[field.name] = schema
    out: dict[str, Any] = {"type": "object"}
    if name in _RECORD_TITLES:
        out["title"] = _RECORD_TITLES[name]
    out["properties"] = properties
    required = [f.name for f in spec.RECORDS[name] if f.required]
    if required:
        out["required"] = required
    out["additionalProperties"] = False
    return out


def build() -> dict[str, Any]:
    """The whole schema: a phase file when `phase:` is present, else the manifest."""
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "exilegame scene file",
        "description": (
            "A file of an exilegame story: the manifest story.yaml, or a phase file with "
            "`phase:`. Generated by `exilegame schema` from the scene format (spec.py); "
            "see docs/scene-format.md."
        ),
        "type": "object",
        "if": {"type": "object", "required": ["phase"]},
        "then": {"$ref": "#/$defs/phase"},
        "else": {"$ref": "#/$defs/manifest"},
        "$defs": {name: record_schema(name) for name in spec.RECORDS},
    }


def dumps() -> str:
    """The schema as the text committed in docs/scene.schema.json."""
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


def main(args: argparse.Namespace) -> int:
    """`exilegame schema [-o FILE]`."""
    text = dumps()
    if args.output is None:
        sys.stdout.write(text)
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)
    return 0
