"""The scene format, declared once: every record, its keys, their kinds, defaults and meaning.

The loader checks files against this table (unknown keys, missing keys, wrong kinds), and
`exilegame schema` turns the same table into the JSON Schema that editors use, so the two
cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True, slots=True)
class Field:
    """One key of a record."""

    name: str
    kind: str  # one of the kinds listed below
    doc: str
    required: bool = False
    default: str = ""  # as shown to authors


# Kinds: "string", "text" (prose), "id", "int", "bool", "value" (number, flag or text),
# "year" (number or text), "date", "scene-ref", "place-ref", "role-ref", "condition",
# "effect", "coords", "ids" (list of ids), "source-refs" (key or list of keys), "end",
# "paragraphs" (text or list of text / {if, text}), and "record:<name>", "map:<name>",
# "list:<name>" for nested records. "variable" is a value or a record:variable.

RECORDS: dict[str, tuple[Field, ...]] = {
    "manifest": (
        Field("title", "string", "The story's title, shown on the title screen.", True),
        Field("subtitle", "string", "A line shown under the title.", default='""'),
        Field(
            "id",
            "id",
            "Names the story for saves and the explored-paths record; keep it stable.",
            default="the folder's name",
        ),
        Field(
            "start",
            "scene-ref",
            "Where a new game begins, as phase.scene.",
            default="the first phase's start scene",
        ),
        Field("roles", "map:role", "Who the player can be, keyed by role id.", True),
        Field(
            "state",
            "map:variable",
            "Every variable the story uses, with its starting value.",
            default="{}",
        ),
        Field("phases", "ids", "The phases in play order; each needs a file <id>.yaml.", True),
        Field(
            "sources", "map:source", "The bibliography, keyed by the keys notes cite.", default="{}"
        ),
        Field("people", "map:person", "The journal's people, keyed by id.", default="{}"),
        Field(
            "places", "map:place", "The journal's and the map's places, keyed by id.", default="{}"
        ),
        Field(
            "endings",
            "list:ending",
            "How the game can end; the first whose `if` holds is reached.",
            default="one plain ending",
        ),
        Field(
            "epilogue",
            "paragraphs",
            "Prose shown before the fates when the game ends: text, or paragraphs with `if`.",
            default='""',
        ),
    ),
    "role": (
        Field("name", "string", "The role's name as the player reads it.", True),
        Field("blurb", "text", "What this role will face, shown when choosing.", default='""'),
    ),
    "variable": (
        Field("start", "value", "The starting value; its type is the variable's type.", True),
        Field("label", "string", "How the side panel names it.", default="the name"),
        Field(
            "show",
            "bool",
            "Whether the player sees it in the side panel (a flag shows once it is true).",
            default="false",
        ),
        Field("min", "int", "Numbers are kept at or above this after every effect."),
        Field("max", "int", "Numbers are kept at or below this after every effect."),
    ),
    "source": (
        Field("author", "string", "Author or publisher.", True),
        Field("title", "string", "Title of the work or page.", True),
        Field("year", "year", "Year of publication.", True),
        Field("url", "string", "Where to read it, if online."),
        Field("note", "text", "Anything a reader should know about this source."),
    ),
    "person": (
        Field("name", "string", "Full name.", True),
        Field("entry", "text", "Who they were, in a sentence or three.", True),
        Field("dates", "string", "Birth and death, e.g. 1882–1962."),
        Field("fate", "text", "What became of them; shown in the epilogue if the player met them."),
    ),
    "place": (
        Field("name", "string", "The place's name.", True),
        Field("country", "string", "Country, as it was then."),
        Field("entry", "text", "A short description for the journal."),
        Field("coords", "coords", "[latitude, longitude], for the map."),
    ),
    "ending": (
        Field("id", "id", "Names the ending in the explored-paths record.", True),
        Field("title", "string", "The ending's title.", True),
        Field(
            "text",
            "paragraphs",
            "What the ending says: text, or a list of paragraphs, each text or {if, text}.",
            True,
        ),
        Field("if", "condition", "Reached only when this holds.", default="always"),
    ),
    "phase": (
        Field("phase", "id", "The phase id; must equal the file name without .yaml.", True),
        Field("title", "string", "The phase's title.", True),
        Field("span", "string", 'The years it covers, as shown: "1929–1933".', default='""'),
        Field("intro", "text", "A paragraph shown when the phase begins.", default='""'),
        Field(
            "start",
            "id",
            "The scene where the phase begins.",
            default="the first scene in the file",
        ),
        Field("scenes", "map:scene", "The phase's scenes, keyed by id.", True),
        Field(
            "outcome",
            "record:outcome",
            "The historical outcome summary shown at the phase's end.",
            True,
        ),
    ),
    "scene": (
        Field("title", "string", "A heading for the scene.", default="the place's name"),
        Field("date", "date", "When: 1929-02-12, 1929-02 or 1929.", True),
        Field("place", "place-ref", "Where: one of the manifest's places.", True),
        Field("people", "ids", "Who appears; they enter the journal.", default="[]"),
        Field("role", "role-ref", "Written for this role only.", default="any role"),
        Field(
            "text",
            "paragraphs",
            "The prose: text, or a list of paragraphs, each text or {if, text}.",
            True,
        ),
        Field(
            "choices", "list:choice", "What the player can do; none ends the phase.", default="[]"
        ),
        Field("end", "end", "`game` ends the whole game at this scene."),
    ),
    "choice": (
        Field("text", "string", "What the player reads.", True),
        Field("go", "scene-ref", "Where it leads: scene, or phase.scene.", True),
        Field("id", "id", "Names the choice in saves.", default="the first five words of text"),
        Field("if", "condition", "Offered only while this holds.", default="always"),
        Field("do", "effect", "What it changes: `trust += 1; archive = 2`.", default="nothing"),
        Field(
            "show_locked",
            "bool",
            "Show it greyed out while its `if` does not hold.",
            default="false",
        ),
        Field("note", "text", "What really happened, shown after the choice."),
        Field("source", "source-refs", "Bibliography key, or list of keys, for the note."),
        Field("documented", "bool", "false for a choice invented for the game.", default="true"),
    ),
    "outcome": (
        Field("history", "text", "What really happened, with dates.", True),
        Field(
            "yours",
            "list:variant",
            "Texts set beside it, each shown when its `if` holds.",
            default="[]",
        ),
    ),
    "variant": (
        Field("text", "text", "What this player did, set beside the history.", True),
        Field("if", "condition", "Shown only when this holds.", default="always"),
    ),
    "paragraph": (
        Field("text", "text", "The paragraph.", True),
        Field("if", "condition", "Shown only when this holds.", default="always"),
    ),
}


@cache
def fields_of(record: str) -> dict[str, Field]:
    """The fields of a record, by name."""
    return {f.name: f for f in RECORDS[record]}
