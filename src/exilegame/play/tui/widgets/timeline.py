"""The timeline strip: the story's years (from its scene dates), its phases, the run's date."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from exilegame import engine
from exilegame.story import Story, format_date


def year_fraction(iso: str) -> float:
    """`1933-07-24` -> 1933.56…: a date as a point on the axis."""
    parts = [int(p) for p in iso.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else 1
    day = parts[2] if len(parts) > 2 else 1
    return year + (month - 1) / 12 + (day - 1) / 365


class Timeline(Widget):
    """Four lines: years, an axis (the run so far drawn heavy), the phases, and 'you are here'."""

    DEFAULT_CSS = """
    Timeline { height: 4; width: 1fr; }
    Timeline > .timeline--run { color: $accent; text-style: bold; }
    Timeline > .timeline--phase { color: $secondary; }
    """
    COMPONENT_CLASSES = {"timeline--run", "timeline--phase"}  # noqa: RUF012

    def __init__(self, story: Story, state: engine.State, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.story = story
        self.state = state

    def render(self) -> Text:
        width = self.content_size.width
        dates = [s.date for s in self.story.scenes.values()]
        if width < 20 or not dates:
            return Text("")
        first = min(int(d[:4]) for d in dates)
        last = max(int(d[:4]) for d in dates) + 1
        span = max(1, last - first)
        inner = width - 2

        def col(point: float) -> int:
            return 1 + min(inner - 1, max(0, int((point - first) / span * inner)))

        now = year_fraction(self.story.scenes[self.state.scene].date)
        years = [" "] * width
        step = 1
        while span / step * 5 > inner:
            step += 1
        for year in range(first, last + 1, step):
            c = col(year) if year < last else width - 4
            label = str(year)
            if c + 4 <= width and all(ch == " " for ch in years[max(0, c - 1) : c + 4]):
                years[c : c + 4] = list(label)
        axis = Text("├")
        run_style = self.get_component_rich_style("timeline--run")
        for c in range(1, width - 1):
            axis.append("━" if c <= col(now) else "─", run_style if c <= col(now) else "")
        axis.append("┤")
        phases = [" "] * width
        for phase in self.story.phases:
            points = [year_fraction(self.story.scenes[s].date) for s in phase.scenes]
            a, b = col(min(points)), max(col(max(points)), col(min(points)) + 1)
            label = phase.title[: max(0, b - a - 1)]
            for c in range(a, min(b + 1, width)):
                phases[c] = "╌"
            phases[a] = "╟"
            for i, ch in enumerate(label):
                if a + 1 + i < width:
                    phases[a + 1 + i] = ch
        here = col(now)
        marker = f"▲ {format_date(self.story.scenes[self.state.scene].date)}"
        start = here if here + len(marker) <= width else max(0, here - len(marker) + 1)
        if start != here:
            marker = f"{format_date(self.story.scenes[self.state.scene].date)} ▲"
        marks = " " * start + marker
        text = Text("".join(years), no_wrap=True, overflow="crop")
        text.append("\n")
        text.append_text(axis)
        text.append("\n")
        text.append("".join(phases), self.get_component_rich_style("timeline--phase"))
        text.append("\n")
        text.append(marks[:width], run_style)
        return text
