"""The game's rules as pure functions over a small frozen State. No I/O, no UI.

    start(story, role, seed)       -> State
    choices(story, state)          -> [Option]     what the player can pick now
    choose(story, state, choice)   -> State        one step; the old state is untouched
    rewind(state, steps)           -> State        instant: each State links to the one before
    replay(story, role, seed, trail) -> State      rebuild a run from its trail of choices

A State records the choice that led to it and the State before it, so the trail of a run,
rewinding and branching need no replay. Its JSON form (`to_json`/`from_json`) holds every
step and round-trips exactly without the story; saves store only the trail and replay it,
so that they survive edits to the story.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from exilegame._record import draft
from exilegame.errors import (
    AuthorError,
    ChoiceUnavailable,
    EngineError,
    ExprFault,
    ReplayError,
)
from exilegame.expr import Compiled, Value
from exilegame.state import STATE_FORMAT, State, Status, successor
from exilegame.story import CONTINUE, Choice, Ending, Paragraph, Person, Phase, Story

__all__ = [
    "STATE_FORMAT",
    "Option",
    "State",
    "Status",
    "choice_at",
    "choices",
    "choose",
    "choose_number",
    "cited_sources",
    "ending",
    "ending_text",
    "epilogue_text",
    "fates",
    "met_people",
    "outcome_texts",
    "phase_choices",
    "phase_ends",
    "replay",
    "rewind",
    "shown",
    "start",
    "state_key",
    "status",
    "text",
    "visible_state",
    "visited_places",
]


@dataclass(frozen=True, slots=True)
class Option:
    """A choice as offered in one state: its text, and whether it can be taken now."""

    id: str
    text: str
    enabled: bool
    number: int  # 1-based position among the options shown
    choice: Choice | None  # None for the engine's own "continue" at a phase's end


_DraftOption = draft(Option)  # `choices` makes one per choice shown, at every step


def start(story: Story, role: str, seed: int = 0) -> State:
    """A new run for `role` at the story's start."""
    if role not in story.roles:
        raise EngineError(f"there is no role '{role}'; the roles are: {', '.join(story.roles)}")
    visits = {story.start: 1} if story.start in story.tracked_scenes else {}
    return State(
        role, seed, story.start, MappingProxyType(story.start_values), MappingProxyType(visits)
    )


def status(story: Story, state: State) -> Status:
    """Whether the run is playing, at a phase's end, or over."""
    scene = story.scenes[state.scene]
    if scene.choices:
        return Status.PLAYING
    if scene.ends_game or story.next_phase(scene.phase) is None:
        return Status.GAME_END
    return Status.PHASE_END


def holds(condition: Compiled | None, state: State) -> bool:
    """Whether a condition holds; one that cannot be computed (a division by zero) does not.

    `authoring.explore.faults` reports such conditions: they are the author's to fix.
    """
    if condition is None:
        return True
    try:
        return bool(condition.function(state.vars, state))
    except ExprFault:
        return False


def shown(paragraphs: Sequence[Paragraph], state: State) -> list[str]:
    """The paragraphs whose condition holds in this state (empty ones left out)."""
    texts: list[str] = []  # a loop, not a comprehension: that is a new function per call
    for paragraph in paragraphs:
        if paragraph.text and (paragraph.condition is None or holds(paragraph.condition, state)):
            texts.append(paragraph.text)
    return texts


def text(story: Story, state: State) -> list[str]:
    """The paragraphs of the current scene that show in this state (`shown`, written out:
    a call less at every step)."""
    texts: list[str] = []
    for paragraph in story.scenes[state.scene].text:
        if paragraph.text and (paragraph.condition is None or holds(paragraph.condition, state)):
            texts.append(paragraph.text)
    return texts


def choices(story: Story, state: State) -> list[Option]:
    """The options to show now: available choices, plus locked ones marked `show_locked`.

    At a phase's end the only option is the engine's "continue" into the next phase; at the
    game's end there is none.
    """
    scene = story.scenes[state.scene]
    if not scene.choices:
        if status(story, state) is Status.PHASE_END:
            nxt = story.next_phase(scene.phase)
            assert nxt is not None
            return [Option(CONTINUE, f"Go on: {nxt.title}", True, 1, None)]
        return []
    options: list[Option] = []
    vars_ = state.vars
    number = 0
    for choice in scene.choices:
        cond = choice.condition
        if cond is None:
            ok = True
        else:
            try:
                ok = True if cond.function(vars_, state) else False  # noqa: SIM210 (no call)
            except ExprFault:  # see `holds`
                ok = False
        if ok or choice.show_locked:
            number += 1
            option: Any = _DraftOption()
            option.id = choice.id
            option.text = choice.text
            option.enabled = ok
            option.number = number
            option.choice = choice
            option.__class__ = Option
            options.append(option)
    return options


def choose(story: Story, state: State, choice_id: str) -> State:
    """Take a choice by id: apply its effect and move on. Pure: returns a new State."""
    scene = story.scenes[state.scene]
    if not scene.choices:
        if choice_id != CONTINUE or status(story, state) is not Status.PHASE_END:
            raise ChoiceUnavailable(
                f"the game has ended at {scene.id}"
                if status(story, state) is Status.GAME_END
                else f"at the end of a phase the only choice is '{CONTINUE}', not '{choice_id}'"
            )
        nxt = story.next_phase(scene.phase)
        assert nxt is not None
        return _arrive(story, state, nxt.start, state.vars, f"{scene.id}:{CONTINUE}")
    for choice in scene.choices:  # Scene.choice and `holds`, written out: calls cost here
        if choice.id == choice_id:
            break
    else:
        raise ChoiceUnavailable(f"the scene {scene.id} has no choice '{choice_id}'")
    vars_ = state.vars
    if choice.condition is not None:
        try:
            ok = choice.condition.function(vars_, state)
        except ExprFault:
            ok = False
        if not ok:
            raise ChoiceUnavailable(f"the choice '{choice_id}' is not available now")
    if choice.effect is not None:
        # a proxy's copy() is a dict's own copy, several times faster than dict(proxy)
        changed = vars_.copy() if isinstance(vars_, MappingProxyType) else dict(vars_)
        try:
            choice.effect.function(changed, state)
        except ExprFault as fault:  # the story's mistake: the choice is not taken
            raise AuthorError(
                fault.reason, choice.effect.source, choice.where, choice.key
            ) from None
        vars_ = MappingProxyType(changed)
    if choice.target not in story.tracked_scenes:  # no visit to count: `_arrive`'s own end
        return successor(state, choice.target, vars_, state.visits, choice.key)
    return _arrive(story, state, choice.target, vars_, choice.key)


def _arrive(story: Story, state: State, target: str, vars_: Mapping[str, Value], key: str) -> State:
    visits = state.visits
    if target in story.tracked_scenes:
        # A count stops at the largest number any expression compares it with: beyond it
        # no expression can tell counts apart, and the explorer's states stay finite.
        count, limit = visits.get(target, 0), story.tracked_scenes[target]
        if limit is None or count < limit:
            visits = MappingProxyType({**visits, target: count + 1})
    return successor(state, target, vars_, visits, key)


def choose_number(story: Story, state: State, number: int) -> State:
    """Take the option shown as `number` (1-based), as a player typing a digit would."""
    options = choices(story, state)
    if not 1 <= number <= len(options):
        if not options:
            raise ChoiceUnavailable("there are no choices here")
        span = "1" if len(options) == 1 else f"1 to {len(options)}"
        raise ChoiceUnavailable(f"there is no choice {number}; choose {span}")
    option = options[number - 1]
    if not option.enabled:
        raise ChoiceUnavailable(f"choice {number} is not available now")
    return choose(story, state, option.id)


def rewind(state: State, steps: int = 1) -> State:
    """The state `steps` choices ago. Instant: no replay."""
    if steps < 0:
        raise EngineError("cannot rewind a negative number of steps")
    if steps > state.step:
        raise EngineError(f"cannot rewind {steps} steps: only {state.step} taken")
    return state.at_step(state.step - steps)


def replay(story: Story, role: str, seed: int, trail: Sequence[str]) -> State:
    """Rebuild a run from its trail; ReplayError says which step no longer fits the story."""
    state = start(story, role, seed)
    for index, key in enumerate(trail, start=1):
        scene_id, _, choice_id = key.rpartition(":")
        if scene_id != state.scene:
            raise ReplayError(
                index,
                key,
                f"the run was at '{scene_id}' but the story now leads to '{state.scene}'",
            )
        try:
            state = choose(story, state, choice_id)
        except ChoiceUnavailable:
            scene = story.scenes[state.scene]
            if choice_id != CONTINUE and scene.choice(choice_id) is None:
                reason = f"the choice '{choice_id}' in '{scene_id}' no longer exists"
            else:
                reason = f"the choice '{choice_id}' in '{scene_id}' is no longer available"
            raise ReplayError(index, key, reason) from None
        except AuthorError as exc:
            raise ReplayError(index, key, str(exc)) from None
    return state


def ending(story: Story, state: State) -> Ending:
    """The ending reached: the first whose condition holds in this state."""
    for candidate in story.endings:
        if holds(candidate.condition, state):
            return candidate
    return story.endings[-1]


def ending_text(story: Story, state: State) -> list[str]:
    """The paragraphs of the ending reached that show in this state."""
    return shown(ending(story, state).text, state)


def epilogue_text(story: Story, state: State) -> list[str]:
    """The story's epilogue paragraphs that show in this state."""
    return shown(story.epilogue, state)


def phase_ends(story: Story, state: State) -> list[tuple[Phase, State]]:
    """Each phase this run finished, with the state at its end, oldest first.

    A phase re-entered through a backward `go:` counts once, at its last end.
    """
    ends: dict[str, State] = {}
    for s in reversed(list(state.history())):
        if not story.scenes[s.scene].choices:
            ends[story.scenes[s.scene].phase] = s
    ordered = sorted(ends.items(), key=lambda kv: story.phase_index[kv[0]])
    return [(story.phases[story.phase_index[pid]], s) for pid, s in ordered]


def outcome_texts(story: Story, state: State, phase_id: str) -> list[str]:
    """The phase's "what you did" texts that hold in this state."""
    phase = story.phases[story.phase_index[phase_id]]
    return [v.text for v in phase.outcome.yours if holds(v.condition, state)]


def choice_at(story: Story, key: str) -> Choice | None:
    """The authored choice a trail key names; None for the engine's "continue" or a stale key."""
    scene_id, _, choice_id = key.rpartition(":")
    scene = story.scenes.get(scene_id)
    return scene.choice(choice_id) if scene is not None else None


def phase_choices(story: Story, state: State, phase_id: str) -> list[Choice]:
    """The choices this run made in a phase since it last entered it, oldest first (the
    engine's "continue" left out). A phase re-entered through a backward `go:` shows only
    its last pass, as its outcome texts are those of its last end (see `phase_ends`)."""
    made: list[Choice] = []
    inside = False
    for s in state.history():  # newest first
        if s.previous is None:
            break
        here = story.scenes[s.previous.scene].phase == phase_id
        if inside and not here:
            break  # the run came into the phase here: earlier passes are not this one
        inside = inside or here
        if here:
            choice = choice_at(story, s.choice)
            if choice is not None:
                made.append(choice)
    made.reverse()
    return made


def visible_state(story: Story, state: State) -> list[tuple[str, Value, Any]]:
    """(label, value, variable) for each variable the manifest says the player sees."""
    return [(v.label, state.vars[name], v) for name, v in story.variables.items() if v.show]


def met_people(story: Story, state: State) -> list[str]:
    """Ids of the people who appeared in the scenes of this run, in order of meeting."""
    seen: dict[str, None] = {}
    for s in reversed(list(state.history())):
        for pid in story.scenes[s.scene].people:
            seen.setdefault(pid, None)
    return list(seen)


def fates(story: Story, state: State) -> list[Person]:
    """The people this run met who have a fate to tell, in order of meeting (the epilogue)."""
    return [story.people[p] for p in met_people(story, state) if story.people[p].fate]


def visited_places(story: Story, state: State) -> list[str]:
    """Ids of the places this run has been, in order."""
    seen: dict[str, None] = {}
    for s in reversed(list(state.history())):
        seen.setdefault(story.scenes[s.scene].place, None)
    return list(seen)


def cited_sources(story: Story, state: State) -> list[str]:
    """Keys of the sources cited by the notes of the choices this run made."""
    seen: dict[str, None] = {}
    for key in state.trail:
        choice = choice_at(story, key)
        if choice is not None:
            for source in choice.sources:
                seen.setdefault(source, None)
    return list(seen)


def state_key(story: Story, state: State) -> tuple[Any, ...]:
    """What makes two states play the same from here on (for the explorer's deduplication)."""
    key: tuple[Any, ...] = (
        state.role,
        state.scene,
        tuple(state.vars.values()),
        tuple(sorted(state.visits.items())),
    )
    if story.uses_turns:
        key += (state.seed, state.step)
    return key
