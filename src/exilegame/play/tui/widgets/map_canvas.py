"""The exile route on a braille map: any story's places with coords, the run's path, here."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from exilegame import engine
from exilegame.play.tui import landmass
from exilegame.story import Story

DOTS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))  # [row][col] of a braille cell
HERE, VISITED, NOT_YET = "◉", "●", "○"
LAND, STORY, RUN = 1, 2, 3  # layers, weakest first


def short_name(name: str) -> str:
    """`Prinkipo (Büyükada)` -> `Prinkipo`; `Domène, near Grenoble` -> `Domène`."""
    return name.split(" (")[0].split(",")[0].strip()


def story_route(story: Story) -> list[str]:
    """The story's places with coords, in the order its scenes first go to them."""
    order: dict[str, None] = {}
    for phase in story.phases:
        for scene_id in phase.scenes:
            order.setdefault(story.scenes[scene_id].place, None)
    route = [p for p in order if story.places.get(p) and story.places[p].coords]
    route += [p for p, place in story.places.items() if place.coords and p not in order]
    return route


def line(x0: int, y0: int, x1: int, y1: int) -> Iterator[tuple[int, int]]:
    """Bresenham's line between two dots, both ends included."""
    dx, dy = abs(x1 - x0), -abs(y1 - y0)
    sx, sy = (1 if x0 < x1 else -1), (1 if y0 < y1 else -1)
    err = dx + dy
    while True:
        yield x0, y0
        if x0 == x1 and y0 == y1:
            return
        e2 = 2 * err
        if e2 >= dy:
            err += dy
            x0 += sx
        if e2 <= dx:
            err += dx
            y0 += sy


@dataclass(frozen=True, slots=True)
class Projection:
    """Equirectangular projection of a lat/lon box onto a canvas of braille dots."""

    lat_top: float
    lon_left: float
    scale: float  # dots per degree of latitude
    lon_factor: float  # cos(middle latitude): shrinks longitude to keep shapes
    off_x: float
    off_y: float

    @staticmethod
    def fit(coords: list[tuple[float, float]], width: int, height: int) -> Projection:
        lats = [c[0] for c in coords]
        lons = [c[1] for c in coords]
        lat0, lat1, lon0, lon1 = min(lats), max(lats), min(lons), max(lons)
        pad_lat = max(3.0, (lat1 - lat0) * 0.12)
        pad_lon = max(3.0, (lon1 - lon0) * 0.06)
        lat0, lat1 = max(-89.0, lat0 - pad_lat), min(89.0, lat1 + pad_lat)
        lon0, lon1 = lon0 - pad_lon, lon1 + pad_lon
        factor = max(0.2, math.cos(math.radians((lat0 + lat1) / 2)))
        span_x, span_y = (lon1 - lon0) * factor, lat1 - lat0
        scale = min(width / span_x, height / span_y)
        off_x = (width - span_x * scale) / 2
        off_y = (height - span_y * scale) / 2
        return Projection(lat1, lon0, scale, factor, off_x, off_y)

    def dot(self, lat: float, lon: float) -> tuple[int, int]:
        x = self.off_x + (lon - self.lon_left) * self.lon_factor * self.scale
        y = self.off_y + (self.lat_top - lat) * self.scale
        return int(x), int(y)

    def coords(self, x: int, y: int) -> tuple[float, float]:
        lon = self.lon_left + (x + 0.5 - self.off_x) / (self.scale * self.lon_factor)
        lat = self.lat_top - (y + 0.5 - self.off_y) / self.scale
        return lat, lon


class MapCanvas(Widget):
    """Draws the story's places and routes to fit its size; redraws on resize."""

    DEFAULT_CSS = """
    MapCanvas { width: 1fr; height: 1fr; }
    MapCanvas > .map--land { color: $foreground 35%; }
    MapCanvas > .map--story { color: $secondary; }
    MapCanvas > .map--run { color: $accent; text-style: bold; }
    MapCanvas > .map--here { color: $accent; text-style: bold reverse; }
    MapCanvas > .map--place { color: $foreground; }
    MapCanvas > .map--label { color: $foreground; }
    """
    COMPONENT_CLASSES = {  # noqa: RUF012 (Textual's own convention)
        "map--land",
        "map--story",
        "map--run",
        "map--here",
        "map--place",
        "map--label",
    }

    def __init__(self, story: Story, state: engine.State, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.story = story
        self.state = state

    def render(self) -> Text:
        width, height = self.content_size
        if width < 10 or height < 2:
            return Text("(the map needs a larger window)")
        return self.draw(width, height)

    def draw(self, cols: int, rows: int) -> Text:
        """The map as `rows` lines of `cols` cells."""
        story, state = self.story, self.state
        route = story_route(story)
        if not route:
            return Text("This story's places have no coordinates to draw.")
        dots_w, dots_h = cols * 2, rows * 4
        proj = Projection.fit([story.places[p].coords for p in route], dots_w, dots_h)  # type: ignore[misc]
        layer = [[0] * dots_w for _ in range(dots_h)]

        def plot(x: int, y: int, kind: int) -> None:
            if 0 <= x < dots_w and 0 <= y < dots_h and layer[y][x] < kind:
                layer[y][x] = kind

        if landmass.available():
            land = [
                [landmass.is_land(*proj.coords(x, y)) for x in range(dots_w)] for y in range(dots_h)
            ]
            for y in range(dots_h):
                for x in range(dots_w):
                    if land[y][x] and not (
                        land[y][max(0, x - 1)]
                        and land[y][min(dots_w - 1, x + 1)]
                        and land[max(0, y - 1)][x]
                        and land[min(dots_h - 1, y + 1)][x]
                    ):
                        plot(x, y, LAND)
        points = {p: proj.dot(*story.places[p].coords) for p in route}  # type: ignore[misc]
        for a, b in itertools.pairwise(route):
            for i, (x, y) in enumerate(line(*points[a], *points[b])):
                if i % 3 == 0:  # dotted: the story's way, as against the run's solid line
                    plot(x, y, STORY)
        visited = [p for p in engine.visited_places(story, state) if p in points]
        for a, b in itertools.pairwise(visited):
            for x, y in line(*points[a], *points[b]):
                plot(x, y, RUN)

        cells: list[list[tuple[str, str]]] = []
        for row in range(rows):
            cells_row = []
            for col in range(cols):
                bits, top = 0, 0
                for dy in range(4):
                    for dx in range(2):
                        kind = layer[row * 4 + dy][col * 2 + dx]
                        if kind:
                            bits |= DOTS[dy][dx]
                            top = max(top, kind)
                style = {LAND: "map--land", STORY: "map--story", RUN: "map--run"}.get(top, "")
                cells_row.append((chr(0x2800 + bits) if bits else " ", style))
            cells.append(cells_row)

        here = story.scenes[state.scene].place
        taken: set[tuple[int, int]] = set()
        ranked = [here] if here in points else []
        ranked += [p for p in visited if p != here] + [p for p in route if p not in visited]
        for pid in ranked:
            x, y = points[pid]
            col, row = min(cols - 1, max(0, x // 2)), min(rows - 1, max(0, y // 4))
            if (col, row) in taken:
                continue
            mark = HERE if pid == here else VISITED if pid in visited else NOT_YET
            cells[row][col] = (mark, "map--here" if pid == here else "map--place")
            taken.add((col, row))
        for pid in ranked:
            x, y = points[pid]
            col, row = min(cols - 1, max(0, x // 2)), min(rows - 1, max(0, y // 4))
            label = short_name(story.places[pid].name)
            if pid == here:
                label = f"[{label}]"
            self._place_label(cells, taken, col, row, label, pid == here)

        text = Text(no_wrap=True, overflow="crop")
        styles = {name: self.get_component_rich_style(name) for name in self.COMPONENT_CLASSES}
        for index, cells_row in enumerate(cells):
            if index:
                text.append("\n")
            for char, name in cells_row:
                text.append(char, styles.get(name, Style()) if name else Style())
        return text

    @staticmethod
    def _place_label(
        cells: list[list[tuple[str, str]]],
        taken: set[tuple[int, int]],
        col: int,
        row: int,
        label: str,
        here: bool,
    ) -> None:
        rows, cols = len(cells), len(cells[0])
        n = len(label)
        for c0, r in (
            (col + 2, row),
            (col - n - 1, row),
            (col - n // 2, row - 1),
            (col - n // 2, row + 1),
        ):
            if not (0 <= r < rows and c0 >= 0 and c0 + n <= cols):
                continue
            span = {(c, r) for c in range(c0 - 1, c0 + n + 1)}
            if span & taken:
                continue
            for i, char in enumerate(label):
                cells[r][c0 + i] = (char, "map--here" if here else "map--label")
            taken.update((c, r) for c in range(c0, c0 + n))
            return
        if here:
            # The current place is always named: on its own row, shortened if it must be,
            # over whatever label was there (less important ones were placed after it).
            label = label[: max(1, cols - 1)]
            c0 = max(0, min(cols - len(label), col + 2))
            for i, char in enumerate(label):
                cells[row][c0 + i] = (char, "map--here")
            taken.update((c, row) for c in range(c0, c0 + len(label)))
