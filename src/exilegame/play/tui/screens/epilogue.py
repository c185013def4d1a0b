"""The end of the game: the ending reached, the fates of the people met, and the run in sum."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from exilegame import engine
from exilegame.play.tui.keys import early, ready_from_now
from exilegame.play.tui.results import EpilogueAction, EpilogueResult, PlayAgain
from exilegame.play.tui.widgets.footer import Footer
from exilegame.play.tui.widgets.more import SCROLL_BINDINGS, MoreBelow, scroll_text
from exilegame.story import Story

ON_RECORD, OFF_RECORD = "▸", "✎"  # a choice along the historical record / invented


def fates_text(story: Story, state: engine.State) -> Text:
    """Each person met who has a fate: name, dates, what became of them."""
    text = Text()
    for person in engine.fates(story, state):
        text.append(person.name, style="bold")
        if person.dates:
            text.append(f" ({person.dates})", style="dim")
        text.append(f"\n{person.fate}\n\n")
    text.rstrip()
    return text


def run_summary(story: Story, state: engine.State) -> Text:
    """How many choices, how many followed the record, and per phase what you did."""
    taken = (engine.choice_at(story, key) for key in state.trail)
    made = [c for c in taken if c is not None]  # every choice of the run, re-entries included
    documented = sum(1 for c in made if c.documented and c.note)
    invented = len(made) - documented
    role = story.roles[state.role].name
    plural = "s" if len(made) != 1 else ""
    text = Text()
    text.append(
        f"{len(made)} choice{plural} (role: {role}; seed {state.seed}): "
        f"{documented} along the historical record, {invented} off it.\n"
    )
    text.append(f"{ON_RECORD} as it really happened   {OFF_RECORD} invented for the game\n", "dim")
    for phase, at_end in engine.phase_ends(story, state):
        choices = engine.phase_choices(story, state, phase.id)
        text.append(f"\n{phase.title}\n", style="bold")
        for line in engine.outcome_texts(story, at_end, phase.id):
            text.append(f"{line}\n", style="italic")
        for choice in choices:
            mark = ON_RECORD if choice.documented and choice.note else OFF_RECORD
            text.append(f"{mark} {choice.text}\n")
    return text


class EpilogueScreen(Screen[EpilogueResult | None]):
    """Dismisses with what to do next: play again as a role, branch, the title, or quit."""

    CSS_PATH = "outcome.tcss"  # shared with the outcome screen; parsed when first shown
    SCOPED_CSS = False  # the rules name this screen's widgets by id, as app.tcss did

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("b", "pick('branch')", "Branch"),
        Binding("x", "app.export_run", "Export run"),
        Binding("escape", "pick('title')", "Title"),
        Binding("q", "pick('quit')", "Quit"),
        *SCROLL_BINDINGS,
    ]

    def __init__(self, story: Story, state: engine.State) -> None:
        super().__init__()
        self.story = story
        self.state = state
        offers: list[tuple[str, EpilogueResult]] = [
            (f"Play again: {role.name}", PlayAgain(role.id))
            for role in story.roles.values()
            if role.id != state.role
        ]
        if len(story.roles) == 1:
            offers.append(("Play again", PlayAgain(state.role)))
        offers += [
            ("Branch from an earlier choice", EpilogueAction.BRANCH),
            ("Back to the title", EpilogueAction.TITLE),
            ("Quit", EpilogueAction.QUIT),
        ]
        self.offers = offers
        self._ready_at = ready_from_now()

    def compose(self) -> ComposeResult:
        story, state = self.story, self.state
        reached = engine.ending(story, state)
        with VerticalScroll(id="epilogue-body"):
            yield Static("The end", id="epilogue-kicker")
            yield Static(Text(reached.title), id="epilogue-title")
            for paragraph in engine.ending_text(story, state):
                yield Static(Text(paragraph), classes="epilogue-text")
            for paragraph in engine.epilogue_text(story, state):
                yield Static(Text(paragraph), classes="epilogue-text -epilogue")
            fates = fates_text(story, state)
            if fates:
                yield Static("What became of them", classes="column-title")
                yield Static(fates, classes="epilogue-text")
            yield Static("Your run", classes="column-title")
            yield Static(run_summary(story, state), classes="epilogue-text")
        yield MoreBelow("epilogue-body", id="epilogue-more")
        with Vertical(id="epilogue-offers"):
            yield OptionList(*[Option(label) for label, _ in self.offers], id="epilogue-menu")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.is_mounted  # keys typed ahead of the first frame wait for nothing

    def on_mount(self) -> None:
        self.query_one("#epilogue-menu", OptionList).focus()
        self._ready_at = ready_from_now()

    def on_key(self, event: events.Key) -> None:
        if early(event, self._ready_at):
            event.stop()  # typed ahead on the screen before: not a pick of this menu
            event.prevent_default()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.is_active:
            self.dismiss(self.offers[event.option_index][1])

    def action_pick(self, what: str) -> None:
        if self.is_active:
            self.dismiss(EpilogueAction(what))

    def action_scroll_text(self, where: str) -> None:
        scroll_text(self.query_one("#epilogue-body"), where)
