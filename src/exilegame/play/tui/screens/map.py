"""Map and timeline: the exile route with the current place marked, and the years of the story."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from exilegame import engine
from exilegame.play.tui.widgets.map_canvas import HERE, NOT_YET, VISITED, MapCanvas, short_name
from exilegame.play.tui.widgets.timeline import Timeline
from exilegame.story import Story


class MapScreen(ModalScreen[None]):
    """Look rather than read: the route drawn, the place you are in marked ◉ and bracketed."""

    CSS_PATH = "dialogs.tcss"  # shared by every dialog; parsed when one is first shown
    SCOPED_CSS = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,m,q", "close", "Close"),
    ]

    def __init__(self, story: Story, state: engine.State) -> None:
        super().__init__()
        self.story = story
        self.state = state

    def compose(self) -> ComposeResult:
        scene = self.story.scenes[self.state.scene]
        place = self.story.places.get(scene.place)
        here = short_name(place.name) if place else scene.place
        with Vertical(classes="dialog -full", id="map-dialog"):
            yield Static("Map", classes="dialog-title")
            yield MapCanvas(self.story, self.state, id="map-canvas")
            yield Static(
                f"{HERE} {here}  {VISITED} visited  {NOT_YET} not yet  "
                "solid: your road, dotted: the story's",
                id="map-legend",
            )
            yield Timeline(self.story, self.state, id="map-timeline")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.is_mounted  # keys typed ahead of the first frame wait for nothing

    def action_close(self) -> None:
        if self.is_active:  # a second press, queued before the first closed it
            self.dismiss(None)
