"""Messages for authors: one clear error where the mistake is, no false ones around it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from exilegame.errors import Problem
from exilegame.format.ids import choice_slug, is_id, suggest_id
from exilegame.format.load import load_story, load_with_problems
from story_texts import MANIFEST, PHASE_ONE, PHASE_TWO

WriteStory = Callable[..., Path]


def problems_of(folder: Path) -> list[Problem]:
    story, problems = load_with_problems(folder, use_cache=False)
    assert story is None
    return problems


def only(folder: Path) -> Problem:
    problems = problems_of(folder)
    assert len(problems) == 1, [p.format() for p in problems]
    return problems[0]


def with_choice(lines: str) -> str:
    """PHASE_ONE with one more choice in the gate scene, its keys at 8 spaces."""
    return PHASE_ONE.replace(
        "      - text: Keep it shut\n",
        "      - text: Extra\n" + lines + "      - text: Keep it shut\n",
    )


# -- item 4: a broken file does not cause false errors in the others ------------------


def test_references_into_an_unreadable_file_are_not_reported(write_story: WriteStory) -> None:
    one = PHASE_ONE.replace("go: hall", "go: two.road", 1).replace(
        "if: warned\n", "if: warned and visited('two.road')\n", 1
    )
    folder = write_story(one_yaml=one, two_yaml=PHASE_TWO.replace("The road.", "[The road."))
    p = only(folder)
    assert (p.path.name, p.line) == ("two.yaml", 7)
    assert "YAML syntax" in p.message


def test_references_into_a_missing_phase_file_are_not_reported(write_story: WriteStory) -> None:
    folder = write_story(one_yaml=PHASE_ONE.replace("go: hall", "go: two.road", 1))
    (folder / "two.yaml").unlink()
    p = only(folder)
    assert (p.path.name, p.message) == ("story.yaml", "the phase 'two' has no file two.yaml")


def test_problems_come_in_file_and_position_order(write_story: WriteStory) -> None:
    one = PHASE_ONE.replace("place: house", "place: hose").replace("go: hall", "go: hal")
    two = PHASE_TWO.replace("go: inn", "go: in")
    found = [
        (p.path.name, p.line, p.column)
        for p in problems_of(write_story(one_yaml=one, two_yaml=two))
    ]
    assert found == sorted(found) and len(found) >= 4


# -- item 5: syntax errors where the mistake is ---------------------------------------


@pytest.mark.parametrize(
    ("value", "column", "message", "hint"),
    [
        ("[The road.", 11, "the `[` opened here is not closed", "close it with `]`"),
        ("{a: b", 11, "the `{` opened here is not closed", "close it with `}`"),
        ('"The road.', 11, "the quote opened here is never closed", 'end the text with "'),
        ("'The road.", 11, "the quote opened here is never closed", "write ''"),
    ],
)
def test_an_unclosed_bracket_or_quote_is_reported_where_it_opens(
    write_story: WriteStory, value: str, column: int, message: str, hint: str
) -> None:
    p = only(write_story(two_yaml=PHASE_TWO.replace("The road.", value)))
    assert (p.path.name, p.line, p.column) == ("two.yaml", 7, column)
    assert message in p.message and hint in p.hint


# -- item 6: hints for C-style logic and for `!` read as a YAML tag --------------------


@pytest.mark.parametrize(
    ("condition", "column"),
    [("trust >= 2 && warned", 24), ("trust > 1 || warned", 23), ("warned && trust == 1", 20)],
)
def test_c_logic_gets_the_and_or_not_hint(
    write_story: WriteStory, condition: str, column: int
) -> None:
    p = only(write_story(one_yaml=with_choice(f"        if: {condition}\n        go: hall\n")))
    assert (p.line, p.column) == (18, column)
    assert "write `and`, `or`, `not`" in p.hint


def test_a_lone_equals_still_gets_the_compare_hint(write_story: WriteStory) -> None:
    p = only(write_story(one_yaml=with_choice("        if: trust = 2\n        go: hall\n")))
    assert (p.line, p.column) == (18, 19)
    assert "to compare, write `==`" in p.hint


def test_an_unquoted_bang_is_a_yaml_tag_and_the_message_says_so(write_story: WriteStory) -> None:
    p = only(write_story(one_yaml=with_choice("        if: !warned\n        go: hall\n")))
    assert (p.line, p.column) == (18, 13)
    assert "YAML reads as a tag" in p.message
    assert "write `if: not warned`" in p.hint
    # quoted, it is an expression, and C's `!` gets the usual hint
    p = only(write_story(one_yaml=with_choice("        if: '!warned'\n        go: hall\n")))
    assert "write `and`, `or`, `not`" in p.hint
    load_story(write_story(one_yaml=with_choice("        if: trust != 2\n        go: hall\n")))


# -- item 7: ids of any alphabet, default ids that follow the same rule --------------


@pytest.mark.parametrize("text", ["débarcadère", "пристань", "港口", "हिन्दी", "a-b_c", "1929"])
def test_ids_may_use_letters_of_any_alphabet(text: str) -> None:
    assert is_id(text)


@pytest.mark.parametrize("text", ["a\n", "a b", "a.b", "a:b", "-a", "_a", "", "a/b", "a’b"])
def test_what_is_not_an_id(text: str) -> None:
    assert not is_id(text)


def test_suggestions_keep_letters_of_any_alphabet() -> None:
    assert suggest_id("débarcadère du port") == "débarcadère-du-port"
    assert suggest_id("Harbour Town!") == "Harbour-Town"
    assert suggest_id("!!!") == "name"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Open the gate", "open-the-gate"),
        ("A well-known man walks to the door", "a-well-known-man-walks-to"),
        ("Ехать в Москву", "ехать-в-москву"),
        ("Trotsky's papers -- now!", "trotsky-s-papers-now"),
        ("...", "choice"),
    ],
)
def test_default_choice_ids(text: str, slug: str) -> None:
    assert choice_slug(text) == slug
    assert is_id(slug)


def test_a_story_with_unicode_ids_loads(write_story: WriteStory) -> None:
    manifest = MANIFEST.replace("house: {name: The House", "débarcadère: {name: Quay").replace(
        "phases: [one, two]", "phases: [one, пристань]"
    )
    one = PHASE_ONE.replace("place: house", "place: débarcadère").replace(
        "go: hall", "go: пристань.road", 1
    )
    two = PHASE_TWO.replace("phase: two", "phase: пристань").replace(
        "place: house", "place: débarcadère"
    )
    folder = write_story(story_yaml=manifest, one_yaml=one, two_yaml=two)
    (folder / "пристань.yaml").write_text((folder / "two.yaml").read_text(), encoding="utf-8")
    (folder / "two.yaml").unlink()
    story = load_story(folder)
    assert story.scenes["one.gate"].choices[0].target == "пристань.road"


def test_two_default_ids_that_collide_are_reported_with_a_writable_id(
    write_story: WriteStory,
) -> None:
    one = with_choice("        go: hall\n      - text: Ехать в Москву!\n        go: hall\n")
    one = one.replace("- text: Extra\n", "- text: Ехать в Москву\n")
    p = only(write_story(one_yaml=one))
    assert "the id 'ехать-в-москву'" in p.message
    assert is_id("ехать-в-москву")


def test_an_id_cannot_end_in_a_newline(write_story: WriteStory) -> None:
    p = only(write_story(one_yaml=with_choice('        id: "x\\n"\n        go: hall\n')))
    assert "is not a valid id" in p.message


def test_an_invalid_phase_id_is_one_message(write_story: WriteStory) -> None:
    manifest = MANIFEST.replace("phases: [one, two]", "phases: [one, two!]")
    one = PHASE_ONE.replace("go: hall", "go: two!.road", 1).replace(
        "if: warned\n", "if: warned and visited('two!.road')\n", 1
    )
    folder = write_story(story_yaml=manifest, one_yaml=one)
    (folder / "two.yaml").rename(folder / "two!.yaml")
    p = only(folder)
    assert (p.path.name, p.message) == ("story.yaml", "'two!' is not a valid id in `phases:`")
    assert "e.g. 'two'" in p.hint


# -- item 8: YAML 1.1 flags ----------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "meant"), [("yes", "true"), ("No", "false"), ("ON", "true"), ("off", "false")]
)
def test_yaml_1_1_flag_words_are_refused_where_a_flag_is_expected(
    write_story: WriteStory, word: str, meant: str
) -> None:
    p = only(write_story(one_yaml=with_choice(f"        go: hall\n        show_locked: {word}\n")))
    assert (p.line, p.column) == (19, 22)
    assert p.message == f"`show_locked:` should be true or false, not `{word}`"
    assert p.hint.startswith(f"write `{meant}`")


@pytest.mark.parametrize("word", ["y", "n"])
def test_y_and_n_are_refused_too(write_story: WriteStory, word: str) -> None:
    p = only(write_story(one_yaml=with_choice(f"        go: hall\n        documented: {word}\n")))
    assert "should be true or false" in p.message and "YAML (1.1)" in p.hint


def test_a_yaml_1_1_flag_word_as_a_start_value_is_refused(write_story: WriteStory) -> None:
    p = only(write_story(story_yaml=MANIFEST.replace("warned: false", "warned: no")))
    assert "starts as `no`" in p.message
    assert p.hint == 'write `false` for a flag, or "no" in quotes for text'
    quoted = MANIFEST.replace("warned: false", 'warned: false\n  answer: "no"')
    assert load_story(write_story("b", story_yaml=quoted)).variables["answer"].start == "no"


def test_yaml_1_1_flag_words_stay_text_where_text_is_expected(write_story: WriteStory) -> None:
    story = load_story(write_story(one_yaml=PHASE_ONE.replace("text: Open the gate", "text: yes")))
    assert story.scenes["one.gate"].choices[0].text == "yes"
    p = only(write_story("b", one_yaml=with_choice("        if: yes\n        go: hall\n")))
    assert p.hint.startswith("write `if: true`")
