"""Role choice: who the player is in this run, with each role's blurb and the run's seed."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from exilegame.play.tui.results import RolePicked
from exilegame.play.tui.widgets.footer import Footer
from exilegame.story import Story


class RoleScreen(Screen[RolePicked | None]):
    """Dismisses with the role and seed, or None when the player backs out."""

    CSS_PATH = "role.tcss"  # parsed when the screen is first shown, not at start-up
    SCOPED_CSS = False  # the rules name this screen's widgets by id, as app.tcss did

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        *[Binding(str(n), f"pick({n})", show=False) for n in range(1, 10)],
    ]

    def __init__(self, story: Story, seed: int) -> None:
        super().__init__()
        self.story = story
        self.seed = seed

    def compose(self) -> ComposeResult:
        with Vertical(id="role-box"):
            yield Static("Who are you in this story?", id="role-heading")
            options = []
            for number, role in enumerate(self.story.roles.values(), 1):
                prompt = Text()
                prompt.append(f"{number}. {role.name}\n", style="bold")
                if role.blurb:
                    prompt.append(role.blurb)
                if number < len(self.story.roles):
                    prompt.append("\n")
                options.append(Option(prompt, id=role.id))
            yield OptionList(*options, id="role-list")
            yield Static(f"seed {self.seed}", id="role-seed")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.is_mounted  # keys typed ahead of the first frame wait for nothing

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id and self.is_active:  # a second press, queued before the first closed it
            self.dismiss(RolePicked(event.option.id, self.seed))

    def action_pick(self, number: int) -> None:
        roles = list(self.story.roles)
        if (
            1 <= number <= len(roles) and self.is_active
        ):  # a second press, queued before the first closed it
            self.dismiss(RolePicked(roles[number - 1], self.seed))

    def action_back(self) -> None:
        if self.is_active:  # a second press, queued before the first closed it
            self.dismiss(None)
