"""The end of a phase: what really happened, set beside what this player did."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from exilegame import engine
from exilegame.play.tui.keys import early, ready_from_now
from exilegame.play.tui.widgets.footer import Footer
from exilegame.play.tui.widgets.more import SCROLL_BINDINGS, MoreBelow, scroll_text
from exilegame.story import Story


def yours_text(story: Story, state: engine.State, phase_id: str) -> Text:
    """The story's "what you did" texts, then each choice made in the phase with its note."""
    text = Text()
    for line in engine.outcome_texts(story, state, phase_id):
        text.append(f"{line}\n\n")
    made = engine.phase_choices(story, state, phase_id)
    if made:
        text.append("Your choices\n", style="bold")
    for choice in made:
        text.append("▸ ")
        text.append(choice.text, style="bold")
        if not choice.documented:
            text.append("  (invented for the game)", style="dim")
        text.append("\n")
        if choice.note:
            text.append(f"  {choice.note}\n", style="italic")
    return text


class OutcomeScreen(Screen[bool]):
    """Dismisses True to go on (next phase, or the epilogue), False to go back to the scene."""

    CSS_PATH = "outcome.tcss"  # parsed when the screen is first shown, not at start-up
    SCOPED_CSS = False  # the rules name this screen's widgets by id, as app.tcss did

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,space", "go_on", "Go on"),
        Binding("escape", "back", "Back to the scene"),
        *SCROLL_BINDINGS,
    ]

    def __init__(self, story: Story, state: engine.State) -> None:
        super().__init__()
        self.story = story
        self.state = state
        self._ready_at = ready_from_now()

    def compose(self) -> ComposeResult:
        story, state = self.story, self.state
        phase = story.phase_of(state.scene)
        nxt = story.next_phase(phase.id)
        ends_game = engine.status(story, state) is engine.Status.GAME_END
        span = f", {phase.span}" if phase.span else ""
        yield Static(Text(f"{phase.title}{span}: how it ended"), id="outcome-title")
        with VerticalScroll(id="outcome-body"), Horizontal(id="outcome-columns"):
            with Vertical(classes="outcome-column", id="outcome-history"):
                yield Static("What really happened", classes="column-title")
                yield Static(Text(phase.outcome.history.strip()))
            with Vertical(classes="outcome-column", id="outcome-yours"):
                yield Static("What you did", classes="column-title")
                yield Static(yours_text(story, state, phase.id))
        yield MoreBelow("outcome-body", id="outcome-more")
        if ends_game or nxt is None:
            hint = "Enter: the end of the story"
        else:
            hint = f"Enter: go on to {nxt.title}" + (f", {nxt.span}" if nxt.span else "")
        yield Static(hint, id="outcome-hint")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.is_mounted  # keys typed ahead of the first frame wait for nothing

    def on_mount(self) -> None:
        self.query_one("#outcome-body").focus()  # arrows scroll too
        self._ready_at = ready_from_now()

    def on_key(self, event: events.Key) -> None:
        if event.key in ("enter", "space") and early(event, self._ready_at):
            event.stop()  # the key that opened this screen, pressed twice: not "go on" yet
            event.prevent_default()

    def action_scroll_text(self, where: str) -> None:
        scroll_text(self.query_one("#outcome-body"), where)

    def action_go_on(self) -> None:
        if self.is_active:
            self.dismiss(True)

    def action_back(self) -> None:
        if self.is_active:
            self.dismiss(False)
