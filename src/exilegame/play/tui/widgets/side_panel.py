"""The side panel: phase, date, place and the state the story lets the player see."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from exilegame import engine
from exilegame.story import Story, format_date


def format_value(value: object, minimum: int | None, maximum: int | None) -> Text:
    """A variable's value for the panel: flags as words, bounded numbers as a gauge and digits."""
    if isinstance(value, bool):
        return Text("yes" if value else "no", style="bold" if value else "dim")
    if isinstance(value, int) and minimum is not None and maximum is not None and maximum > minimum:
        span = maximum - minimum
        filled = max(0, min(span, value - minimum))
        gauge = Text("■" * filled, style="bold")
        gauge.append("□" * (span - filled), style="dim")
        gauge.append(f" {value}/{maximum}")
        return gauge
    return Text(str(value))


class SidePanel(Static):
    """Renders a state of a story; the screen calls `show` after every move."""

    DEFAULT_CSS = """
    SidePanel { height: auto; }
    """

    def show(self, story: Story, state: engine.State) -> None:
        scene = story.scenes[state.scene]
        phase = story.phase_of(state.scene)
        place = story.places.get(scene.place)
        text = Text()
        text.append(phase.title, style="bold")
        if phase.span:
            text.append(f"\n{phase.span}", style="dim")
        text.append("\n\n")
        text.append(format_date(scene.date))
        text.append("\n")
        text.append(place.name if place else scene.place, style="italic")
        if place and place.country:
            text.append(f"\n{place.country}", style="dim")
        visible = engine.visible_state(story, state)
        # Flags read as things done ("You befriended Zina"): list only those that hold, so
        # the panel neither clutters nor hints at what has not happened yet.
        gauges = [(label, value, v) for label, value, v in visible if not isinstance(value, bool)]
        done = [label for label, value, _ in visible if value is True]
        if gauges:
            text.append("\n")
        for label, value, variable in gauges:
            text.append(f"\n{label}\n  ")
            text.append(format_value(value, variable.min, variable.max))
        for label in done:
            text.append("\n✓ ", style="bold")
            text.append(label)
        role = story.roles[state.role]
        text.append(f"\n\n{role.name}", style="dim")
        text.append(f"\nchoice {state.step} · seed {state.seed}", style="dim")
        self.update(text)
