"""YAML syntax errors as located problems, placed where the author's mistake is.

libyaml reports where it gave up (`problem_mark`), often the end of the file, and what it
was reading (`context_mark`): for an unclosed bracket or quote, the context is the mistake.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from exilegame.errors import Problem

if TYPE_CHECKING:
    import yaml

__all__ = ["syntax_problem"]

_OPENERS = {"while parsing a flow sequence": ("[", "]"), "while parsing a flow mapping": ("{", "}")}


def syntax_problem(path: Path, exc: yaml.MarkedYAMLError, text: str) -> Problem:
    """A located syntax problem, placed where the mistake is rather than where libyaml
    gave up: an unclosed bracket or quote is reported where it was opened."""
    problem = (exc.problem or "syntax error").strip()
    context = (exc.context or "").strip()
    opened, gave_up = exc.context_mark, exc.problem_mark
    if opened is not None and gave_up is not None:
        end = f"line {gave_up.line + 1}" if gave_up.line != opened.line else "the line's end"
        if context in _OPENERS and "did not find expected" in problem:
            bracket, closer = _OPENERS[context]
            return Problem(
                path,
                opened.line + 1,
                opened.column + 1,
                f"YAML syntax: the `{bracket}` opened here is not closed (YAML read on to {end})",
                f"close it with `{closer}`; a text that starts with `{bracket}` must be quoted",
            )
        if context == "while scanning a quoted scalar" and "end of stream" in problem:
            lines = text.splitlines()
            quote = lines[opened.line][opened.column] if opened.line < len(lines) else '"'
            escape = "''" if quote == "'" else '\\"'
            return Problem(
                path,
                opened.line + 1,
                opened.column + 1,
                f"YAML syntax: the quote opened here is never closed (YAML read on to {end})",
                f"end the text with {quote}; to write {quote} inside it, write {escape}",
            )
    mark = gave_up or opened
    line = mark.line + 1 if mark else 0
    column = mark.column + 1 if mark else 0
    hint = ""
    if "mapping values are not allowed" in problem:
        hint = 'a value that contains ": " must be quoted, or written as a block with `|`'
    elif "could not find expected ':'" in problem:
        hint = "each line of a mapping is `key: value`; quote values that span lines"
    elif "found character '%'" in problem or "found character '`'" in problem:
        hint = "quote a value that starts with a special character"
    elif "expected <block end>" in problem or "did not find expected key" in problem:
        hint = "check the indentation: keys of one mapping must line up"
    elif "found undefined alias" in problem:
        hint = "define the anchor (&name) before using it (*name)"
    shown = f" ({context})" if context else ""
    return Problem(path, line, column, f"YAML syntax: {problem}{shown}", hint)
