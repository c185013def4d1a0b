#!/usr/bin/env python3
"""python benchmarks/synth.py N DIR

Write the peer benchmark's synthetic story (../shared/bench/gen_ink.py) in our scene format:
N scenes of 120 words drawn by random.Random(1) from the same 20 words, each with three
choices: "Keep watch at the gate" (trust += 1, to i+1), "Search the visitor" (only if
trust > 2, to i+2), "Type the manuscript" (to i+3). A target >= N goes to a closing scene with
no text and no choices, as ink's END. Prints the folder written.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

WORDS = (
    "the villa guard letter archive ferry island night shots typewriter manuscript "
    "bulletin visitor police border telegram garden rabbits wall tower gate"
).split()


def graph(n: int, seed: int = 1) -> list[tuple[int, str, list[int]]]:
    """The same scenes, texts and targets as gen_ink.py's graph()."""
    rnd = random.Random(seed)
    scenes = []
    for i in range(n):
        text = " ".join(rnd.choice(WORDS) for _ in range(120))
        scenes.append((i, text, [min(i + k, n) for k in (1, 2, 3)]))
    return scenes


def write(n: int, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "story.yaml").write_text(
        "title: Synthetic benchmark story\n"
        "id: synthetic\n"
        "roles:\n  guard: {name: The guard}\n"
        "state:\n  trust: 0\n"
        "phases: [main]\n"
        "places:\n  villa: {name: The villa}\n",
        encoding="utf-8",
    )
    out = ["phase: main", "title: Main", "scenes:"]
    for i, text, targets in graph(n):
        go = ["end" if t >= n else f"s{t}" for t in targets]
        out += [
            f"  s{i}:",
            "    date: 1936-08-05",
            "    place: villa",
            f"    text: {text}",
            "    choices:",
            "      - text: Keep watch at the gate",
            "        do: trust += 1",
            f"        go: {go[0]}",
            "      - text: Search the visitor",
            "        if: trust > 2",
            f"        go: {go[1]}",
            "      - text: Type the manuscript",
            f"        go: {go[2]}",
        ]
    out += ["  end:", "    date: 1936-08-05", "    place: villa", '    text: ""']
    out += ["outcome:", "  history: The end of the benchmark."]
    (folder / "main.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")
    return folder


if __name__ == "__main__":
    print(write(int(sys.argv[1]), Path(sys.argv[2])))
