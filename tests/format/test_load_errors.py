"""Every kind of loader error, with its exact file, line and column, and all at once."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from exilegame.errors import LoadError, Problem
from exilegame.format.load import load_story, load_with_problems
from story_texts import PHASE_ONE

WriteStory = Callable[..., Path]


def errors_of(folder: Path) -> list[Problem]:
    with pytest.raises(LoadError) as caught:
        load_story(folder)
    return caught.value.problems


def one_error(folder: Path) -> Problem:
    problems = errors_of(folder)
    assert len(problems) == 1, [p.format() for p in problems]
    return problems[0]


def phase_with(scene_lines: str) -> str:
    """A phase file whose single scene `s` has the given extra lines (at 4 spaces)."""
    return (
        "phase: one\n"
        "title: One\n"
        "scenes:\n"
        "  s:\n"
        "    date: 1929\n"
        "    place: house\n"
        "    text: Hello.\n" + scene_lines + "outcome:\n  history: H.\n"
    )


def test_valid_story_loads(write_story: WriteStory) -> None:
    story = load_story(write_story())
    assert [p.id for p in story.phases] == ["one", "two"]
    assert story.scenes["one.gate"].choices[0].key == "one.gate:open-the-gate"


def test_yaml_syntax_error(write_story: WriteStory) -> None:
    p = one_error(write_story(one_yaml=phase_with("    choices:\n      - text: a: b\n")))
    assert (p.path.name, p.line, p.column) == ("one.yaml", 9, 16)
    assert "YAML syntax" in p.message
    assert "quoted" in p.hint


def test_tab_indentation(write_story: WriteStory) -> None:
    p = one_error(write_story(one_yaml=phase_with("\tchoices: []\n")))
    assert (p.path.name, p.line, p.column) == ("one.yaml", 8, 1)
    assert "tab" in p.message and "spaces" in p.hint


def test_non_utf8_file(tmp_path: Path, write_story: WriteStory) -> None:
    folder = write_story()
    (folder / "one.yaml").write_bytes(b"phase: one\ntitle: Caf\xe9\n")
    p = one_error(folder)
    assert (p.path.name, p.line, p.column) == ("one.yaml", 2, 11)
    assert "UTF-8" in p.message


def test_empty_file(write_story: WriteStory) -> None:
    p = one_error(write_story(one_yaml="# nothing yet\n\n"))
    assert (p.path.name, p.line, p.column) == ("one.yaml", 1, 1)
    assert "empty" in p.message and "phase:" in p.hint


def test_duplicate_key(write_story: WriteStory) -> None:
    p = one_error(write_story(one_yaml=phase_with("    date: 1930\n")))
    assert (p.path.name, p.line, p.column) == ("one.yaml", 8, 5)
    assert "'date' is defined twice (first on line 5)" in p.message


def test_duplicate_scene_id(write_story: WriteStory) -> None:
    text = phase_with("").replace(
        "outcome:", "  s:\n    date: 1929\n    place: house\n    text: Again.\noutcome:"
    )
    p = one_error(write_story(one_yaml=text))
    assert (p.line, p.column) == (8, 3)
    assert "scene 's' is defined twice" in p.message


def test_unknown_key_names_nearest(write_story: WriteStory) -> None:
    p = one_error(
        write_story(one_yaml=phase_with("    choices:\n      - text: Go\n        got: s\n"))
    )
    assert (p.path.name, p.line, p.column) == ("one.yaml", 10, 9)
    assert "unknown key 'got'" in p.message
    assert "did you mean 'go'?" in p.hint
    # with neither `go:` nor a near miss, the missing key is reported at the choice
    p = one_error(write_story("b", one_yaml=phase_with("    choices:\n      - text: Go\n")))
    assert (p.line, p.column, p.message) == (9, 9, "a choice has no 'go'")


def test_wrong_type(write_story: WriteStory) -> None:
    p = one_error(write_story(one_yaml=phase_with("    choices: go somewhere\n")))
    assert (p.line, p.column) == (8, 14)
    assert p.message == "choices should be a list, not the text 'go somewhere'"


def test_wrong_type_flag(write_story: WriteStory) -> None:
    p = one_error(
        write_story(
            one_yaml=phase_with(
                "    choices:\n      - text: Go\n        go: s\n        show_locked: sometimes\n"
            )
        )
    )
    assert (p.line, p.column) == (11, 22)
    assert "should be true or false" in p.message


def test_go_to_missing_scene(write_story: WriteStory) -> None:
    p = one_error(
        write_story(one_yaml=phase_with("    choices:\n      - text: Go\n        go: hal\n"))
    )
    assert (p.line, p.column) == (10, 13)
    assert p.message == "there is no scene 'hal'"


def test_go_to_other_phase_suggests_qualified(write_story: WriteStory) -> None:
    p = one_error(
        write_story(one_yaml=phase_with("    choices:\n      - text: Go\n        go: two.roda\n"))
    )
    assert (p.line, p.column) == (10, 13)
    assert "did you mean 'two.road'?" in p.hint


def test_undeclared_variable(write_story: WriteStory) -> None:
    p = one_error(
        write_story(
            one_yaml=phase_with(
                "    choices:\n      - text: Go\n        if: trsut > 1\n        go: s\n"
            )
        )
    )
    assert (p.line, p.column) == (10, 13)
    assert p.message == "unknown variable 'trsut'"
    assert "did you mean 'trust'?" in p.hint


def test_expression_that_does_not_parse_points_at_column(write_story: WriteStory) -> None:
    p = one_error(
        write_story(
            one_yaml=phase_with(
                "    choices:\n      - text: Go\n        if: trust > 1 && warned\n        go: s\n"
            )
        )
    )
    assert (p.line, p.column) == (10, 23)
    assert "and" in p.hint


def test_expression_outside_whitelist_points_at_column(write_story: WriteStory) -> None:
    p = one_error(
        write_story(
            one_yaml=phase_with(
                "    choices:\n      - text: Go\n"
                '        if: \'warned and __import__("os").system("true")\'\n        go: s\n'
            )
        )
    )
    # the call starts 12 characters into the quoted expression, after the quote
    assert (p.line, p.column) == (10, 25)
    assert "not allowed" in p.message


def test_expression_type_error(write_story: WriteStory) -> None:
    p = one_error(
        write_story(
            one_yaml=phase_with(
                "    choices:\n      - text: Go\n        do: warned += 1\n        go: s\n"
            )
        )
    )
    assert (p.line, p.column) == (10, 13)
    assert p.message == "cannot add to or subtract from a flag"


def test_comparing_number_with_text(write_story: WriteStory) -> None:
    p = one_error(
        write_story(
            one_yaml=phase_with(
                '    choices:\n      - text: Go\n        if: trust == "high"\n        go: s\n'
            )
        )
    )
    assert (p.line, p.column) == (10, 22)
    assert p.message == "cannot compare a number with a text"


def test_expression_in_block_scalar(write_story: WriteStory) -> None:
    p = one_error(
        write_story(
            one_yaml=phase_with(
                "    choices:\n      - text: Go\n        do: |\n          trust += 1\n"
                "          trust.real = 2\n        go: s\n"
            )
        )
    )
    assert (p.line, p.column) == (12, 11)


def test_unknown_source_key(write_story: WriteStory) -> None:
    p = one_error(
        write_story(
            one_yaml=phase_with(
                "    choices:\n      - text: Go\n        go: s\n        note: N.\n"
                "        source: bok\n"
            )
        )
    )
    assert (p.line, p.column) == (12, 17)
    assert p.message == "the source 'bok' is not in the bibliography"
    assert "did you mean 'book'?" in p.hint


def test_undeclared_role_in_scene_and_condition(write_story: WriteStory) -> None:
    problems = errors_of(
        write_story(
            one_yaml=phase_with(
                "    role: gaurd\n    choices:\n      - text: Go\n"
                '        if: role == "clrk"\n        go: s\n'
            )
        )
    )
    assert [(p.line, p.column, p.message) for p in problems] == [
        (8, 11, "there is no role 'gaurd'"),
        (11, 21, "there is no role 'clrk'"),
    ]
    assert 'did you mean "clerk"?' in problems[1].hint


def test_all_errors_reported_at_once_across_files(write_story: WriteStory) -> None:
    folder = write_story(
        one_yaml=PHASE_ONE.replace("go: hall\n        note", "go: nowhere\n        note").replace(
            "do: warned = true", "do: warned = 3"
        ),
        two_yaml="phase: two\ntitle: Two\nscenes:\n\troad: {}\n",
    )
    problems = errors_of(folder)
    assert [(p.path.name, p.line) for p in problems] == [
        ("one.yaml", 14),
        ("one.yaml", 19),
        ("two.yaml", 4),
    ]


def test_missing_phase_file_and_manifest(tmp_path: Path, write_story: WriteStory) -> None:
    folder = write_story()
    (folder / "two.yaml").unlink()
    p = one_error(folder)
    assert (p.path.name, p.line, p.column) == ("story.yaml", 9, 15)
    assert p.message == "the phase 'two' has no file two.yaml"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "no story.yaml" in one_error(empty).message


def test_unlisted_phase_file_is_a_warning(write_story: WriteStory) -> None:
    folder = write_story(three_yaml=PHASE_ONE)
    story, problems = load_with_problems(folder)
    assert story is not None
    assert [(p.severity, p.path.name) for p in problems] == [("warning", "three.yaml")]


def test_bad_date_and_place(write_story: WriteStory) -> None:
    text = (
        phase_with("")
        .replace("date: 1929\n", "date: 1929-02-30\n")
        .replace("place: house", "place: hose")
    )
    problems = errors_of(write_story(one_yaml=text))
    assert [(p.line, p.column) for p in problems] == [(5, 11), (6, 12)]
    assert "YYYY-MM-DD" in problems[0].message
    assert "did you mean 'house'?" in problems[1].hint


def test_cli_check_reports_errors_with_status_2_and_no_traceback(
    write_story: WriteStory,
) -> None:
    folder = write_story(one_yaml=phase_with("    choices:\n      - text: Go\n        got: s\n"))
    result = subprocess.run(
        [sys.executable, "-m", "exilegame", "check", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"{folder / 'one.yaml'}:10:9: error: unknown key 'got' in a choice" in result.stderr
    assert "hint: did you mean 'go'?" in result.stderr


def test_playing_a_broken_story_exits_2_without_traceback(write_story: WriteStory) -> None:
    folder = write_story(one_yaml="phase: one\n")
    result = subprocess.run(
        [sys.executable, "-m", "exilegame", "--plain", "--scenes", str(folder)],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "one.yaml:1:1: error: the phase file one.yaml has no 'title'" in result.stderr
