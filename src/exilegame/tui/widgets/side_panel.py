"""The side panel: phase, date, place and the state the story lets the player see."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ... import engine
from ...story import Story, format_date


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
        if visible:
            text.append("\n\n")
            for label, value, variable in visible:
                if isinstance(value, bool):
                    text.append("✓ " if value else "· ", style="bold" if value else "dim")
                    text.append(label, style="" if value else "dim")
                    text.append("\n")
                    continue
                text.append(f"{label}\n", style="")
                text.append("  ")
                text.append(format_value(value, variable.min, variable.max))
                text.append("\n")
        role = story.roles[state.role]
        text.append(f"\n{role.name}", style="dim")
        text.append(f"\nchoice {state.step} · seed {state.seed}", style="dim")
        self.update(text)
