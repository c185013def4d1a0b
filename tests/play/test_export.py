"""A run exported as Markdown or HTML: what it holds, and that it replays to the same State."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from types import MappingProxyType

import pytest

from exilegame import engine
from exilegame._files import shipped_scenes
from exilegame.errors import LoadError
from exilegame.format.load import load_story
from exilegame.play import export
from exilegame.play.export import ExportError, read_header, replay_document
from exilegame.play.export.markdown import _md
from exilegame.story import Story
from story_texts import MANIFEST, PHASE_ONE, PHASE_TWO

FORMATS: tuple[export.Format, ...] = ("markdown", "html")

MANIFEST_WITH_DEBRIEF = MANIFEST.replace(
    "guard: {name: The guard, blurb: Watches the gate.}",
    "guard: {name: The guard, blurb: Watches the gate., "
    "perspective: A guard sees who comes to the gate and little of what is written.}",
)
PHASE_ONE_WITH_DEBRIEF = (
    PHASE_ONE.replace(
        "        note: The gate was opened.", "        note: The gate was *opened* <b>."
    )
    + "  questions:\n    - Why open a gate at night?\n    - Who decides <who> comes in?\n"
)
PHASE_TWO_WITH_DEBRIEF = PHASE_TWO + "  questions: [What changed on the road?]\n"


@pytest.fixture
def story(write_story: Callable[..., Path]) -> Story:
    return load_story(
        write_story(
            story_yaml=MANIFEST_WITH_DEBRIEF,
            one_yaml=PHASE_ONE_WITH_DEBRIEF,
            two_yaml=PHASE_TWO_WITH_DEBRIEF,
        )
    )


def every_run(story: Story, role: str) -> list[engine.State]:
    """Every finished run of a small story for a role (depth-first over the choices)."""
    runs, stack = [], [engine.start(story, role, 3)]
    while stack:
        state = stack.pop()
        options = [o for o in engine.choices(story, state) if o.enabled]
        if not options:
            runs.append(state)
        stack += [engine.choose(story, state, o.id) for o in options]
    return runs


def random_run(story: Story, role: str, seed: int) -> engine.State:
    pick = random.Random(seed)
    state = engine.start(story, role, seed)
    while options := [o for o in engine.choices(story, state) if o.enabled]:
        state = engine.choose(story, state, pick.choice(options).id)
    return state


def test_the_debrief_keys_load(story: Story) -> None:
    assert story.phases[0].outcome.questions == (
        "Why open a gate at night?",
        "Who decides <who> comes in?",
    )
    assert story.roles["guard"].perspective.startswith("A guard sees")
    assert story.roles["clerk"].perspective == ""


def test_questions_must_be_a_list(write_story: Callable[..., Path]) -> None:
    from exilegame.errors import LoadError

    folder = write_story(two_yaml=PHASE_TWO + "  questions: What changed?\n")
    with pytest.raises(LoadError) as caught:
        load_story(folder)
    [problem] = caught.value.problems
    assert problem.path.name == "two.yaml" and "`questions:` should be a list" in problem.message


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_run_replays_to_the_identical_state(story: Story, fmt: export.Format) -> None:
    for role in story.roles:
        for state in every_run(story, role):
            for moment in (state, state.at_step(1), state.at_step(0)):
                document = export.export(story, moment, fmt)
                replayed = replay_document(story, document)
                assert replayed == moment
                assert replayed.trail == moment.trail and replayed.vars == moment.vars


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_document_holds_every_choice_note_source_and_question(
    story: Story, fmt: export.Format
) -> None:
    state = engine.replay(
        story, "guard", 5, ["one.gate:open-the-gate", "one.hall:continue", "two.road:walk-on"]
    )
    text = export.export(story, state, fmt)
    plain = _visible_text(text) if fmt == "html" else text.replace("\\", "")
    for needed in (
        "Played as The guard, seed 5",
        "Whose view is this?",
        "A guard sees who comes to the gate",
        "A knock at the gate.",
        "You chose:",
        "Open the gate",
        "The gate was *opened* <b>.",
        "A. Author, A Book (1999)",
        "Walk on",
        "This choice is invented for the game.",
        "It happened so.",
        "You were there.",
        "Then this.",
        "Why open a gate at night?",
        "Who decides <who> comes in?",
        "What changed on the road?",
        "Trusted",  # the ending reached: trust is 2
        "They trusted you.",
        "The Host",
        "Lived long.",
        "Sources met in this run",
    ):
        assert needed in plain, needed
    assert plain.index("It happened so.") < plain.index("Why open a gate") < plain.index("Walk on")


def test_an_unfinished_run_says_so_and_has_no_ending(story: Story) -> None:
    state = engine.start(story, "clerk", 1)
    for fmt in FORMATS:
        text = export.export(story, state, fmt)
        assert "The run stops here" in text and "They trusted you" not in text
        assert "Whose view is this?" not in text  # the clerk has no perspective written


def test_markdown_escapes_what_would_change_the_words(story: Story) -> None:
    state = engine.replay(story, "guard", 5, ["one.gate:open-the-gate"])
    text = export.export(story, state, "markdown")
    assert r"The gate was \*opened\* \<b\>." in text
    assert _md("1929. A year.") == r"1929\. A year."
    assert _md("- not a list") == r"\- not a list"
    assert _md("# not a heading") == r"\# not a heading"


def test_html_is_standalone_escaped_and_well_formed(story: Story) -> None:
    state = engine.replay(story, "guard", 5, ["one.gate:open-the-gate"])
    page = export.export(story, state, "html")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert "<b>" not in page and "&lt;b&gt;" in page
    for remote in ("<link", "<script", "src=", "@import", "url("):
        assert remote not in page, remote
    assert "@media print" in page
    checker = _Structure()
    checker.feed(page)
    assert checker.stack == [] and checker.errors == []
    assert {"main", "header", "section", "h1", "h2", "h3", "aside", "ol", "cite"} <= checker.seen


def test_control_characters_never_reach_the_document(write_story: Callable[..., Path]) -> None:
    escaped = PHASE_ONE.replace("text: |\n      A knock at the gate.", 'text: "A\\e[31m knock."')
    with pytest.raises(LoadError, match="1 error"):  # the loader refuses them (issue 14)...
        load_story(write_story("escaped", one_yaml=escaped))
    story = load_story(write_story())  # ...and the export escapes them all the same
    gate = story.scenes["one.gate"]
    text = (replace(gate.text[0], text="A\x1b[31m knock."), *gate.text[1:])
    scenes = {**story.scenes, "one.gate": replace(gate, text=text)}
    story = replace(story, scenes=MappingProxyType(scenes))
    state = engine.start(story, "guard", 1)
    for fmt in FORMATS:
        text = export.export(story, state, fmt)
        assert "\x1b" not in text and "31m knock." in text


def test_header_is_json_in_a_comment_and_survives_double_dashes(story: Story) -> None:
    state = engine.replay(story, "guard", 5, ["one.gate:open-the-gate"])
    text = export.export(story, state, "markdown")
    assert text.startswith("<!-- exilegame-run\n")
    header = read_header(text)
    assert (header.story, header.role, header.seed) == ("test-story", "guard", 5)
    assert header.trail == ("one.gate:open-the-gate",)
    odd = export.RunHeader("a--b", "f", "r", 1, ("x--y.z:c-->d",)).to_json()
    assert "--" not in odd and "<" not in odd
    assert json.loads(odd)["trail"] == ["x--y.z:c-->d"]


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda t: "# just notes\n", "not an exported run"),
        (lambda t: t.replace('"seed": 5', '"seed": five'), "JSON does not parse"),
        (lambda t: t.replace('"seed": 5', '"seed": "5"'), "damaged"),
        (lambda t: t.replace('"kind": "exilegame-run"', '"kind": "x"'), "damaged"),
        (lambda t: t.replace('"format": 1', '"format": 99'), "unknown format"),
        (lambda t: t.replace('"test-story"', '"other-story"'), "'other-story', not 'test-story'"),
        (lambda t: t.replace('"role": "guard"', '"role": "cook"'), "no role 'cook'"),
        (lambda t: t.replace("open-the-gate", "climb-the-wall"), "no longer replays"),
    ],
)
def test_a_damaged_or_foreign_file_is_one_clear_line(
    story: Story, mangle: Callable[[str], str], message: str
) -> None:
    state = engine.replay(story, "guard", 5, ["one.gate:open-the-gate"])
    text = mangle(export.export(story, state, "markdown"))
    with pytest.raises(ExportError) as caught:
        replay_document(story, text)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_control_characters_in_a_header_are_not_echoed(story: Story) -> None:
    state = engine.start(story, "guard", 5)
    text = export.export(story, state, "markdown").replace('"guard"', '"\\u001b[2Jx"')
    with pytest.raises(ExportError) as caught:
        replay_document(story, text)
    assert "\x1b" not in str(caught.value)


def test_format_follows_the_file_name() -> None:
    assert export.format_for("run.html") == "html"
    assert export.format_for("RUN.HTM") == "html"
    assert export.format_for("run.md") == "markdown"
    assert export.format_for("run.txt") == "markdown"


def test_shipped_story_runs_replay_and_hold_every_choice() -> None:
    story = load_story(shipped_scenes())
    for number, role in enumerate(story.roles):
        state = random_run(story, role, 40 + number)
        for fmt in FORMATS:
            text = export.export(story, state, fmt)
            assert replay_document(story, text) == state
            shown = _visible_text(text) if fmt == "html" else text.replace("\\", "")
            for key in state.trail:
                choice = engine.choice_at(story, key)
                if choice is None:
                    continue
                assert choice.text in shown
                if choice.note:
                    assert choice.note in shown
                for source in choice.sources:
                    assert story.sources[source].citation() in shown
            for phase in story.phases:
                for question in phase.outcome.questions:
                    assert question in shown


# -- helpers --------------------------------------------------------------------------------

_VOID = {"meta", "br", "hr", "img", "input", "link"}


class _Structure(HTMLParser):
    """Checks that every element is closed in order; records which elements appear."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.seen: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.add(tag)
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
        else:
            self.stack.pop()


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skip = tag in ("style", "title")

    def handle_endtag(self, tag: str) -> None:
        self.skip = False

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def _visible_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return "".join(parser.parts)
