"""Hostile YAML in scene files: each is a located error, never a hang, a crash or a trick."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from exilegame.errors import LoadError, Problem
from exilegame.format.limits import MAX_DEPTH
from exilegame.format.load import load_story
from story_texts import MANIFEST, PHASE_ONE

WriteStory = Callable[..., Path]


def errors_of(folder: Path) -> list[Problem]:
    with pytest.raises(LoadError) as caught:
        load_story(folder)
    return caught.value.problems


def first_error(folder: Path) -> Problem:
    problems = errors_of(folder)
    return problems[0]


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("x: " + "[" * 150_000 + "]" * 150_000 + "\n", 1, 3 + MAX_DEPTH),  # 2 min before
        ("x: " + "{a: " * 150_000 + "1" + "}" * 150_000 + "\n", 1, 3 + 4 * (MAX_DEPTH - 1) + 1),
        (
            "".join("  " * i + "- \n" for i in range(MAX_DEPTH + 5)),
            MAX_DEPTH + 1,
            2 * MAX_DEPTH + 1,
        ),
    ],
    ids=["flow lists", "flow mappings", "block lists"],
)
def test_deep_nesting_stops_at_the_limit(
    write_story: WriteStory, text: str, line: int, column: int
) -> None:
    p = first_error(write_story(one_yaml=text))
    assert (p.path.name, p.line, p.column) == ("one.yaml", line, column)
    assert f"nested more than {MAX_DEPTH} levels" in p.message


def test_aliases_cannot_multiply_a_small_file(write_story: WriteStory) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(9):  # ten times more at each level: a billion values from 400 bytes
        this, last = chr(ord("b") + i), chr(ord("a") + i)
        lines.append(f"{this}: &{this} [{', '.join(['*' + last] * 10)}]")
    p = first_error(write_story(one_yaml="\n".join(lines) + "\n"))
    assert (p.path.name, p.line) == ("one.yaml", 7)
    assert "more than 4,000,000 values" in p.message and "aliases" in p.message


def test_a_recursive_alias_is_refused(write_story: WriteStory) -> None:
    p = first_error(write_story(one_yaml="phase: one\nscenes: &s {a: *s}\n"))
    assert (p.line, p.column) == (2, 16)
    assert "inside the value it names" in p.message


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("!!bool maybe", "'maybe' is not a valid !!bool"),  # was a KeyError
        ("!!bool ''", "'' is not a valid !!bool"),
        ("!!int abc", "'abc' is not a valid !!int"),
        ("!!int ''", "'' is not a valid !!int"),  # was an IndexError
        ("!!float x", "'x' is not a valid !!float"),
        ("!!timestamp 2020-02-30", "'2020-02-30' is not a valid !!timestamp"),
        ("!!timestamp x", "'x' is not a valid !!timestamp"),  # was an AttributeError
        ("!!set x", "the tag !!set cannot be used on a single value"),  # was "a generator"
        ("!!map x", "the tag !!map cannot be used on a single value"),
        ("!!binary aGk=", "the tag !!binary cannot be used"),
        ("!!python/object:os.system x", "the tag !!python/object:os.system cannot be used"),
        ("!custom x", "the tag !custom cannot be used"),
        ("!!set {a, b}", "the tag !!set cannot be used on a mapping"),
        ("!!omap [a: 1]", "the tag !!omap cannot be used on a list"),
    ],
)
def test_tags_are_checked_where_they_are(write_story: WriteStory, value: str, message: str) -> None:
    text = PHASE_ONE.replace("title: One", f"title: {value}")
    p = first_error(write_story(one_yaml=text))
    assert (p.path.name, p.line, p.column) == ("one.yaml", 2, 8)
    assert message in p.message


def test_a_tag_on_a_condition_is_not_silently_dropped(write_story: WriteStory) -> None:
    text = PHASE_ONE.replace('if: role == "guard"', 'if: !cond role == "guard"')
    p = first_error(write_story(one_yaml=text))
    assert (p.line, p.column) == (18, 13)
    assert "`if:` starts with `!cond`, which YAML reads as a tag" in p.message


def test_valid_explicit_tags_still_load(write_story: WriteStory) -> None:
    text = PHASE_ONE.replace("title: One", "title: !!str One")
    manifest = MANIFEST.replace("warned: false", "warned: !!bool false")
    story = load_story(write_story(one_yaml=text, story_yaml=manifest))
    assert story.phases[0].title == "One" and story.start_values["warned"] is False


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ('"\\e[2J0 problems"', "U+001B (ESC)"),
        ('"\\x1b]0;owned\\x07"', "U+001B (ESC)"),
        ('"bell \\a"', "U+0007 (BEL)"),
        ('"csi \\x9b"', "U+009B"),
        ('"back\\bspace"', "U+0008 (backspace)"),
        ('"line\\rover"', "U+000D (carriage return)"),
        ('"nul \\0"', "U+0000 (NUL)"),
    ],
)
def test_escaped_control_characters_are_refused_in_values(
    write_story: WriteStory, written: str, shown: str
) -> None:
    text = PHASE_ONE.replace("title: One", f"title: {written}")
    p = first_error(write_story(one_yaml=text))
    assert (p.path.name, p.line, p.column) == ("one.yaml", 2, 8)
    assert f"control character {shown}" in p.message


def test_control_characters_in_keys_are_refused(write_story: WriteStory) -> None:
    text = PHASE_ONE.replace("  hall:", '  "hall\\e[2J":')
    problems = errors_of(write_story(one_yaml=text))
    assert any(
        (p.line, p.column) == (22, 3) and "control character U+001B" in p.message for p in problems
    )


@pytest.mark.parametrize(
    ("raw", "shown"),
    [("\x00", "U+0000 (NUL)"), ("\x1b", "U+001B (ESC)"), ("\x85", "U+0085"), ("\x7f", "U+007F")],
)
def test_raw_control_characters_are_located(write_story: WriteStory, raw: str, shown: str) -> None:
    """The NUL-byte error had no line and column."""
    text = PHASE_ONE.replace("A knock at", f"A {raw}knock at")
    p = first_error(write_story(one_yaml=text))
    assert (p.path.name, p.line, p.column) == ("one.yaml", 10, 9)
    assert f"control character {shown}" in p.message


def test_prose_keeps_newlines_and_tabs(write_story: WriteStory) -> None:
    text = PHASE_ONE.replace("A knock at the gate.", "A knock\tat the gate.\n      Twice.")
    story = load_story(write_story(one_yaml=text))
    assert "knock\tat" in story.scenes["one.gate"].text[0].text


def test_a_message_quoting_user_text_escapes_control_characters(write_story: WriteStory) -> None:
    """What `check` prints can never clear the screen or set the terminal's title."""
    p = Problem(Path("one.yaml"), 3, 4, "unknown key 'a\x1b[2J\n0 problems'", "hint \x07")
    assert (
        p.format()
        == "one.yaml:3:4: error: unknown key 'a\\x1b[2J\\n0 problems'\n    hint: hint \\x07"
    )
    problems = errors_of(write_story(one_yaml=PHASE_ONE.replace("  hall:", '  "hall\\e":')))
    assert all("\x1b" not in q.format() for q in problems)


def test_a_record_with_no_keys_is_reported_not_a_crash(write_story: WriteStory) -> None:
    """Found by the folder fuzzer: `book: {}` was a TypeError building the Source."""
    manifest = MANIFEST.replace("book: {author: A. Author, title: A Book, year: 1999}", "book: {}")
    problems = errors_of(write_story(story_yaml=manifest))
    assert {p.message for p in problems} >= {
        "the source 'book' has no 'author'",
        "the source 'book' has no 'title'",
    }
