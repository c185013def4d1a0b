#!/usr/bin/env python3
"""python benchmarks/bench_engine.py DIR PLAYS

Load a scenes folder and play PLAYS random walks to the end with the peer benchmark's
generator (../shared/bench/README.md): a 32-bit LCG, seed 7, shared by every walk,
`pick(n) = (seed * n) >> 32` over the *available* choices. Prints one JSON line:

- `cold_load_s`: read, parse and check the YAML with the story cache bypassed, the
  counterpart of compiling ink source; `cold_peak_rss_mb` that process's peak memory.
- `first_launch_s`: a launch with no cache file for the folder, as the player waits for it:
  the cold load, plus starting the cache write (which runs on a background thread);
  `cache_write_s` how long that write then took to finish, `first_peak_rss_mb` the peak.
- `load_s`: the load a player meets on every launch after the first (from the story cache,
  see docs/design.md), the counterpart of the peers' load of compiled JSON; `from_cache`
  says that it was one. Every load includes every check.
- `play_s`, `plays`, `steps`, `chars`, `steps_per_s`: the walks, on the story of `load_s`
  (scenes read from the cache are decoded on first visit, inside `play_s`).
- `peak_rss_mb`: this process's peak memory (`ru_maxrss`): a launch from the cache and the
  walks. The cold load and the first launch each run in a child process of their own, so
  that their memory is reported apart and does not count here.

The story cache is the user's (or $EXILEGAME_CACHE_DIR); the folder's cache file is removed
before the first launch and left filled. Times are wall-clock, in-process (after imports).
"""

from __future__ import annotations

import gc
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from exilegame import engine
from exilegame.format import cache
from exilegame.format.lazyscenes import LazyScenes
from exilegame.format.load import load_story, load_with_problems


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def cold(folder: Path) -> dict[str, float]:
    """In a child process: one load with the cache bypassed."""
    began = time.perf_counter()
    story, problems = load_with_problems(folder, use_cache=False)
    took = time.perf_counter() - began
    assert story is not None, [p.format() for p in problems]
    return {"cold_load_s": round(took, 4), "cold_peak_rss_mb": _peak_mb()}


def first(folder: Path) -> dict[str, float]:
    """In a child process: a launch with no cache file, then the end of its write."""
    cache.discard(folder)
    began = time.perf_counter()
    load_story(folder)
    launched = time.perf_counter()
    cache.wait()
    written = time.perf_counter()
    return {
        "first_launch_s": round(launched - began, 4),
        "cache_write_s": round(written - launched, 4),
        "first_peak_rss_mb": _peak_mb(),
    }


def _child(phase: str, folder: Path) -> dict[str, float]:
    run = [sys.executable, __file__, "--" + phase, str(folder)]
    out = subprocess.run(run, check=True, capture_output=True, text=True).stdout
    found: dict[str, float] = json.loads(out)
    return found


def main(folder: Path, plays: int) -> dict[str, float | int | bool]:
    result: dict[str, float | int | bool] = {}
    result.update(_child("cold", folder))
    result.update(_child("first", folder))  # leaves the cache filled
    began = time.perf_counter()
    story = load_story(folder)
    loaded = time.perf_counter()
    from_cache = isinstance(gc.get_referents(story.scenes)[0], LazyScenes)
    role = next(iter(story.roles))
    seed = 7
    steps = chars = 0
    for _ in range(plays):
        state = engine.start(story, role, 0)
        while True:
            chars += sum(len(p) for p in engine.text(story, state))
            options = engine.choices(story, state)
            if not options:
                break
            seed = (seed * 1103515245 + 12345) & 0xFFFFFFFF
            state = engine.choose(story, state, options[(seed * len(options)) >> 32].id)
            steps += 1
    played = time.perf_counter()
    play_s = played - loaded
    result.update(
        {
            "load_s": round(loaded - began, 4),
            "from_cache": from_cache,
            "play_s": round(play_s, 4),
            "plays": plays,
            "steps": steps,
            "chars": chars,
            "steps_per_s": round(steps / play_s) if play_s else 0,
            "peak_rss_mb": _peak_mb(),
        }
    )
    return {k: result[k] for k in _ORDER}


_ORDER = [
    "load_s",
    "from_cache",
    "cold_load_s",
    "first_launch_s",
    "cache_write_s",
    "play_s",
    "plays",
    "steps",
    "chars",
    "steps_per_s",
    "peak_rss_mb",
    "cold_peak_rss_mb",
    "first_peak_rss_mb",
]


if __name__ == "__main__":
    if sys.argv[1] in ("--cold", "--first"):
        measure = cold if sys.argv[1] == "--cold" else first
        print(json.dumps(measure(Path(sys.argv[2]))))
    else:
        print(json.dumps(main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 100)))
