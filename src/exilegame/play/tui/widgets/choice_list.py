"""The numbered choices of a scene: digits, arrows and Enter, locked ones marked in words."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from exilegame import engine

LOCKED = "not available now"


class ChoiceList(OptionList):
    """Shows `engine.Option`s; posts `ChoiceList.Chosen` with the option's id when one is taken."""

    DEFAULT_CSS = """
    ChoiceList { height: auto; max-height: 12; border: none; padding: 0 1; }
    """

    class Chosen(Message):
        """The player took the option `option_id` (an engine choice id) among the options of
        `generation` (the screen ignores a choice made among options no longer shown)."""

        def __init__(self, option_id: str, generation: int) -> None:
            super().__init__()
            self.option_id = option_id
            self.generation = generation

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._offered: list[engine.Option] = []
        self.generation = 0  # bumped each time the options are replaced

    @property
    def offered(self) -> list[engine.Option]:
        return list(self._offered)

    def show_options(self, options: list[engine.Option]) -> None:
        """Replace the options shown; highlight the first that can be taken."""
        self._offered = list(options)
        self.generation += 1
        self.set_options(Option(self._prompt(o), id=o.id, disabled=not o.enabled) for o in options)
        first = next((i for i, o in enumerate(options) if o.enabled), None)
        self.highlighted = first

    def choose_number(self, number: int) -> bool:
        """Take the option shown as `number`; False (and nothing posted) if it cannot be taken."""
        if not 1 <= number <= len(self._offered):
            return False
        option = self._offered[number - 1]
        if not option.enabled:
            return False
        self.post_message(self.Chosen(option.id, self.generation))
        return True

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Chosen(event.option.id, self.generation))

    @staticmethod
    def _prompt(option: engine.Option) -> Text:
        text = Text()
        text.append(f"{option.number}. ", style="bold")
        if option.enabled:
            text.append(option.text)
        else:
            text.append(f"{option.text} ({LOCKED})", style="dim italic")
        return text
