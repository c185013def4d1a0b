#!/usr/bin/env python3
"""python benchmarks/bench_engine.py DIR PLAYS

Load a scenes folder and play PLAYS random walks to the end with the peer benchmark's
generator (../shared/bench/README.md): a 32-bit LCG, seed 7, shared by every walk,
`pick(n) = (seed * n) >> 32` over the *available* choices. Prints one JSON line: load_s,
cold_load_s, play_s, plays, steps, chars, steps_per_s, peak_rss_mb.

`cold_load_s` reads, parses and checks the YAML with the story cache bypassed, the
counterpart of compiling ink source. `load_s` is the load a player meets on every launch
after the first (from the story cache, see docs/design.md), the counterpart of the peers'
load of compiled JSON. Both include every check.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from exilegame import engine
from exilegame.format.load import load_story, load_with_problems


def main(folder: Path, plays: int) -> dict[str, float | int]:
    began = time.perf_counter()
    story, problems = load_with_problems(folder, use_cache=False)
    cold_load_s = time.perf_counter() - began
    assert story is not None, [p.format() for p in problems]
    load_story(folder)  # fills the story cache, if it is not filled already
    del story
    began = time.perf_counter()
    story = load_story(folder)
    loaded = time.perf_counter()
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
    return {
        "load_s": round(loaded - began, 4),
        "cold_load_s": round(cold_load_s, 4),
        "play_s": round(play_s, 4),
        "plays": plays,
        "steps": steps,
        "chars": chars,
        "steps_per_s": round(steps / play_s) if play_s else 0,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 100)))
