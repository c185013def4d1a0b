#!/usr/bin/env python3
"""python benchmarks/load_check.py [DIR ...] [--synthetic N ...] [--repeat R]

Time load + check (the loader, then the checker's analysis) of scenes folders, cold (the YAML
parsed, the story cache bypassed) and warm (from the story cache, as every launch after the
first). Each run is one load in a fresh process, as a player or an author meets it; the time
is taken inside that process (interpreter start-up excluded). Prints medians of R runs in
milliseconds. With no folder, times the shipped story and generated stories of 1,000 and
10,000 scenes (benchmarks/synth.py).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from exilegame._files import shipped_scenes
from exilegame.format import cache
from exilegame.format.load import load_with_problems
from synth import write

ONE_RUN = """
import sys, time
from exilegame.authoring.check import analyse
from exilegame.format.load import load_with_problems
began = time.perf_counter()
story, problems = load_with_problems(sys.argv[1], use_cache=sys.argv[2] == "warm")
assert story is not None, [p.format() for p in problems]
analyse(story)
print(time.perf_counter() - began)
"""


def median_ms(folder: Path, mode: str, repeat: int) -> float:
    """Median milliseconds of `repeat` loads, each in a fresh interpreter."""
    times = [
        float(
            subprocess.run(
                [sys.executable, "-c", ONE_RUN, str(folder), mode],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for _ in range(repeat)
    ]
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    parser.add_argument("dirs", nargs="*", type=Path)
    parser.add_argument("--synthetic", type=int, nargs="*", default=None)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    folders = [(str(d), d) for d in args.dirs]
    sizes = args.synthetic if args.synthetic is not None else ([] if args.dirs else [1000, 10000])
    if not args.dirs:
        folders.insert(0, ("shipped story", shipped_scenes()))
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            folders.append((f"synthetic {n:,} scenes", write(n, Path(tmp) / f"s{n}")))
        print(f"{'story':<26} {'scenes':>7} {'cold ms':>9} {'warm ms':>9}")
        for name, folder in folders:
            story, _ = load_with_problems(folder)  # fills the cache (on a background thread)
            assert story is not None
            cache.wait()
            repeat = min(args.repeat, 5) if len(story.scenes) > 2000 else args.repeat
            cold = median_ms(folder, "cold", repeat)
            warm = median_ms(folder, "warm", repeat)
            print(f"{name:<26} {len(story.scenes):>7,} {cold:>9.1f} {warm:>9.1f}")


if __name__ == "__main__":
    main()
