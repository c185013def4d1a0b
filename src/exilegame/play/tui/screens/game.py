"""The scene screen: heading, prose, numbered choices and the side panel; runs the play loop."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from exilegame import engine
from exilegame.errors import AuthorError, EngineError, SaveError
from exilegame.play.session import Session
from exilegame.play.tui.keys import early, ready_from_now
from exilegame.play.tui.results import EpilogueAction, EpilogueResult, PlayAgain, StartRun
from exilegame.play.tui.settings import Settings
from exilegame.play.tui.widgets.choice_list import ChoiceList
from exilegame.play.tui.widgets.footer import Footer
from exilegame.play.tui.widgets.more import SCROLL_BINDINGS, MoreBelow, scroll_text
from exilegame.play.tui.widgets.prose import Prose
from exilegame.play.tui.widgets.side_panel import SidePanel
from exilegame.story import CONTINUE, format_date

END_OF_PHASE = "__outcome__"  # the screen's own option at a phase's or the game's end
CHOICE_KEYS = frozenset({*(str(n) for n in range(1, 10)), "enter", "space"})
OPENERS = frozenset({"history", "save", "journal", "map", "note", "load", "explored", "to_title"})


class GameScreen(Screen[None]):
    """Shows the session's current state; every move goes through `Session` and the engine."""

    CSS_PATH = "game.tcss"  # parsed when the screen is first shown, not at start-up
    SCOPED_CSS = False  # the rules name this screen's widgets by id, as app.tcss did

    BINDINGS: ClassVar[list[BindingType]] = [
        *[Binding(str(n), f"number({n})", show=False) for n in range(1, 10)],
        Binding("u,backspace", "rewind", "Undo"),
        Binding("h", "history", "Log"),
        Binding("s", "save", "Save"),
        Binding("o", "app.load", "Load", show=False),
        Binding("j", "journal", "Journal"),
        Binding("m", "map", "Map"),
        Binding("e", "app.explored", "Explored", show=False),
        Binding("n", "note", "Note", show=False),
        Binding("i", "toggle_side", "Panel"),
        Binding("escape", "app.to_title", "Menu", show=False),
        Binding("q", "app.quit", "Quit"),
        *SCROLL_BINDINGS,
    ]

    def __init__(self, session: Session, settings: Settings) -> None:
        super().__init__()
        self.session = session
        self.settings = settings  # the app replaces it when the player changes a setting
        self._ready_at = 0.0  # choice keys stamped before this time are dropped

    def compose(self) -> ComposeResult:
        with Horizontal(id="game-body"):
            with Vertical(id="game-main"):
                yield Static(id="scene-heading")
                with VerticalScroll(id="prose-scroll"):
                    yield Static(id="phase-intro")
                    yield Prose(id="prose")
                yield MoreBelow("prose-scroll", id="prose-more")
                yield ChoiceList(id="choices")
            with VerticalScroll(id="side"):
                yield SidePanel(id="side-panel")
        yield Footer()

    def on_mount(self) -> None:
        self.show_state(animate=self.session.run.step == 0)

    # -- drawing -------------------------------------------------------------------------

    def show_state(self, *, animate: bool = False) -> None:
        """Draw the session's state: instantly, or with the typewriter for a new scene."""
        session = self.session
        story, state = session.story, session.run
        scene = story.scenes[state.scene]
        phase = story.phase_of(state.scene)
        place = story.places.get(scene.place)
        heading = Text()
        heading.append(format_date(scene.date), style="bold")
        heading.append("  ·  ")
        heading.append(place.name if place else scene.place, style="italic")
        if scene.title:
            heading.append(f"\n{scene.title}", style="dim")
        self.query_one("#scene-heading", Static).update(heading)
        intro = self.query_one("#phase-intro", Static)
        starts_phase = state.step == 0 or state.choice.endswith(f":{CONTINUE}")
        if starts_phase:
            span = f", {phase.span}" if phase.span else ""
            intro_text = Text()
            intro_text.append(f"{phase.title}{span}", style="bold")
            if phase.intro:
                intro_text.append(f"\n{phase.intro}", style="italic")
            intro.update(intro_text)
        intro.display = starts_phase
        settings = self.settings
        self.query_one(Prose).show(
            engine.text(story, state),
            typewriter=animate and settings.typewriter,
            chars_per_second=settings.chars_per_second,
        )
        self.query_one("#prose-scroll", VerticalScroll).scroll_home(animate=False)
        self.query_one(SidePanel).show(story, state)
        choices = self.query_one(ChoiceList)
        choices.show_options(self._options())
        choices.focus()
        self._arm()
        self.refresh_bindings()

    def _disarm(self) -> None:
        """No choice keys until the next scene is drawn (`show_state` arms again)."""
        self._ready_at = float("inf")

    def _arm(self) -> None:
        """Take choice keys only from now on (plus a moment to see the new text): keys typed
        ahead during a transition or a double press are not applied to this scene."""
        self._ready_at = ready_from_now()

    def _options(self) -> list[engine.Option]:
        session = self.session
        status = session.status()
        if status is engine.Status.PLAYING:
            return engine.choices(session.story, session.run)
        phase = session.story.phase_of(session.run.scene)
        label = (
            f"{phase.title}: how it ended, and what really happened"
            if status is engine.Status.PHASE_END
            else "The end: what really happened, and what became of them"
        )
        return [engine.Option(END_OF_PHASE, label, True, 1, None)]

    # -- the typewriter: any key completes it ----------------------------------------------

    def _finish_reveal(self) -> bool:
        prose = self.query_one(Prose)
        if prose.revealing:
            prose.finish()
            self._arm()
            return True
        return False

    async def on_key(self, event: events.Key) -> None:
        if not self.is_mounted:
            event.stop()  # typed ahead while this screen was still being built
            event.prevent_default()
            return
        if not self.is_active:
            # Typed ahead while another screen opened: never applied here. Letters typed
            # right after `j` are the journal's search.
            event.stop()
            event.prevent_default()
            from exilegame.play.tui.screens.journal import JournalScreen

            if isinstance(self.app.screen, JournalScreen) and event.is_printable:
                self.app.screen.type_ahead(event.character or "")
            return
        revealing = self._finish_reveal()
        if event.key in CHOICE_KEYS and (revealing or early(event, self._ready_at)):
            event.stop()
            event.prevent_default()
            return
        # A key that opens another screen acts now (even while the text was being typed),
        # not after it has travelled up to the app: keys typed right after it then find this
        # screen inactive (see above). Any other key while the text was being typed only
        # showed all of it.
        opened = await self._open_by_key(event)
        if revealing and not opened:
            event.stop()
            event.prevent_default()

    async def _open_by_key(self, event: events.Key) -> bool:
        for binding in self._bindings.key_to_bindings.get(event.key, []):
            if binding.action.rpartition(".")[2].partition("(")[0] in OPENERS:
                event.stop()
                event.prevent_default()
                await self.run_action(binding.action)
                return True
        return False

    def on_click(self) -> None:
        self._finish_reveal()

    # -- moving on -----------------------------------------------------------------------

    def on_choice_list_chosen(self, event: ChoiceList.Chosen) -> None:
        event.stop()
        if self._finish_reveal():
            return
        choices = self.query_one(ChoiceList)
        if event.generation != choices.generation or event.time < self._ready_at:
            return  # made among options no longer shown, or before these were shown
        if event.option_id == END_OF_PHASE:
            self.open_outcome()
            return
        self.take(event.option_id)

    def take(self, choice_id: str) -> None:
        """Make a choice through the session; show its note, then the next scene."""
        session = self.session
        self._disarm()
        try:
            session.choose(choice_id)
        except AuthorError as exc:
            # A mistake in the story's own files: the choice is not taken, play goes on.
            self.app.clear_notifications()
            self.notify(str(exc), severity="warning", timeout=8, markup=False)
            self._arm()
            return
        except EngineError:
            # Not reachable through the screen's own options; never show the player an id.
            self._warn("That choice cannot be taken now.")
            self._arm()
            return
        self.report_autosave()
        if session.last_note is not None:
            from exilegame.play.tui.screens.note import NoteScreen

            self.app.push_screen(
                NoteScreen(session.story, session.last_note),
                lambda _: self.show_state(animate=True),
            )
        else:
            self.show_state(animate=True)

    def report_autosave(self) -> None:
        """Say so if a background autosave failed since the last move."""
        error = self.session.take_autosave_error()
        if error:
            self.notify(error, title="Autosave failed", severity="error", timeout=10)

    def open_outcome(self) -> None:
        from exilegame.play.tui.screens.outcome import OutcomeScreen

        session = self.session

        def done(go_on: bool | None) -> None:
            if not go_on:
                self._arm()
                return
            if session.status() is engine.Status.GAME_END:
                self.open_epilogue()
            else:
                self.take(CONTINUE)

        self._disarm()
        self.app.push_screen(OutcomeScreen(session.story, session.run), done)

    def open_epilogue(self) -> None:
        from exilegame.play.tui.screens.epilogue import EpilogueScreen

        session = self.session

        async def done(result: EpilogueResult | None) -> None:
            if isinstance(result, PlayAgain):
                self.post_message(StartRun(result.role))
            elif result is EpilogueAction.BRANCH:
                self.action_history()
            elif result is EpilogueAction.TITLE:
                await self.run_action("app.to_title")
            elif result is EpilogueAction.QUIT:
                await self.run_action("app.quit")

        self.app.push_screen(EpilogueScreen(session.story, session.run), done)

    # -- actions -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.is_mounted:
            return False  # keys typed ahead of the first frame
        session = self.session
        if not session.playing:
            return True
        if action in ("rewind", "history"):
            return True if session.run.step > 0 else None
        if action == "note":
            return True if session.last_note is not None else None
        return True

    def action_number(self, number: int) -> None:
        if self._finish_reveal():
            return
        if not self.query_one(ChoiceList).choose_number(number):
            self._warn(f"There is no choice {number} available here.")

    def _warn(self, message: str) -> None:
        """One warning at a time: repeated keys do not stack toasts."""
        self.app.clear_notifications()
        self.notify(message, severity="warning", timeout=2, markup=False)

    def action_toggle_side(self) -> None:
        """Show or hide the side panel (folded away by default in a narrow window)."""
        if self.has_class("-narrow"):
            self.toggle_class("-side-open")
        else:
            self.toggle_class("-side-closed")

    def action_scroll_text(self, where: str) -> None:
        scroll_text(self.query_one("#prose-scroll", Widget), where)

    def action_rewind(self) -> None:
        session = self.session
        if session.run.step == 0:
            self.notify("This is the start of the run: nothing to undo.")
            return
        session.rewind()
        self.show_state()
        self.app.clear_notifications()
        self.notify(f"Undone: back to choice {session.run.step}.", timeout=1.5)

    def action_history(self) -> None:
        from exilegame.play.tui.screens.history import HistoryScreen

        session = self.session

        def branch(step: int | None) -> None:
            if step is None:
                return
            session.branch(step)
            self.show_state()
            self.app.clear_notifications()
            self.notify(f"Branched: choose again at choice {step}.", timeout=3)

        self.app.push_screen(HistoryScreen(session.story, session.run), branch)

    def action_save(self) -> None:
        from exilegame.play.tui.screens.save import SaveScreen

        session = self.session

        def save(name: str | None) -> None:
            if not name:
                return
            try:
                info = session.save(name)
            except SaveError as exc:
                from exilegame.play.tui.screens.message import MessageScreen

                self.app.push_screen(MessageScreen("The game was not saved", str(exc)))
                return
            self.notify(f"Saved as '{info.name}'.")

        self.app.push_screen(SaveScreen(session.slots(), session.story, session.run), save)

    def action_journal(self) -> None:
        from exilegame.play.tui.screens.journal import JournalScreen

        session = self.session
        self.app.push_screen(JournalScreen(session.story, session.run))

    def action_map(self) -> None:
        from exilegame.play.tui.screens.map import MapScreen

        session = self.session
        self.app.push_screen(MapScreen(session.story, session.run))

    def action_note(self) -> None:
        from exilegame.play.tui.screens.note import NoteScreen

        note = self.session.last_note
        if note is not None:
            self.app.push_screen(NoteScreen(self.session.story, note))
