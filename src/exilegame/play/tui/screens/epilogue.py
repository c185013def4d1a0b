"""The end of the game: the ending reached, the fates of the people met, and the run in sum."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from exilegame import engine
from exilegame.play.tui.results import EpilogueAction, EpilogueResult, PlayAgain
from exilegame.story import Story


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
    made = [c for p in story.phases for c in engine.phase_choices(story, state, p.id)]
    documented = sum(1 for c in made if c.documented and c.note)
    invented = len(made) - documented
    role = story.roles[state.role].name.lower()
    plural = "s" if len(made) != 1 else ""
    text = Text()
    text.append(
        f"{len(made)} choice{plural} as {role} (seed {state.seed}): "
        f"{documented} along the historical record, {invented} off it.\n"
    )
    for phase, at_end in engine.phase_ends(story, state):
        choices = engine.phase_choices(story, state, phase.id)
        text.append(f"\n{phase.title}\n", style="bold")
        for line in engine.outcome_texts(story, at_end, phase.id):
            text.append(f"{line}\n", style="italic")
        for choice in choices:
            mark = "▸" if choice.documented and choice.note else "✎"
            text.append(f"{mark} {choice.text}\n")
    return text


class EpilogueScreen(Screen[EpilogueResult | None]):
    """Dismisses with what to do next: play again as a role, branch, the title, or quit."""

    CSS_PATH = "outcome.tcss"  # shared with the outcome screen; parsed when first shown
    SCOPED_CSS = False  # the rules name this screen's widgets by id, as app.tcss did

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("b", "pick('branch')", "Branch"),
        Binding("escape", "pick('title')", "Title"),
        Binding("q", "pick('quit')", "Quit"),
    ]

    def __init__(self, story: Story, state: engine.State) -> None:
        super().__init__()
        self.story = story
        self.state = state
        offers: list[tuple[str, EpilogueResult]] = [
            (f"Play again as {role.name.lower()}", PlayAgain(role.id))
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
        with Vertical(id="epilogue-offers"):
            yield OptionList(*[Option(label) for label, _ in self.offers], id="epilogue-menu")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#epilogue-menu", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.offers[event.option_index][1])

    def action_pick(self, what: str) -> None:
        self.dismiss(EpilogueAction(what))
