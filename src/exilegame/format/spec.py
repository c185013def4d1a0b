"""The scene format, declared once: every record, its keys, their kinds, defaults and meaning.

Every key of every record has a `Field`: its kind, meaning, default and an example. Every
kind has a `Kind`: how the reference names it, its JSON Schema, and the loader method that
reads it. The loader checks files against these tables (unknown keys, missing keys, wrong
kinds, each value read by its kind's reader), and `exilegame schema` turns the same tables
into the JSON Schema and the reference that editors and authors read, so they cannot drift.

This module is longer than 400 lines because it is one declaration: a table with a row per
key of the format. Split, a record's keys would live apart from the kinds they use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

__all__ = [
    "ID_PATTERN",
    "KINDS",
    "RECORDS",
    "Field",
    "Kind",
    "fields_of",
    "readers_of",
    "required_of",
]


@dataclass(frozen=True, slots=True)
class Field:
    """One key of a record."""

    name: str
    kind: str  # one of the kinds listed below
    doc: str
    required: bool = False
    default: str = ""  # as shown to authors
    example: str = ""  # one value, as YAML: shown in the reference and offered by editors


@dataclass(frozen=True, slots=True)
class Kind:
    """What a kind of value is: its name for authors, its JSON Schema, and its reader.

    `reader` names the loader method that reads a value of this kind, called as
    `reader(path, node, what)`; "" for `variable`, which only appears nested in `map:`.
    """

    name: str
    schema: Mapping[str, Any]
    reader: str


# An id (see ids.py): letters of any alphabet and digits, then also - and _. JSON Schema's
# regular expressions have no Unicode classes that both Python and editors read, so here any
# non-ASCII character passes and ASCII punctuation does not; the loader checks exactly.
_ID_PART = (
    r"[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f][^\x00-\x2c\x2e\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]*"
)
ID_PATTERN = f"^{_ID_PART}$"
_SCALAR_TEXT: dict[str, Any] = {"type": ["string", "number", "boolean"]}
_ID_SCHEMA: dict[str, Any] = {"type": "string", "pattern": ID_PATTERN}
_IDS_SCHEMA: dict[str, Any] = {"oneOf": [_ID_SCHEMA, {"type": "array", "items": _ID_SCHEMA}]}

# Nested records are written "record:<name>", "map:<name>" (keyed by ids) and "list:<name>";
# every other kind is one of these.
KINDS: dict[str, Kind] = {
    "string": Kind("text", _SCALAR_TEXT, "string"),
    "text": Kind("text (prose)", _SCALAR_TEXT, "prose"),
    "id": Kind("id", _ID_SCHEMA, "ident"),
    "int": Kind("whole number", {"type": "integer"}, "integer"),
    "bool": Kind("true / false", {"type": "boolean"}, "flag"),
    "value": Kind(
        "number, true/false or text", {"type": ["integer", "boolean", "string"]}, "value"
    ),
    "year": Kind("number or text", {"type": ["integer", "string"]}, "string"),
    "date": Kind(
        "date: YYYY-MM-DD, YYYY-MM or YYYY",
        {
            "type": ["string", "integer"],
            "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
            "minimum": 1,
            "maximum": 9999,
        },
        "date",
    ),
    "scene-ref": Kind(
        "scene: `scene` or `phase.scene`",
        {"type": "string", "pattern": f"^{_ID_PART}(\\.{_ID_PART})?$"},
        "scene_ref",
    ),
    "place-ref": Kind("place id", _ID_SCHEMA, "place_ref"),
    "role-ref": Kind("role id", _ID_SCHEMA, "role_ref"),
    "condition": Kind("condition", {"type": ["string", "boolean"], "minLength": 1}, "condition"),
    "effect": Kind("effects", {"type": "string", "minLength": 1}, "effect"),
    "coords": Kind(
        "[latitude, longitude]",
        {
            "type": "array",
            "prefixItems": [
                {"type": "number", "minimum": -90, "maximum": 90},
                {"type": "number", "minimum": -180, "maximum": 180},
            ],
            "minItems": 2,
            "maxItems": 2,
        },
        "coords",
    ),
    "ids": Kind("list of ids", _IDS_SCHEMA, "ids"),
    "person-refs": Kind("list of ids", _IDS_SCHEMA, "person_refs"),
    "source-refs": Kind("source key, or list of keys", _IDS_SCHEMA, "source_refs"),
    "end": Kind("`game`", {"enum": ["game"]}, "end"),
    "texts": Kind("list of text", {"type": "array", "items": _SCALAR_TEXT}, "texts"),
    "paragraphs": Kind(
        "text, or list of paragraphs",
        {
            "oneOf": [
                _SCALAR_TEXT,
                {
                    "type": "array",
                    "items": {"oneOf": [_SCALAR_TEXT, {"$ref": "#/$defs/paragraph"}]},
                },
            ]
        },
        "paragraphs",
    ),
    "variable": Kind(
        "a start value, or a variable",
        {"oneOf": [{"type": ["integer", "boolean", "string"]}, {"$ref": "#/$defs/variable"}]},
        "",
    ),
}


RECORDS: dict[str, tuple[Field, ...]] = {
    "manifest": (
        Field(
            "title",
            "string",
            "The story's title, shown on the title screen.",
            required=True,
            example="A Planet Without a Visa",
        ),
        Field(
            "subtitle",
            "string",
            "A line shown under the title.",
            default='""',
            example='"Trotsky\'s last exile, 1929–1940"',
        ),
        Field(
            "id",
            "id",
            "Names the story for saves and the explored-paths record; keep it stable.",
            default="the folder's name",
            example="planet-without-a-visa",
        ),
        Field(
            "start",
            "scene-ref",
            "Where a new game begins: phase.scene, or a bare scene of the first phase.",
            default="the first phase's start scene",
            example="turkey.alma-ata",
        ),
        Field(
            "roles",
            "map:role",
            "Who the player can be, keyed by role id.",
            required=True,
            example="{secretary: {name: The secretary}}",
        ),
        Field(
            "state",
            "map:variable",
            "Every variable the story uses, with its starting value.",
            default="{}",
            example="{trust: 0, warned: false}",
        ),
        Field(
            "phases",
            "ids",
            "The phases in play order; each needs a file <id>.yaml.",
            required=True,
            example="[turkey, france]",
        ),
        Field(
            "sources",
            "map:source",
            "The bibliography, keyed by the keys notes cite.",
            default="{}",
            example="{deutscher-1963: {author: Isaac Deutscher, title: The Prophet Outcast, "
            "year: 1963}}",
        ),
        Field(
            "people",
            "map:person",
            "The journal's people, keyed by id.",
            default="{}",
            example="{sedova: {name: Natalia Sedova, entry: His wife.}}",
        ),
        Field(
            "places",
            "map:place",
            "The journal's and the map's places, keyed by id.",
            default="{}",
            example="{prinkipo: {name: Prinkipo, coords: [40.86, 29.12]}}",
        ),
        Field(
            "endings",
            "list:ending",
            "How the game can end; the first whose `if` holds is reached.",
            default="one plain ending",
            example="[{id: default, title: The exile goes on, text: He wrote on.}]",
        ),
        Field(
            "epilogue",
            "paragraphs",
            "Prose shown before the fates when the game ends: text, or paragraphs with `if`.",
            default='""',
            example="Trotsky was murdered in Coyoacán in August 1940.",
        ),
    ),
    "role": (
        Field(
            "name",
            "string",
            "The role's name as the player reads it.",
            required=True,
            example="The secretary",
        ),
        Field(
            "blurb",
            "text",
            "What this role will face, shown when choosing.",
            default='""',
            example="You answer for his papers.",
        ),
        Field(
            "perspective",
            "text",
            "Whose view this is: who this person is in the story and what they could and could "
            "not see; printed in the debrief of an exported run.",
            default='""',
            example="A secretary sees the letters, not the street.",
        ),
    ),
    "variable": (
        Field(
            "start",
            "value",
            "The starting value; its type is the variable's type.",
            required=True,
            example="2",
        ),
        Field(
            "label",
            "string",
            "How the side panel names it.",
            default="the name",
            example="Guard on the house",
        ),
        Field(
            "show",
            "bool",
            "Whether the player sees it in the side panel (a flag shows once it is true).",
            default="false",
            example="true",
        ),
        Field("min", "int", "Numbers are kept at or above this after every effect.", example="0"),
        Field("max", "int", "Numbers are kept at or below this after every effect.", example="5"),
    ),
    "source": (
        Field("author", "string", "Author or publisher.", required=True, example="Isaac Deutscher"),
        Field(
            "title",
            "string",
            "Title of the work or page.",
            required=True,
            example='"The Prophet Outcast: Trotsky 1929–1940"',
        ),
        Field("year", "year", "Year of publication.", required=True, example="1963"),
        Field(
            "url",
            "string",
            "Where to read it, if online.",
            example="https://www.marxists.org/archive/trotsky/1930/mylife/",
        ),
        Field(
            "note",
            "text",
            "Anything a reader should know about this source.",
            example="The standard biography.",
        ),
    ),
    "person": (
        Field("name", "string", "Full name.", required=True, example="Natalia Sedova"),
        Field(
            "entry",
            "text",
            "Who they were, in a sentence or three.",
            required=True,
            example="His wife, with him to the end.",
        ),
        Field("dates", "string", "Birth and death, e.g. 1882–1962.", example="1882–1962"),
        Field(
            "fate",
            "text",
            "What became of them; shown in the epilogue if the player met them.",
            example="Died in France in 1962.",
        ),
    ),
    "place": (
        Field("name", "string", "The place's name.", required=True, example="Prinkipo (Büyükada)"),
        Field("country", "string", "Country, as it was then.", example="Turkey"),
        Field(
            "entry",
            "text",
            "A short description for the journal.",
            example="An island in the Sea of Marmara.",
        ),
        Field("coords", "coords", "[latitude, longitude], for the map.", example="[40.86, 29.12]"),
    ),
    "ending": (
        Field(
            "id",
            "id",
            "Names the ending in the explored-paths record.",
            required=True,
            example="archive-saved",
        ),
        Field(
            "title", "string", "The ending's title.", required=True, example="The papers survived"
        ),
        Field(
            "text",
            "paragraphs",
            "What the ending says: text, or a list of paragraphs, each text or {if, text}.",
            required=True,
            example="The archive reached Harvard.",
        ),
        Field(
            "if",
            "condition",
            "Reached only when this holds.",
            default="always",
            example="archive >= 3",
        ),
    ),
    "phase": (
        Field(
            "phase",
            "id",
            "The phase id; must equal the file name without .yaml.",
            required=True,
            example="turkey",
        ),
        Field("title", "string", "The phase's title.", required=True, example="The island"),
        Field(
            "span",
            "string",
            'The years it covers, as shown: "1929–1933".',
            default='""',
            example='"1929–1933"',
        ),
        Field(
            "intro",
            "text",
            "A paragraph shown when the phase begins.",
            default='""',
            example="January 1929. Moscow has decided.",
        ),
        Field(
            "start",
            "id",
            "The scene where the phase begins.",
            default="the first scene in the file",
            example="alma-ata",
        ),
        Field(
            "scenes",
            "map:scene",
            "The phase's scenes, keyed by id.",
            required=True,
            example="{alma-ata: {date: 1929-01-22, place: alma-ata, text: The order came.}}",
        ),
        Field(
            "outcome",
            "record:outcome",
            "The historical outcome summary shown at the phase's end.",
            required=True,
            example="{history: He left Turkey in July 1933.}",
        ),
    ),
    "scene": (
        Field(
            "title",
            "string",
            "A heading for the scene.",
            default="the place's name",
            example="The order",
        ),
        Field(
            "date",
            "date",
            "When: 1929-02-12, 1929-02 or 1929.",
            required=True,
            example="1929-01-22",
        ),
        Field(
            "place",
            "place-ref",
            "Where: one of the manifest's places.",
            required=True,
            example="alma-ata",
        ),
        Field(
            "people",
            "person-refs",
            "Who appears; they enter the journal.",
            default="[]",
            example="[trotsky, sedova]",
        ),
        Field(
            "role",
            "role-ref",
            "Written for this role only.",
            default="any role",
            example="secretary",
        ),
        Field(
            "text",
            "paragraphs",
            "The prose: text, or a list of paragraphs, each text or {if, text}.",
            required=True,
            example="[The bus is waiting., {if: warned, text: You saw it coming.}]",
        ),
        Field(
            "choices",
            "list:choice",
            "What the player can do; none ends the phase.",
            default="[]",
            example="[{text: Carry the trunks out, go: train}]",
        ),
        Field("end", "end", "`game` ends the whole game at this scene.", example="game"),
    ),
    "choice": (
        Field(
            "text",
            "string",
            "What the player reads.",
            required=True,
            example="Carry the trunks out to the bus",
        ),
        Field(
            "go",
            "scene-ref",
            "Where it leads: scene, or phase.scene.",
            required=True,
            example="france.barbizon",
        ),
        Field(
            "id",
            "id",
            "Names the choice in saves.",
            default="the first five words of text",
            example="trunks",
        ),
        Field(
            "if",
            "condition",
            "Offered only while this holds.",
            default="always",
            example='role == "secretary" and trust >= 2',
        ),
        Field(
            "do",
            "effect",
            "What it changes: `trust += 1; archive = 2`.",
            default="nothing",
            example="trust += 1; warned = true",
        ),
        Field(
            "show_locked",
            "bool",
            "Show it greyed out while its `if` does not hold.",
            default="false",
            example="true",
        ),
        Field(
            "note",
            "text",
            "What really happened, shown after the choice.",
            example="The family kept most of the archive.",
        ),
        Field(
            "source",
            "source-refs",
            "Bibliography key, or list of keys, for the note.",
            example="[trotsky-1930, deutscher-1963]",
        ),
        Field(
            "documented",
            "bool",
            "false for a choice invented for the game.",
            default="true",
            example="false",
        ),
    ),
    "outcome": (
        Field(
            "history",
            "text",
            "What really happened, with dates.",
            required=True,
            example="The Turkish years ended in July 1933.",
        ),
        Field(
            "yours",
            "list:variant",
            "Texts set beside it, each shown when its `if` holds.",
            default="[]",
            example="[{if: archive >= 4, text: You kept the papers safe.}]",
        ),
        Field(
            "questions",
            "texts",
            "Discussion questions for a class, printed at this phase's end in an exported run.",
            default="[]",
            example='["Why did Turkey let him stay for four years?"]',
        ),
    ),
    "variant": (
        Field(
            "text",
            "text",
            "What this player did, set beside the history.",
            required=True,
            example="You kept the papers safe.",
        ),
        Field(
            "if",
            "condition",
            "Shown only when this holds.",
            default="always",
            example="archive >= 4",
        ),
    ),
    "paragraph": (
        Field("text", "text", "The paragraph.", required=True, example="You saw it coming."),
        Field("if", "condition", "Shown only when this holds.", default="always", example="warned"),
    ),
}


@cache
def readers_of(record: str) -> dict[str, str]:
    """The reader of each key of a record whose kind has one (nested records have none)."""
    return {
        f.name: KINDS[f.kind].reader
        for f in RECORDS[record]
        if f.kind in KINDS and KINDS[f.kind].reader
    }


@cache
def required_of(record: str) -> tuple[Field, ...]:
    """The fields a record must have."""
    return tuple(f for f in RECORDS[record] if f.required)


@cache
def fields_of(record: str) -> dict[str, Field]:
    """The fields of a record, by name."""
    return {f.name: f for f in RECORDS[record]}
