"""One moment of a run: a small frozen value that links to the moment before it.

A State records the choice that led to it and the State before it, so the trail of a run,
rewinding and branching need no replay. Its JSON form (`to_json`/`from_json`) holds every
step and round-trips exactly without the story. The rules that make new States are in
`engine`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import Any

from exilegame._record import draft
from exilegame.errors import EngineError
from exilegame.expr import Value

__all__ = ["STATE_FORMAT", "State", "Status", "successor"]

STATE_FORMAT = 1


class Status(Enum):
    """Where a run stands: playing, at the end of a phase, or at the end of the game."""

    PLAYING = "playing"
    PHASE_END = "phase_end"
    GAME_END = "game_end"


@dataclass(frozen=True, slots=True, eq=False)
class State:
    """One moment of a run. Frozen; `previous` links to the moment before the last choice."""

    role: str
    seed: int
    scene: str
    vars: Mapping[str, Value]
    visits: Mapping[str, int]
    step: int = 0
    choice: str = ""  # the trail key ("phase.scene:choice") that led here; "" at the start
    previous: State | None = field(default=None, repr=False)

    @property
    def trail(self) -> tuple[str, ...]:
        """Every choice taken since the start, oldest first."""
        keys = [s.choice for s in self.history() if s.choice]
        keys.reverse()
        return tuple(keys)

    def history(self) -> Iterator[State]:
        """This state, then each earlier one back to the start."""
        state: State | None = self
        while state is not None:
            yield state
            state = state.previous

    def at_step(self, step: int) -> State:
        """The state of this run after `step` choices (0 is the start)."""
        if not 0 <= step <= self.step:
            raise EngineError(f"this run has no step {step} (it has 0 to {self.step})")
        for state in self.history():
            if state.step == step:
                return state
        raise EngineError(f"step {step} is not recorded")  # unreachable: steps are contiguous

    def frame(self) -> tuple[Any, ...]:
        """What distinguishes this moment, leaving out how it was reached."""
        return (
            self.role,
            self.seed,
            self.scene,
            tuple(sorted(self.vars.items())),
            tuple(sorted(self.visits.items())),
            self.step,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, State):
            return NotImplemented
        a: State | None = self
        b: State | None = other
        while a is not None and b is not None:
            if a is b:
                return True
            if a.frame() != b.frame() or a.choice != b.choice:
                return False
            a, b = a.previous, b.previous
        return a is None and b is None

    def __hash__(self) -> int:
        return hash((self.frame(), self.choice))

    def to_json(self) -> str:
        """The whole run as JSON: every step's scene, variables and choice."""
        frames = [
            {"scene": s.scene, "vars": dict(s.vars), "visits": dict(s.visits), "choice": s.choice}
            for s in self.history()
        ]
        frames.reverse()
        data = {"format": STATE_FORMAT, "role": self.role, "seed": self.seed, "frames": frames}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @staticmethod
    def from_json(text: str) -> State:
        """The exact State that `to_json` wrote; raises EngineError on anything else."""
        try:
            data = json.loads(text)
            if data.get("format") != STATE_FORMAT:
                raise EngineError(f"unknown state format {data.get('format')!r}")
            state: State | None = None
            for step, frame in enumerate(data["frames"]):
                state = State(
                    role=str(data["role"]),
                    seed=int(data["seed"]),
                    scene=str(frame["scene"]),
                    vars=MappingProxyType(dict(frame["vars"])),
                    visits=MappingProxyType({k: int(v) for k, v in frame["visits"].items()}),
                    step=step,
                    choice=str(frame["choice"]),
                    previous=state,
                )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise EngineError(f"not a saved state: {exc}") from None
        if state is None:
            raise EngineError("not a saved state: it has no steps")
        return state


_Draft = draft(State)  # see `successor`


def successor(
    before: State, scene: str, vars_: Mapping[str, Value], visits: Mapping[str, int], choice: str
) -> State:
    """The State one choice after `before`: equal to `State(before.role, before.seed, scene,
    vars_, visits, before.step + 1, choice, before)`, and built several times faster (`choose`
    makes one at every step; docs/design.md, "The engine's hot path"). The result is an
    ordinary State: frozen, compared, hashed, pickled and written to JSON as any other.
    """
    state: Any = _Draft()
    state.role = before.role
    state.seed = before.seed
    state.scene = scene
    state.vars = vars_
    state.visits = visits
    state.step = before.step + 1
    state.choice = choice
    state.previous = before
    state.__class__ = State
    made: State = state
    return made
