"""A coarse world land mask (half a degree) for the map, shipped as 4 KB of data.

`data/land.bin` is zlib-compressed packed bits, 360 rows (latitude 90 to -90) by 720 columns
(longitude -180 to 180), 1 for land. It was made once, offline, by averaging the 1 km GLOBE
land mask of the MIT-licensed `global-land-mask` package over 0.5° cells (land where more than
45 % of the cell is land). Nothing is fetched at run time.
"""

from __future__ import annotations

import zlib
from functools import cache
from pathlib import Path

ROWS, COLS, CELL = 360, 720, 0.5
_DATA = Path(__file__).resolve().parent / "data" / "land.bin"


@cache
def _bits() -> bytes:
    try:
        return zlib.decompress(_DATA.read_bytes())
    except (OSError, zlib.error):
        return b""  # the map still draws routes and places without its coastline


def available() -> bool:
    return len(_bits()) * 8 >= ROWS * COLS


def is_land(lat: float, lon: float) -> bool:
    """Whether the half-degree cell holding (lat, lon) is mostly land."""
    bits = _bits()
    if not bits:
        return False
    row = min(ROWS - 1, max(0, int((90.0 - lat) / CELL)))
    col = int(((lon + 180.0) % 360.0) / CELL) % COLS
    index = row * COLS + col
    return bool(bits[index >> 3] & (0x80 >> (index & 7)))
