"""The exilegame Textual app: owns the story, the run and the settings; screens do the showing.

Over 400 lines because this is the one place where the screens meet: their messages and
dismiss results, the run's start, load and continue, crash handling, and live reload all
end here, so that no screen needs to know another.

Only the title screen is imported up front, so the first screen appears about as fast as a
bare Textual app; every other screen is imported when it is first opened.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType

from exilegame.errors import EngineError, SaveError
from exilegame.play.session import Session
from exilegame.play.tui.keys import Grace
from exilegame.play.tui.results import (
    LoadSlot,
    MenuItem,
    MenuPicked,
    RolePicked,
    SettingsChanged,
    StartRun,
)
from exilegame.play.tui.screens.size import SizeScreen, too_small
from exilegame.play.tui.screens.title import TitleScreen
from exilegame.play.tui.settings import Settings, read_settings, save_settings, settings_path
from exilegame.play.tui.themes import THEMES
from exilegame.saves import AUTOSAVE, SlotInfo
from exilegame.story import Story

if TYPE_CHECKING:
    from exilegame import engine
    from exilegame.authoring.watch import Watcher

EXIT_ON_FIRST_SCREEN = "EXILEGAME_EXIT_ON_FIRST_SCREEN"  # for benchmarks/startup.py
WATCH_INTERVAL = 0.5  # seconds between polls of the scenes folder under --watch


class ExileApp(App[None]):
    """The game in the terminal: owns the session and the settings, moves between screens."""

    CSS_PATH = "app.tcss"
    TITLE = "exilegame"
    ENABLE_COMMAND_PALETTE = False
    # Below 100 columns the side panel folds away; below 20 rows headings are compacted.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012 (as Textual types it)
    VERTICAL_BREAKPOINTS = [(0, "-low"), (20, "-short"), (36, "-tall")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "Help"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(
        self,
        story: Story,
        *,
        role: str | None = None,
        seed: int | None = None,
        watch: Path | None = None,
        settings: Settings | None = None,
        data_root: Path | None = None,
        persist_settings: bool = True,
        input_grace: float | None = None,
        resume: engine.State | None = None,
        resume_collector: bool = False,
    ) -> None:
        super().__init__()
        self.session = Session(story, data_root)
        self.fixed_role = role
        self.fixed_seed = seed
        self._settings_path = settings_path(data_root)
        self._data_notes: list[str] = []
        if settings is None:
            settings, damaged = read_settings(self._settings_path)
            self._data_notes = [damaged] if damaged else []
        self.settings = settings
        self._persist_settings = persist_settings
        self.watcher: Watcher | None = None
        self._watch_dir = watch
        self.exit_message = ""  # one line for stderr after the app has closed (see `play`)
        self.crash_report: Path | None = None
        if input_grace is not None:
            Grace.seconds = input_grace
        self._resume = resume  # a run brought back by --replay, shown once the app starts
        # the cyclic collector, paused by the launch (`cli.commands.play`), is resumed once
        # the title screen is drawn
        self._resume_collector = resume_collector
        for theme in THEMES:
            self.register_theme(theme)
        self._start_theme(self.settings.theme)

    def _start_theme(self, name: str) -> None:
        """Start in theme `name` as if it were Textual's default theme.

        Setting `theme` runs Textual's watcher, which re-parses the whole stylesheet at the
        next message (before the first frame) into a copy whose parse cache is then thrown
        away, so every rule was parsed twice before the first frame. Before the app runs
        there is no parsed stylesheet to refresh: what the watcher does besides that is done
        here, and Textual parses the stylesheet once, with this theme's variables.
        """
        self.set_reactive(App.theme, self._validate_theme(name))
        theme = self.current_theme
        self.update_classes(
            {
                **{c: False for c in self.classes if c.startswith("-theme-")},
                f"-theme-{theme.name}": True,
                "-dark-mode": theme.dark,
                "-light-mode": not theme.dark,
            },
            update=False,
        )
        self._refresh_truecolor_filter(self.ansi_theme)
        self.stylesheet.set_variables(self.get_css_variables())

    @property
    def story(self) -> Story:
        return self.session.story

    def get_default_screen(self) -> TitleScreen:
        """The title screen is the bottom of the stack: every other screen returns to it."""
        return TitleScreen(self.session)

    def on_mount(self) -> None:
        # Damaged data files are reported once, on the title; none of them stops the game.
        for note in [*self._data_notes, *self.session.data_problems()]:
            self.notify(note, severity="warning", timeout=12, markup=False)
        self.check_size()
        self.call_after_refresh(self._title_drawn)
        if os.environ.get(EXIT_ON_FIRST_SCREEN):  # what a launch does before the first frame
            # the title is whole in its first frame, its key footer too (widgets.keyline)
            self.call_after_refresh(self.exit)
            return
        if self._watch_dir is not None:
            from exilegame.authoring.watch import Watcher

            self.watcher = Watcher(self._watch_dir)
            self.set_interval(WATCH_INTERVAL, self.poll_watch)
        if self._resume is not None:
            self.call_after_refresh(self._show_resumed)

    def _title_drawn(self) -> None:
        """The title screen is on the terminal: resume the cyclic collector if the launch
        paused it, first taking what the launch built (modules, the story, the title), all of
        it long-lived, out of its scans (`gc.freeze`)."""
        if self._resume_collector:
            self._resume_collector = False
            gc.freeze()
            gc.enable()

    def _show_resumed(self) -> None:
        """Open the run --replay brought back, once the title screen is drawn under it."""
        if self._resume is not None:
            self.session.resume(self._resume)
            self._resume = None
            self.show_game()

    def on_unmount(self) -> None:
        self.session.close()

    # -- the window's size ---------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self.check_size(event.size.width, event.size.height)

    def check_size(self, width: int | None = None, height: int | None = None) -> None:
        """Cover the game with a size message while the window is too small; uncover it after."""
        small = too_small(width or self.size.width, height or self.size.height)
        covered = isinstance(self.screen, SizeScreen)
        if small and not covered:
            self.push_screen(SizeScreen())
        elif covered and not small:
            self.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if isinstance(self.screen, SizeScreen):
            return action == "quit"
        return True

    # -- crashes -------------------------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """An unexpected error: autosave, write a crash report, exit with status 1 and a
        one-line message instead of a traceback (`play` prints it once the terminal is back)."""
        try:
            self.crash_report = self.session.crash_report(error)
            self.exit_message = (
                f"exilegame stopped on an unexpected error; the report is in {self.crash_report}. "
                "Your run was autosaved: start exilegame again and choose Continue."
                if self.session.crash_autosaved
                else f"exilegame stopped on an unexpected error; the report is in "
                f"{self.crash_report}."
            )
        except Exception as exc:  # reporting must not hide the first error
            self.exit_message = f"exilegame stopped on an unexpected error ({error!r}); "
            self.exit_message += f"the crash report could not be written: {exc}"
        self._return_code = 1
        if self._exception is None:  # as Textual does: pilot tests re-raise it
            self._exception = error
            self._exception_event.set()
        self._close_messages_no_wait()

    def play(self) -> int:
        """Run the app; print the exit message (if any) once the terminal is restored; the
        exit status: 0, or 1 after a crash or a failed autosave on quit."""
        self.run()
        if self.exit_message:
            print(self.exit_message, file=sys.stderr)
        return self.return_code or (1 if self.exit_message else 0)

    # -- settings ------------------------------------------------------------------------

    def apply_settings(self, settings: Settings) -> None:
        """Use new settings now and keep them for next time."""
        from exilegame.play.tui.screens.game import GameScreen

        self.settings = settings
        self.theme = settings.theme
        for screen in self.screen_stack:
            if isinstance(screen, GameScreen):
                screen.settings = settings
        if self._persist_settings:
            try:
                save_settings(self._settings_path, settings)
            except OSError as exc:
                self.notify(f"Settings not saved: {exc.strerror}", severity="warning")

    def on_settings_changed(self, event: SettingsChanged) -> None:
        self.apply_settings(event.settings)

    # -- what screens ask for ------------------------------------------------------------

    def on_menu_picked(self, event: MenuPicked) -> None:
        if not isinstance(self.screen, TitleScreen):
            return  # picked before another screen opened (keys typed ahead): not for now
        item = event.item
        if item is MenuItem.NEW:
            self.new_game()
        elif item is MenuItem.CONTINUE:
            self.continue_game()
        elif item is MenuItem.LOAD:
            self.action_load()
        elif item is MenuItem.EXPLORED:
            self.action_explored()
        elif item is MenuItem.HELP:
            self.action_help()
        elif item is MenuItem.QUIT:
            self.exit()

    def on_start_run(self, event: StartRun) -> None:
        self.new_game(event.role)

    # -- moving between screens ----------------------------------------------------------

    def _to_title(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        if isinstance(self.screen, TitleScreen):
            self.screen.refresh_menu()

    def action_to_title(self) -> None:
        """Back to the title screen; the run is autosaved first."""
        self.autosave()
        self._to_title()
        self.check_size()

    def show_game(self) -> None:
        """Show the current run from a clean stack: title, then the game."""
        from exilegame.play.tui.screens.game import GameScreen

        self._to_title()
        self.push_screen(GameScreen(self.session, self.settings))
        self.check_size()

    def new_game(self, role: str | None = None) -> None:
        """Start a run: as `role`, or the --role given, or after asking."""
        role = role or self.fixed_role
        if role is None and len(self.story.roles) == 1:
            role = next(iter(self.story.roles))
        if role is not None:
            self.start_run(role, self.fresh_seed())
            return
        from exilegame.play.tui.screens.role import RoleScreen

        def chosen(result: RolePicked | None) -> None:
            if result is not None:
                self.start_run(result.role, result.seed)

        self.push_screen(RoleScreen(self.story, self.fresh_seed()), chosen)

    def fresh_seed(self) -> int:
        import secrets  # here, not at start-up: it loads OpenSSL's hashing library

        return self.fixed_seed if self.fixed_seed is not None else secrets.randbelow(1_000_000)

    def start_run(self, role: str, seed: int) -> None:
        self.session.new_game(role, seed)
        self.show_game()

    def continue_game(self) -> None:
        """Resume the most recent save (autosave included)."""
        latest = self.session.latest()
        if latest is None:
            self.notify("There is no saved game yet.")
            return
        self.load_slot(latest)

    def load_slot(self, slot: SlotInfo) -> None:
        """Load a save; if the run in progress has choices no named save holds, ask first."""
        session = self.session
        if session.unsaved and slot.path != session.store.path_of(AUTOSAVE):
            from exilegame.play.tui.screens.confirm import ConfirmScreen

            run = session.run

            def answer(yes: bool | None) -> None:
                if yes:
                    self._load(slot)

            self.push_screen(
                ConfirmScreen(
                    f"Load '{slot.name}'? The run you are playing ({run.step} "
                    f"choice{'s' if run.step != 1 else ''}) is not saved under a name, and "
                    "the autosave will follow the loaded game from now on.",
                    yes="Load",
                    no="Keep playing",
                ),
                answer,
            )
            return
        self._load(slot)

    def _load(self, slot: SlotInfo) -> None:
        try:
            loaded = self.session.load(slot)
        except SaveError as exc:
            self.show_message("This save cannot be loaded", str(exc))
            return
        self.show_game()
        if loaded.notice:
            self.notify(loaded.notice, timeout=8)

    def show_message(self, title: str, body: str) -> None:
        from exilegame.play.tui.screens.message import MessageScreen

        self.push_screen(MessageScreen(title, body))

    def autosave(self) -> bool:
        """Save the run to the autosave slot; report a failure in the app, never as a traceback."""
        try:
            self.session.autosave()
        except SaveError as exc:
            self.notify(
                str(exc), title="Autosave failed", severity="error", timeout=10, markup=False
            )
            return False
        return True

    # -- actions available everywhere ----------------------------------------------------

    def action_help(self) -> None:
        from exilegame.play.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.settings))

    def action_load(self) -> None:
        from exilegame.play.tui.screens.load import LoadScreen

        def picked(result: LoadSlot | None) -> None:
            if result is not None:
                self.load_slot(result.slot)

        self.push_screen(LoadScreen(self.session), picked)

    def action_explored(self) -> None:
        from exilegame.play.tui.screens.explored import ExploredScreen

        self.session.flush_record()
        self.push_screen(ExploredScreen(self.story, self.session.record.read()))

    def action_export_run(self) -> None:
        """Write the run as Markdown and HTML, say where; in a browser, also download the page."""
        if not self.session.playing:
            return
        try:
            markdown, page = self.session.export()
        except OSError as exc:
            self.notify(f"Export failed: {exc.strerror or exc}", severity="error", timeout=10)
            return
        if self.is_web:
            self.deliver_text(page, save_filename=page.name, mime_type="text/html")
        self.notify(
            f"{page}\n{markdown.name} beside it (exilegame --replay FILE brings the run back).",
            title="Run exported",
            timeout=12,
        )

    async def action_quit(self) -> None:
        """Quit, autosaving the run so that Continue resumes exactly here."""
        if self.session.playing and not self.autosave():
            self.exit_message = "exilegame: the autosave failed; your last phase autosave remains."
        self.exit()

    # -- live reload ---------------------------------------------------------------------

    def poll_watch(self) -> None:
        """Reload edited scene files; keep the player's place, or say why it moved."""
        if self.watcher is None:
            return
        reload = self.watcher.poll()
        if reload is None:
            return
        if reload.story is None:
            assert reload.error is not None
            from exilegame.play.tui.screens.message import MessageScreen

            if isinstance(self.screen, MessageScreen):  # replace the last report, don't stack
                self.pop_screen()
            self.show_message(
                "The scene files have errors",
                reload.error.report() + "\n\nStill playing the last version that loaded. "
                "Fix the files and save: the game reloads by itself.",
            )
            return
        self._adopt_story(reload.story)

    def _adopt_story(self, story: Story) -> None:
        from exilegame.authoring.watch import replay_longest

        session = self.session
        old = session.state
        session.set_story(story)
        if old is None:
            self._to_title()
            self.notify("Scene files reloaded.")
            return
        try:
            replayed = replay_longest(story, old.role, old.seed, old.trail)
        except EngineError as exc:
            session.state = None
            self._to_title()
            self.show_message("The run cannot continue", f"After the reload: {exc}.")
            return
        session.resume(replayed.state)
        if isinstance(self.screen, TitleScreen):
            # The player is on the title: the run is brought up to date, but the title stays;
            # Continue takes it up where it was.
            self.notify("Scene files reloaded.", title="Reloaded")
            return
        self.show_game()
        if replayed.notice:
            self.notify(replayed.notice, title="Reloaded", severity="warning", timeout=10)
        else:
            self.notify("Scene files reloaded; you are where you were.", title="Reloaded")
