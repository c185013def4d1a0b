"""What a search shows while it runs and what it cost: the progress bar, peak memory."""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress", "peak_memory_mb"]


def peak_memory_mb() -> float:
    """The process's peak resident memory so far, in MB (0 where the OS does not say)."""
    try:
        import resource
    except ImportError:  # not on this platform
        return 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024  # bytes there, else KB


class Progress:
    """A one-line progress bar on stderr, redrawn at most ten times a second."""

    def __init__(self, total: int, unit: str, out: TextIO | None) -> None:
        self.total = max(total, 1)
        self.unit = unit
        self.out = out
        self.began = time.perf_counter()
        self.shown = 0.0

    def update(self, done: int) -> None:
        if self.out is None:
            return
        now = time.perf_counter()
        if now - self.shown < 0.1:
            return
        self.shown = now
        filled = min(30, 30 * done // self.total)
        rate = done / max(now - self.began, 1e-9)
        self.out.write(
            f"\r[{'#' * filled}{'.' * (30 - filled)}] {done:,}/{self.total:,} "
            f"{self.unit} ({rate:,.0f}/s)"
        )
        self.out.flush()

    def close(self) -> None:
        if self.out is not None:
            self.out.write("\r" + " " * 78 + "\r")
            self.out.flush()
