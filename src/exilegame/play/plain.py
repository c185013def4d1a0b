"""Line-mode play: numbered choices on stdin, plain text on stdout, no escape codes.

For screen readers, pipes and scripted replays (`--choices 1,3,2`). Reads one line per
choice; `u` undoes the last choice, `q` quits, end of input ends the game cleanly. The run
goes through the same `Session` as the terminal interface: it is autosaved after every choice
(Continue in the full-screen game resumes it) and feeds the explored-paths record.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from exilegame import engine
from exilegame.errors import EngineError, SaveError
from exilegame.play.session import Session
from exilegame.story import Story, format_date

HELP = "Type a choice's number, u to undo the last choice, or q to quit."


class PlainPlayer:
    """Plays one story in line mode; input and output are plain text streams."""

    def __init__(
        self,
        story: Story,
        out: TextIO,
        lines: Iterator[str],
        width: int,
        data_root: Path | None = None,
    ) -> None:
        self.story = story
        self.session = Session(story, data_root)
        self.out = out
        self.lines = lines
        self.width = width

    def say(self, text: str = "") -> None:
        if not text:
            print(file=self.out)
            return
        filled = (textwrap.fill(p, self.width) for p in text.split("\n\n"))
        print("\n\n".join(filled), file=self.out)

    def ask(self, prompt: str) -> str | None:
        """The next answer, echoed after the prompt; None at end of input."""
        print(prompt, end="", file=self.out, flush=True)
        try:
            answer = next(self.lines)
        except StopIteration:
            print(file=self.out)
            return None
        answer = answer.strip()
        if not sys.stdin.isatty():  # a terminal echoes what was typed; a pipe does not
            print(answer, file=self.out)
        return answer

    def choose_role(self, given: str | None) -> str | None:
        roles = list(self.story.roles.values())
        if given:
            return given
        if len(roles) == 1:
            return roles[0].id
        self.say("Who are you in this story?")
        self.say()
        for number, role in enumerate(roles, 1):
            self.say(
                f"{number}. {role.name}: {role.blurb}" if role.blurb else f"{number}. {role.name}"
            )
        while True:
            answer = self.ask(f"Choose 1–{len(roles)}: ")
            if answer is None or answer.lower() in ("q", "quit"):
                return None
            if answer.isdigit() and 1 <= int(answer) <= len(roles):
                return roles[int(answer) - 1].id
            if answer in self.story.roles:
                return answer
            self.say(f"Type a number from 1 to {len(roles)}, or q to quit.")

    def show_scene(self, state: engine.State, previous: engine.State | None) -> None:
        story = self.story
        scene = story.scenes[state.scene]
        phase = story.phase_of(state.scene)
        if previous is None or story.scenes[previous.scene].phase != scene.phase:
            self.say()
            heading = f"{phase.title}, {phase.span}" if phase.span else phase.title
            self.say(f"=== {heading} ===")
            if phase.intro:
                self.say()
                self.say(phase.intro)
        place = story.places.get(scene.place)
        where = place.name if place else scene.place
        self.say()
        title = f"{scene.title}. " if scene.title else ""
        self.say(f"--- {title}{format_date(scene.date)}, {where} ---")
        self.say()
        self.say("\n\n".join(engine.text(story, state)))

    def show_note(self, state: engine.State) -> None:
        choice = engine.choice_at(self.story, state.choice)
        if choice is None or not choice.note:
            return
        self.say()
        cited = "; ".join(self.story.sources[k].citation() for k in choice.sources)
        self.say(f"What really happened: {choice.note}" + (f" (Source: {cited}.)" if cited else ""))

    def show_outcome(self, state: engine.State) -> None:
        story = self.story
        phase = story.phase_of(state.scene)
        self.say()
        self.say(f"=== End of {phase.title} ===")
        self.say()
        self.say("What really happened:")
        self.say(phase.outcome.history)
        yours = engine.outcome_texts(story, state, phase.id)
        made = engine.phase_choices(story, state, phase.id)
        if yours:
            self.say()
            self.say("What you did:")
            self.say("\n\n".join(yours))
        if made:
            self.say()
            self.say("Your choices in this part:")
            for choice in made:
                invented = "" if choice.documented else " (invented for the game)"
                self.say(f"- {choice.text}{invented}")
                if choice.note:
                    self.say(f"  {choice.note}")

    def show_ending(self, state: engine.State) -> None:
        story = self.story
        reached = engine.ending(story, state)
        self.say()
        self.say(f"=== {reached.title} ===")
        for paragraph in engine.ending_text(story, state) + engine.epilogue_text(story, state):
            self.say()
            self.say(paragraph)
        fates = engine.fates(story, state)
        if fates:
            self.say()
            self.say("What became of them:")
            for person in fates:
                self.say()
                dates = f" ({person.dates})" if person.dates else ""
                self.say(f"{person.name}{dates}: {person.fate}")
        self.say()
        self.say("The end.")

    def play(
        self, role: str, seed: int, queued: list[str], resume: engine.State | None = None
    ) -> int:
        """Play to the end, to `q` or to the end of input; the run is autosaved throughout.

        `resume` is a run brought back by --replay: play goes on from there.
        """
        try:
            return self._play(role, seed, queued, resume)
        finally:
            self._leave()

    def _leave(self) -> None:
        """Autosave durably and write the explored record; a failure is said, not raised."""
        session = self.session
        try:
            session.autosave()
        except SaveError as exc:
            print(f"exilegame: {exc}", file=sys.stderr)
        finally:
            session.close()

    def _play(self, role: str, seed: int, queued: list[str], resume: engine.State | None) -> int:
        story, session = self.story, self.session
        state = session.resume(resume) if resume is not None else session.new_game(role, seed)
        self.say(f"{story.title}. Playing as {story.roles[role].name}; seed {seed}.")
        if state.step:
            self.say(f"(Replayed {state.step} choices: play goes on from there.)")
        previous: engine.State | None = None
        while True:
            self.show_scene(state, previous)
            status = engine.status(story, state)
            if status is engine.Status.GAME_END:
                self.show_outcome(state)
                self.show_ending(state)
                return 0
            if status is engine.Status.PHASE_END:
                self.show_outcome(state)
            options = engine.choices(story, state)
            self.say()
            for option in options:
                locked = "" if option.enabled else " (not available now)"
                self.say(f"{option.number}. {option.text}{locked}")
            while True:
                answer: str | None
                if queued:
                    answer = queued.pop(0).strip()
                    print(f"> {answer}", file=self.out)
                else:
                    answer = self.ask("> ")
                if answer is None or answer.lower() in ("q", "quit"):
                    self.say("Goodbye.")
                    return 0
                if answer.lower() in ("u", "undo"):
                    if state.step == 0:
                        self.say("Nothing to undo: this is the start.")
                        continue
                    previous, state = None, session.rewind(1)
                    self.say("(Undone.)")
                    break
                if answer in ("?", "h", "help"):
                    self.say(HELP)
                    continue
                try:
                    if answer.isdigit():
                        new = session.choose_number(int(answer))
                    else:
                        new = session.choose(answer)
                except EngineError as exc:
                    self.say(f"{exc}. {HELP}")
                    continue
                previous, state = state, new
                error = session.take_autosave_error()
                if error:
                    print(f"exilegame: autosave failed: {error}", file=sys.stderr)
                self.show_note(state)
                break
