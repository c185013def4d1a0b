"""The limits a scene file is held to while it is composed, and the problems that say so.

- MAX_DEPTH levels of nesting (libyaml's parse time grows with the square of the depth:
  150,000 levels took over two minutes; the scene format needs fewer than ten);
- MAX_NODES values per file, each alias counted as the whole value it repeats, so that
  "billion laughs" aliases cannot make a small file a huge story;
- no control characters in any value, however written (raw, or as an escape in double
  quotes), but newline and tab: they could drive the terminal the text is shown on;
- an explicit tag only where it is one of YAML's own scalar types, with a value its
  constructor accepts (every exception a constructor raises becomes a located problem).

Lines and columns given to these functions are 0-based, as PyYAML's marks; problems are
1-based.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from exilegame.errors import Problem

__all__ = [
    "COLLECTION_TAGS",
    "CONTROL",
    "MAX_DEPTH",
    "MAX_NODES",
    "SCALAR_TAGS",
    "control_name",
    "depth_problem",
    "raw_control_problems",
    "short_tag",
    "shown",
    "size_problem",
    "tag_problem",
    "value_problem",
]

MAX_DEPTH = 100  # levels of nesting
MAX_NODES = 4_000_000  # values in one file, aliases counted in full (10,000 scenes: 250,000)

# Control characters: C0 but tab, newline and carriage return (the YAML reader normalises
# line breaks), DEL and C1. In values, carriage return is refused too.
_RAW_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_VALUE_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_NAMES = {0: "NUL", 0x1B: "ESC", 0x0D: "carriage return", 0x07: "BEL", 0x08: "backspace"}

YAML_TAG = "tag:yaml.org,2002:"
MERGE_TAG = YAML_TAG + "merge"
SCALAR_TAGS = frozenset(YAML_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
COLLECTION_TAGS = {"mapping": YAML_TAG + "map", "list": YAML_TAG + "seq"}


CONTROL = _VALUE_CONTROL  # `CONTROL.search(value)`: a control character a value may not have


def control_name(char: str) -> str:
    """`U+001B (ESC)`: a control character as a message can show it."""
    code = ord(char)
    name = _CONTROL_NAMES.get(code)
    return f"U+{code:04X}" + (f" ({name})" if name else "")


def short_tag(tag: str) -> str:
    """`!!int` for YAML's own tags, the tag as written otherwise."""
    return "!!" + tag[len(YAML_TAG) :] if tag.startswith(YAML_TAG) else tag


def shown(value: str) -> str:
    """A value shortened for a message."""
    return value if len(value) <= 30 else value[:27] + "..."


def raw_control_problems(path: Path, text: str) -> list[Problem]:
    """A problem for each of the first twenty control characters written raw in the file."""
    problems = []
    for match in list(_RAW_CONTROL.finditer(text))[:20]:
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        problems.append(
            Problem(
                path,
                line,
                column,
                f"a control character {control_name(match.group())} is in the file",
                "remove it: scene files hold text only (it could drive the terminal)",
            )
        )
    return problems


def depth_problem(path: Path, line: int, column: int) -> Problem:
    return Problem(
        path,
        line + 1,
        column + 1,
        f"the values are nested more than {MAX_DEPTH} levels deep here",
        "scene files need only a few levels: flatten this",
    )


def size_problem(path: Path, line: int, column: int, aliases: bool) -> Problem:
    return Problem(
        path,
        line + 1,
        column + 1,
        f"the file holds more than {MAX_NODES:,} values here"
        + (", counting what its aliases repeat" if aliases else ""),
        "split the story into more phase files, or use fewer aliases",
    )


def tag_problem(path: Path, line: int, column: int, tag: str, what: str) -> Problem:
    allowed = "!!str, !!int, !!float, !!bool, !!null, !!timestamp"
    return Problem(
        path,
        line + 1,
        column + 1,
        f"the tag {short_tag(tag)} cannot be used on {what} in a scene file",
        f"remove it; the tags allowed on values are {allowed}",
    )


def value_problem(path: Path, line: int, column: int, value: str, tag: str) -> Problem | None:
    """A control character in a scalar, or an explicit tag it cannot have; None if fine."""
    found = _VALUE_CONTROL.search(value)
    if found:
        return Problem(
            path,
            line + 1,
            column + 1,
            f"this value holds a control character {control_name(found.group())}",
            "remove it (escapes such as \\e or \\x1b are not allowed): "
            "it could drive the terminal the text is shown on",
        )
    if tag == MERGE_TAG and value == "<<":
        return None
    if tag not in SCALAR_TAGS:
        return tag_problem(path, line, column, tag, "a single value")
    if not _constructs(tag, value):
        return Problem(
            path,
            line + 1,
            column + 1,
            f"'{shown(value)}' is not a valid {short_tag(tag)}",
            "remove the tag, or write a value of that type",
        )
    return None


def _constructs(tag: str, value: str) -> bool:
    """Whether PyYAML's safe constructor for `tag` accepts `value`."""
    import yaml  # only for a file that has explicit tags

    constructor: Any = yaml.constructor.SafeConstructor()
    try:
        constructor.yaml_constructors[tag](constructor, yaml.ScalarNode(tag, value))
    except Exception:  # every constructor's every failure: KeyError, IndexError, ...
        return False
    return True
