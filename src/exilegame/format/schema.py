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

import datetime
import json
from typing import Any

import yaml

from exilegame.format import spec

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


# One example per key, as YAML; shown in the reference and offered by editors. A test checks
# that every key of spec.RECORDS has one and that each validates against its own schema.
EXAMPLES: dict[str, dict[str, str]] = {
    "manifest": {
        "title": "A Planet Without a Visa",
        "subtitle": '"Trotsky\'s last exile, 1929–1940"',
        "id": "planet-without-a-visa",
        "start": "turkey.alma-ata",
        "roles": "{secretary: {name: The secretary}}",
        "state": "{trust: 0, warned: false}",
        "phases": "[turkey, france]",
        "sources": "{deutscher-1963: {author: Isaac Deutscher, title: The Prophet Outcast, "
        "year: 1963}}",
        "people": "{sedova: {name: Natalia Sedova, entry: His wife.}}",
        "places": "{prinkipo: {name: Prinkipo, coords: [40.86, 29.12]}}",
        "endings": "[{id: default, title: The exile goes on, text: He wrote on.}]",
        "epilogue": "Trotsky was murdered in Coyoacán in August 1940.",
    },
    "role": {"name": "The secretary", "blurb": "You answer for his papers."},
    "variable": {
        "start": "2",
        "label": "Guard on the house",
        "show": "true",
        "min": "0",
        "max": "5",
    },
    "source": {
        "author": "Isaac Deutscher",
        "title": '"The Prophet Outcast: Trotsky 1929–1940"',
        "year": "1963",
        "url": "https://www.marxists.org/archive/trotsky/1930/mylife/",
        "note": "The standard biography.",
    },
    "person": {
        "name": "Natalia Sedova",
        "entry": "His wife, with him to the end.",
        "dates": "1882–1962",
        "fate": "Died in France in 1962.",
    },
    "place": {
        "name": "Prinkipo (Büyükada)",
        "country": "Turkey",
        "entry": "An island in the Sea of Marmara.",
        "coords": "[40.86, 29.12]",
    },
    "ending": {
        "id": "archive-saved",
        "title": "The papers survived",
        "text": "The archive reached Harvard.",
        "if": "archive >= 3",
    },
    "phase": {
        "phase": "turkey",
        "title": "The island",
        "span": '"1929–1933"',
        "intro": "January 1929. Moscow has decided.",
        "start": "alma-ata",
        "scenes": "{alma-ata: {date: 1929-01-22, place: alma-ata, text: The order came.}}",
        "outcome": "{history: He left Turkey in July 1933.}",
    },
    "scene": {
        "title": "The order",
        "date": "1929-01-22",
        "place": "alma-ata",
        "people": "[trotsky, sedova]",
        "role": "secretary",
        "text": "[The bus is waiting., {if: warned, text: You saw it coming.}]",
        "choices": "[{text: Carry the trunks out, go: train}]",
        "end": "game",
    },
    "choice": {
        "text": "Carry the trunks out to the bus",
        "go": "france.barbizon",
        "id": "trunks",
        "if": 'role == "secretary" and trust >= 2',
        "do": "trust += 1; warned = true",
        "show_locked": "true",
        "note": "The family kept most of the archive.",
        "source": "[trotsky-1930, deutscher-1963]",
        "documented": "false",
    },
    "outcome": {
        "history": "The Turkish years ended in July 1933.",
        "yours": "[{if: archive >= 4, text: You kept the papers safe.}]",
    },
    "variant": {"text": "You kept the papers safe.", "if": "archive >= 4"},
    "paragraph": {"text": "You saw it coming.", "if": "warned"},
}

KIND_NAMES = {
    "string": "text",
    "text": "text (prose)",
    "id": "id",
    "int": "whole number",
    "bool": "true / false",
    "value": "number, true/false or text",
    "year": "number or text",
    "date": "date: YYYY-MM-DD, YYYY-MM or YYYY",
    "scene-ref": "scene: `scene` or `phase.scene`",
    "place-ref": "place id",
    "role-ref": "role id",
    "condition": "condition",
    "effect": "effects",
    "coords": "[latitude, longitude]",
    "ids": "list of ids",
    "source-refs": "source key, or list of keys",
    "end": "`game`",
    "paragraphs": "text, or list of paragraphs",
    "variable": "a start value, or a variable",
}


def kind_name(kind: str) -> str:
    """How the reference names a kind: `map:role` is "mapping: id → role"."""
    if ":" in kind:
        shape, record = kind.split(":", 1)
        return {"record": record, "map": f"mapping: id → {record}", "list": f"list of {record}"}[
            shape
        ]
    return KIND_NAMES[kind]


REFERENCE_START = "<!-- reference:start (generated by `exilegame schema --reference`) -->"
REFERENCE_END = "<!-- reference:end -->"


def reference_markdown() -> str:
    """Every record and key of the format as Markdown tables, between the two markers."""
    out = [REFERENCE_START, ""]
    for record, fields in spec.RECORDS.items():
        out += [f"### `{record}`", "", "| key | type | default | meaning | example |"]
        out.append("|---|---|---|---|---|")
        for f in fields:
            default = "required" if f.required else (f.default or "none")
            if f.default in _JSON_DEFAULTS:
                default = f"`{f.default}`"
            example = EXAMPLES[record][f.name].replace("|", "\\|")
            doc = f.doc.replace("|", "\\|").replace("<", "&lt;")
            out.append(
                f"| `{f.name}` | {kind_name(f.kind)} | {default} | {doc} | `{f.name}: {example}` |"
            )
        out.append("")
    out.append(REFERENCE_END)
    return "\n".join(out) + "\n"


def example_value(record: str, key: str) -> Any:
    """The example of a key as an editor reads it (YAML 1.2: a date stays a string)."""

    def plain(value: Any) -> Any:
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    return plain(yaml.safe_load(EXAMPLES[record][key]))


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
        schema["examples"] = [example_value(name, field.name)]
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
