"""The history log: the whole run so far; picking a past choice offers to branch from there."""

from __future__ import annotations

import itertools
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from exilegame import engine
from exilegame.story import CONTINUE, Story, format_date


def step_prompt(story: Story, before: engine.State, after: engine.State) -> Text:
    """One line of the log: where the run stood, and the choice taken there."""
    scene = story.scenes[before.scene]
    place = story.places.get(scene.place)
    text = Text()
    text.append(f"{after.step:>3}. ", style="bold")
    text.append(f"{format_date(scene.date)}, {place.name if place else scene.place}", style="dim")
    choice_id = after.choice.rpartition(":")[2]
    if choice_id == CONTINUE:
        nxt = story.phase_of(after.scene)
        text.append(f"\n     Went on to {nxt.title}", style="italic")
    else:
        choice = scene.choice(choice_id)
        text.append(f"\n     {choice.text if choice else choice_id}")
    return text


class HistoryScreen(ModalScreen[int | None]):
    """Dismisses with the step (1-based choice number) to branch from, after asking."""

    CSS_PATH = "dialogs.tcss"  # shared by every dialog; parsed when one is first shown
    SCOPED_CSS = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,h,q", "close", "Close"),
        Binding("x", "app.export_run", "Export run"),
    ]

    def __init__(self, story: Story, state: engine.State) -> None:
        super().__init__()
        self.story = story
        self.state = state

    def compose(self) -> ComposeResult:
        states = list(self.state.history())
        states.reverse()
        options = [
            Option(step_prompt(self.story, before, after), id=str(after.step))
            for before, after in itertools.pairwise(states)
        ]
        with Vertical(classes="dialog -wide"):
            yield Static("The run so far", classes="dialog-title")
            yield Static(
                f"{self.state.step} choice{'s' if self.state.step != 1 else ''}. "
                "Pick one to branch from there and choose again; x exports the run.",
                classes="dialog-hint",
            )
            yield OptionList(*options, id="history-list")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.is_mounted  # keys typed ahead of the first frame wait for nothing

    def on_mount(self) -> None:
        log = self.query_one("#history-list", OptionList)
        if log.option_count:
            log.highlighted = log.option_count - 1  # the latest choice, in view
            self.call_after_refresh(log.scroll_to_highlight)
        log.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        from exilegame.play.tui.screens.confirm import ConfirmScreen

        step = int(event.option.id or 0)
        later = self.state.step - step

        def answer(yes: bool | None) -> None:
            if yes and self.is_active:  # a second press, queued before the first closed it
                self.dismiss(step)

        self.app.push_screen(
            ConfirmScreen(
                f"Branch from choice {step}? The run goes back to just before it, and "
                f"the {later + 1} choice{'s' if later else ''} from there on "
                f"will be undone (save first to keep {'them' if later else 'it'}).",
                yes="Branch",
                no="Stay",
            ),
            answer,
        )

    def action_close(self) -> None:
        if self.is_active:  # a second press, queued before the first closed it
            self.dismiss(None)
