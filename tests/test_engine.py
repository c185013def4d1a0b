"""The engine: pure, deterministic, serialisable, instantly rewindable."""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from exilegame import engine
from exilegame._files import shipped_scenes
from exilegame.engine import State, Status
from exilegame.errors import ChoiceUnavailable, EngineError, ReplayError
from exilegame.format.load import load_story
from exilegame.story import CONTINUE, Story

WriteStory = Callable[..., Path]


@pytest.fixture
def story(write_story: WriteStory) -> Story:
    return load_story(write_story())


def random_run(story: Story, role: str, seed: int, rng: random.Random) -> State:
    state = engine.start(story, role, seed)
    while options := [o for o in engine.choices(story, state) if o.enabled]:
        state = engine.choose(story, state, rng.choice(options).id)
    return state


def test_start_and_choices(story: Story) -> None:
    state = engine.start(story, "guard", 7)
    assert (state.scene, state.step, state.trail) == ("one.gate", 0, ())
    assert dict(state.vars) == {"trust": 0, "warned": False}
    assert [o.text for o in engine.choices(story, state)] == ["Open the gate", "Keep it shut"]
    clerk = engine.start(story, "clerk", 7)
    assert [o.text for o in engine.choices(story, clerk)] == ["Open the gate"]


def test_unknown_role_is_refused(story: Story) -> None:
    with pytest.raises(EngineError, match="no role 'cook'"):
        engine.start(story, "cook", 1)


def test_choose_is_pure(story: Story) -> None:
    state = engine.start(story, "guard", 1)
    before = copy.deepcopy(state.to_json())
    scenes_before = dict(story.scenes)
    after = engine.choose(story, state, "keep-it-shut")
    assert state.to_json() == before
    assert dict(story.scenes) == scenes_before
    assert after.previous is state
    assert dict(after.vars) == {"trust": 0, "warned": True}
    assert after.trail == ("one.gate:keep-it-shut",)


def test_state_and_story_are_frozen(story: Story) -> None:
    state = engine.start(story, "guard", 1)
    with pytest.raises(AttributeError):
        state.scene = "one.hall"  # type: ignore[misc]
    with pytest.raises(TypeError):
        state.vars["trust"] = 3  # type: ignore[index]
    with pytest.raises(TypeError):
        story.scenes["x"] = story.scenes["one.gate"]  # type: ignore[index]


LOOP_PHASE = """\
phase: one
title: One
scenes:
  gate:
    date: 1929
    place: house
    text: Again.
    choices:
      - {text: Gain, do: trust += 2, go: gate, documented: false}
      - {text: Lose, do: trust -= 5, go: gate, documented: false}
      - {text: Leave, go: two.road, documented: false}
outcome:
  history: H.
"""


def test_effects_are_clamped_to_bounds(write_story: WriteStory) -> None:
    story = load_story(write_story("loop", one_yaml=LOOP_PHASE))
    state = engine.start(story, "guard", 1)
    values = []
    for choice in ("gain", "gain", "gain", "lose", "gain"):
        state = engine.choose(story, state, choice)
        values.append(state.vars["trust"])
    assert values == [2, 3, 3, 0, 2]  # min 0, max 3


def test_unavailable_and_unknown_choices_are_refused(story: Story) -> None:
    clerk = engine.start(story, "clerk", 1)
    with pytest.raises(ChoiceUnavailable, match="not available"):
        engine.choose(story, clerk, "keep-it-shut")
    with pytest.raises(ChoiceUnavailable, match="no choice 'fly'"):
        engine.choose(story, clerk, "fly")
    with pytest.raises(ChoiceUnavailable, match="choose 1"):
        engine.choose_number(story, clerk, 2)


def test_conditional_paragraphs(story: Story) -> None:
    guard = engine.start(story, "guard", 1)
    shut = engine.choose(story, guard, "keep-it-shut")
    opened = engine.choose(story, guard, "open-the-gate")
    assert engine.text(story, shut) == ["The hall is cold.", "You kept the gate shut."]
    assert engine.text(story, opened) == ["The hall is cold."]


def test_phase_end_continue_and_game_end(story: Story) -> None:
    state = engine.choose(story, engine.start(story, "guard", 1), "keep-it-shut")
    assert engine.status(story, state) is Status.PHASE_END
    assert engine.outcome_texts(story, state, "one") == ["You were careful.", "You were there."]
    assert [c.id for c in engine.phase_choices(story, state, "one")] == ["keep-it-shut"]
    [option] = engine.choices(story, state)
    assert (option.id, option.text) == (CONTINUE, "Go on: Two")
    with pytest.raises(ChoiceUnavailable):
        engine.choose(story, state, "open-the-gate")
    state = engine.choose(story, state, CONTINUE)
    assert (state.scene, engine.status(story, state)) == ("two.road", Status.PLAYING)
    state = engine.choose(story, state, "walk-on")
    assert engine.status(story, state) is Status.GAME_END
    assert engine.choices(story, state) == []
    assert engine.ending(story, state).id == "plain"
    with pytest.raises(ChoiceUnavailable, match="ended"):
        engine.choose(story, state, CONTINUE)


def test_first_matching_ending(story: Story) -> None:
    state = engine.start(story, "guard", 1)
    for choice in ("open-the-gate", CONTINUE, "walk-on"):
        state = engine.choose(story, state, choice)
    assert state.vars["trust"] == 2
    assert engine.ending(story, state).id == "trusted"


def test_determinism_same_seed_same_choices(story: Story) -> None:
    a = random_run(story, "guard", 42, random.Random(5))
    b = random_run(story, "guard", 42, random.Random(5))
    assert a == b and a.to_json() == b.to_json()
    assert engine.replay(story, "guard", 42, a.trail) == a


def test_chance_is_deterministic_per_seed_and_step(write_story: WriteStory) -> None:
    text = Path(write_story()).joinpath("one.yaml").read_text()
    folder = write_story("dice", one_yaml=text.replace('if: role == "guard"', "if: chance(50)"))
    story = load_story(folder)
    seen = set()
    for seed in range(40):
        options = [o.id for o in engine.choices(story, engine.start(story, "guard", seed))]
        again = [o.id for o in engine.choices(story, engine.start(story, "guard", seed))]
        assert options == again
        seen.add(len(options))
    assert seen == {1, 2}  # both outcomes happen across seeds
    assert story.uses_turns


def test_json_round_trip_is_exact_at_every_step(story: Story) -> None:
    rng = random.Random(3)
    for role in ("guard", "clerk"):
        for seed in range(10):
            final = random_run(story, role, seed, rng)
            for state in final.history():
                again = State.from_json(state.to_json())
                assert again == state
                assert again.to_json() == state.to_json()
                assert again.trail == state.trail


def test_json_round_trip_of_the_shipped_story() -> None:
    story = load_story(shipped_scenes())
    rng = random.Random(11)
    for role in story.roles:
        final = random_run(story, role, 1, rng)
        assert State.from_json(final.to_json()) == final
        assert engine.replay(story, role, 1, final.trail) == final


def test_from_json_rejects_garbage() -> None:
    for text in (
        "",
        "[]",
        '{"format": 1}',
        '{"format": 9, "frames": []}',
        '{"format": 1, "role": "a", "seed": 1, "frames": []}',
    ):
        with pytest.raises(EngineError):
            State.from_json(text)


def test_rewind_is_instant_and_repeatable_to_the_start(story: Story) -> None:
    start = engine.start(story, "guard", 1)
    s1 = engine.choose(story, start, "keep-it-shut")
    s2 = engine.choose(story, s1, CONTINUE)
    s3 = engine.choose(story, s2, "turn-back")
    assert engine.rewind(s3) is s2
    assert engine.rewind(engine.rewind(s3)) is s1
    assert engine.rewind(s3, 3) is start
    assert engine.rewind(s3, 0) is s3
    with pytest.raises(EngineError):
        engine.rewind(s3, 4)
    with pytest.raises(EngineError):
        engine.rewind(s3, -1)
    assert s3.at_step(1) is s1


def test_branching_from_an_earlier_choice(story: Story) -> None:
    s1 = engine.choose(story, engine.start(story, "guard", 1), "open-the-gate")
    s3 = engine.choose(story, engine.choose(story, s1, CONTINUE), "walk-on")
    branch = engine.choose(story, s3.at_step(0), "keep-it-shut")
    assert branch.trail == ("one.gate:keep-it-shut",)
    assert s3.trail == ("one.gate:open-the-gate", "one.hall:continue", "two.road:walk-on")


def test_replay_reports_the_step_that_no_longer_fits(story: Story) -> None:
    trail = ("one.gate:open-the-gate", "one.hall:continue", "two.road:walk-on")
    assert engine.replay(story, "guard", 1, trail).scene == "two.inn"
    with pytest.raises(ReplayError) as caught:
        engine.replay(story, "guard", 1, (trail[0], trail[1], "two.road:run-away"))
    assert caught.value.step == 3
    assert "the choice 'run-away' in 'two.road' no longer exists" in str(caught.value)
    with pytest.raises(ReplayError, match="no longer available"):
        engine.replay(story, "clerk", 1, ("one.gate:keep-it-shut",))
    with pytest.raises(ReplayError, match=r"was at .one\.hall."):
        engine.replay(
            story, "guard", 1, ("one.gate:open-the-gate", "one.hall:continue", "one.hall:continue")
        )


def test_journal_material_follows_the_run(story: Story) -> None:
    state = engine.choose(story, engine.start(story, "guard", 1), "open-the-gate")
    assert engine.met_people(story, state) == ["host"]
    assert engine.visited_places(story, state) == ["house"]
    assert engine.cited_sources(story, state) == ["book"]
    assert [label for label, _, _ in engine.visible_state(story, state)] == ["Trust"]


def test_visited_tracks_only_asked_about_scenes(write_story: WriteStory) -> None:
    text = Path(write_story()).joinpath("two.yaml").read_text()
    folder = write_story(
        "v",
        two_yaml=text.replace(
            "      - text: Turn back\n",
            '      - text: Turn back\n        if: visited("one.hall")\n',
        ),
    )
    story = load_story(folder)
    assert story.tracked_scenes == {"one.hall": 1}
    state = engine.choose(story, engine.start(story, "guard", 1), "open-the-gate")
    assert dict(state.visits) == {"one.hall": 1}
    state = engine.choose(story, state, CONTINUE)
    assert [o.id for o in engine.choices(story, state)] == ["walk-on", "turn-back"]


ENDINGS_MANIFEST = """\
title: Paragraphs
roles:
  guard: {name: The guard}
  clerk: {name: The clerk}
state:
  kept: false
phases: [one]
places:
  hall: {name: The hall}
endings:
  - id: only
    title: It ended
    text:
      - The night was over.
      - if: kept
        text: You had kept the gate.
      - if: role == "clerk"
        text: You had kept the books.
epilogue:
  - Morning came.
  - if: not kept
    text: The gate stood open.
"""

ENDINGS_PHASE = """\
phase: one
title: One
scenes:
  hall:
    date: 1930
    place: hall
    text: The hall.
    choices:
      - {text: Keep it, do: kept = true, go: out, documented: false}
      - {text: Leave it, go: out, documented: false}
  out:
    date: 1930
    place: hall
    text: Out.
outcome:
  history: H.
  yours:
    - if: kept
      text: You kept it.
"""


def test_ending_and_epilogue_paragraphs_follow_the_run(write_story: WriteStory) -> None:
    folder = write_story("paras", story_yaml=ENDINGS_MANIFEST, one_yaml=ENDINGS_PHASE)
    (folder / "two.yaml").unlink()
    story = load_story(folder)
    kept = engine.choose(story, engine.start(story, "guard", 1), "keep-it")
    left = engine.choose(story, engine.start(story, "clerk", 1), "leave-it")
    assert engine.ending_text(story, kept) == ["The night was over.", "You had kept the gate."]
    assert engine.ending_text(story, left) == ["The night was over.", "You had kept the books."]
    assert engine.epilogue_text(story, kept) == ["Morning came."]
    assert engine.epilogue_text(story, left) == ["Morning came.", "The gate stood open."]
    [(phase, at_end)] = engine.phase_ends(story, kept)
    assert (phase.id, at_end.scene) == ("one", "one.out")
    assert engine.outcome_texts(story, at_end, "one") == ["You kept it."]


def test_phase_ends_are_taken_at_each_phase_end(story: Story) -> None:
    state = engine.start(story, "guard", 1)
    for choice in ("keep-it-shut", CONTINUE, "walk-on"):
        state = engine.choose(story, state, choice)
    ends = engine.phase_ends(story, state)
    assert [(p.id, s.step) for p, s in ends] == [("one", 1), ("two", 3)]


def test_phase_choices_of_a_re_entered_phase_are_its_last_pass(write_story: WriteStory) -> None:
    """A backward `go:` into an earlier phase: its outcome lists the choices of the last
    pass, not both passes added together."""
    text = Path(write_story()).joinpath("two.yaml").read_text()
    folder = write_story(
        "back",
        two_yaml=text.replace(
            "go: inn\n        documented: false\n  inn",
            "go: one.gate\n        documented: false\n  inn",
        ),
    )
    story = load_story(folder)
    state = engine.start(story, "guard", 1)
    for choice in ("open-the-gate", CONTINUE, "turn-back", "keep-it-shut"):
        state = engine.choose(story, state, choice)
    assert state.scene == "one.hall"
    assert [c.id for c in engine.phase_choices(story, state, "one")] == ["keep-it-shut"]
    assert [c.id for c in engine.phase_choices(story, state, "two")] == ["turn-back"]
    state = engine.choose(story, engine.choose(story, state, CONTINUE), "walk-on")
    assert [c.id for c in engine.phase_choices(story, state, "one")] == ["keep-it-shut"]
    assert [c.id for c in engine.phase_choices(story, state, "two")] == ["walk-on"]
