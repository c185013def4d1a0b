"""The journal: people, places and sources met so far in this run, searchable."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from exilegame import engine
from exilegame.story import Story


@dataclass(frozen=True, slots=True)
class Entry:
    """One journal entry: its kind, title, and the text shown beside the list."""

    kind: str  # "People", "Places" or "Sources"
    key: str
    title: str
    body: str

    def matches(self, query: str) -> bool:
        query = query.casefold()
        return query in self.title.casefold() or query in self.body.casefold()


def journal_entries(story: Story, state: engine.State) -> list[Entry]:
    """The entries of this run, from the story's own files, in order of meeting."""
    entries = []
    for pid in engine.met_people(story, state):
        person = story.people.get(pid)
        if person:
            dates = f" ({person.dates})" if person.dates else ""
            entries.append(
                Entry("People", pid, person.name, f"{person.name}{dates}\n\n{person.entry}")
            )
    for key in engine.visited_places(story, state):
        place = story.places.get(key)
        if place:
            country = f", {place.country}" if place.country else ""
            entries.append(
                Entry("Places", key, place.name, f"{place.name}{country}\n\n{place.entry}")
            )
    for key in engine.cited_sources(story, state):
        source = story.sources.get(key)
        if source:
            body = source.citation()
            if source.url:
                body += f"\n\n{source.url}"
            if source.note:
                body += f"\n\n{source.note}"
            entries.append(Entry("Sources", key, f"{source.author} {source.year}", body))
    return entries


class JournalScreen(ModalScreen[None]):
    """Type to search at once (the search field has the focus); ↓ goes to the list, and typing
    in the list goes back to the search; Escape closes."""

    CSS_PATH = "dialogs.tcss"  # shared by every dialog; parsed when one is first shown
    SCOPED_CSS = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("down", "focus_list", show=False),
    ]

    def __init__(self, story: Story, state: engine.State) -> None:
        super().__init__()
        self.entries = journal_entries(story, state)
        self.shown: list[Entry] = []
        # Options are named by entry, not by position: a highlight still in flight from
        # before the list was filtered again names an entry, never a stale index.
        self._by_id = {f"{e.kind}:{e.key}": e for e in self.entries}
        self._mounted = False
        self._typed = ""  # letters typed before the journal was on screen

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -full"):
            yield Static("Journal", classes="dialog-title")
            yield Input(placeholder="search people, places and sources", id="journal-search")
            with Horizontal(id="journal-body"):
                yield OptionList(id="journal-list")
                with VerticalScroll(id="journal-detail"):
                    yield Static(id="journal-entry")

    def on_mount(self) -> None:
        self._filter("")
        self._mounted = True
        search = self.query_one("#journal-search", Input)
        search.focus()
        if self._typed:
            search.insert_text_at_cursor(self._typed)
            self._typed = ""

    def on_key(self, event: events.Key) -> None:
        """Typing a letter in the list searches: back to the search field with it."""
        if not self._mounted:
            if event.is_printable and event.character:
                event.stop()
                self.type_ahead(event.character)
            return
        search = self.query_one("#journal-search", Input)
        if search.has_focus or not event.is_printable or event.character is None:
            return
        if event.character.isspace():
            return
        event.stop()
        event.prevent_default()
        self.type_ahead(event.character)

    def type_ahead(self, text: str) -> None:
        """Add `text` to the search (letters typed before the journal had even opened)."""
        if not text or not text.isprintable():
            return
        if not self._mounted:
            self._typed += text  # the search field is not there yet: on_mount adds it
            return
        search = self.query_one("#journal-search", Input)
        search.focus()
        search.insert_text_at_cursor(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_focus_list()

    def _filter(self, query: str) -> None:
        self.shown = [e for e in self.entries if e.matches(query.strip())]
        options: list[Option] = []
        kind = ""
        for entry in self.shown:
            if entry.kind != kind:
                kind = entry.kind
                options.append(Option(Text(kind.upper(), style="bold"), disabled=True))
            options.append(Option(f"  {entry.title}", id=f"{entry.kind}:{entry.key}"))
        listing = self.query_one("#journal-list", OptionList)
        listing.set_options(options)
        detail = self.query_one("#journal-entry", Static)
        if not self.shown:
            detail.update("Nothing found." if self.entries else "Nothing in the journal yet.")
            return
        listing.highlighted = 1
        self._show(self.shown[0])

    def _show(self, entry: Entry) -> None:
        title, _, rest = entry.body.partition("\n\n")
        text = Text()
        text.append(title, style="bold")
        if rest:
            text.append(f"\n\n{rest}")
        self.query_one("#journal-entry", Static).update(text)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        entry = self._by_id.get(event.option.id or "")
        if entry is not None and entry in self.shown:
            self._show(entry)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self._mounted or action == "close"  # keys typed ahead of the first frame

    def action_focus_list(self) -> None:
        self.query_one("#journal-list", OptionList).focus()

    def action_close(self) -> None:
        if self.is_active:  # a second press, queued before the first closed it
            self.dismiss(None)
