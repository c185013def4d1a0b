"""Time to first screen: a bare Textual app against exilegame's title screen.

Each program runs N times in a subprocess on a pseudo-terminal and exits right after its first
screen has been drawn (exilegame: EXILEGAME_EXIT_ON_FIRST_SCREEN=1, once the title is drawn
whole, its menu and key footer included; the bare app: exit after its first refresh). Wall
times include interpreter start, imports, loading the story and the first paint, which is what
a player waits for. Medians are reported.

Textual's exit waits for its input thread's 100 ms wait for keys to end: work done after the
driver starts shows in the wall time only when it pushes the exit past such a step (then by a
whole step), work done before it counts one for one (docs/design.md, start-up). Processor time
counts both.

    python benchmarks/startup.py [-n 15] [--scenes DIR] [--against TREE ...]

`--against TREE` times another checkout of the game in the same interleaved runs (TREE holds
its `src/` and `scenes/`, e.g. `git archive COMMIT src scenes | tar -x -C TREE`), each with
its own story cache: an A/B on a shared machine, where only figures from one run compare.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE_APP = """
from textual.app import App
from textual.widgets import Static


class Bare(App):
    def compose(self):
        yield Static("hello")

    def on_mount(self):
        self.call_after_refresh(self.exit)


Bare().run()
"""


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds from spawn to exit, CPU seconds (user + system) and peak memory in MiB,
    on a 100x30 pseudo-terminal (output drained and dropped)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT)
    os.close(slave)
    while True:
        try:
            if not os.read(master, 65536):
                break
        except OSError:  # EIO: the child closed the terminal
            break
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    os.close(master)
    if proc.returncode != 0:
        raise SystemExit(f"{argv} exited {proc.returncode}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=15, help="runs of each program (default 15)")
    parser.add_argument("--scenes", type=Path, help="scenes folder for exilegame")
    parser.add_argument(
        "--against",
        type=Path,
        action="append",
        default=[],
        metavar="TREE",
        help="also time the checkout in TREE (its src/ and scenes/), interleaved",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        env = dict(os.environ)
        env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
        env["EXILEGAME_DATA_DIR"] = data
        env["EXILEGAME_CACHE_DIR"] = str(Path(data) / "cache")  # warm after the first run
        env["EXILEGAME_EXIT_ON_FIRST_SCREEN"] = "1"
        # An installed game has bytecode, as Textual in site-packages has: let the warm-up
        # runs write it for the checkout too, or only our modules would compile every run.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.setdefault("TERM", "xterm-256color")
        bare = [sys.executable, "-c", BARE_APP]
        game = [sys.executable, "-m", "exilegame"]
        if args.scenes:
            game += ["--scenes", str(args.scenes)]
        programs = {"bare Textual app": (bare, env), "exilegame title": (game, env)}
        for index, tree in enumerate(args.against):
            other = dict(env)
            other["PYTHONPATH"] = str(tree.resolve() / "src")
            other["EXILEGAME_CACHE_DIR"] = str(Path(data) / f"cache-{index}")
            scenes = ["--scenes", str(tree.resolve() / "scenes")] if args.scenes else []
            programs[str(tree)] = ([sys.executable, "-m", "exilegame", *scenes], other)
        for argv, program_env in programs.values():  # warm the file cache and bytecode
            run_once(argv, program_env)
        runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in programs}
        for _ in range(args.n):  # interleaved, so drift in machine load hits all alike
            for name, (argv, program_env) in programs.items():
                runs[name].append(run_once(argv, program_env))
    wall, cpu, peak = (
        {name: statistics.median(r[i] for r in rs) for name, rs in runs.items()} for i in range(3)
    )
    for name, rs in runs.items():
        walls = [r[0] for r in rs]
        print(
            f"{name[-18:]:18} median {wall[name] * 1000:7.1f} ms   "
            f"min {min(walls) * 1000:7.1f} ms   max {max(walls) * 1000:7.1f} ms   "
            f"CPU {cpu[name] * 1000:7.1f} ms   peak {peak[name]:6.1f} MiB   (n={len(rs)})"
        )
    game_name, bare_name = "exilegame title", "bare Textual app"
    ratio = wall[game_name] / wall[bare_name]
    print(f"exilegame / bare = {ratio:.3f} ({(ratio - 1) * 100:+.1f} %)")
    print(
        f"CPU time: exilegame / bare = {cpu[game_name] / cpu[bare_name]:.3f}   "
        f"peak memory: exilegame / bare = {peak[game_name] / peak[bare_name]:.3f}"
    )
    for tree in map(str, args.against):
        print(
            f"{tree} / bare = {wall[tree] / wall[bare_name]:.3f}   "
            f"CPU time {cpu[tree] / cpu[bare_name]:.3f}   "
            f"peak memory {peak[tree] / peak[bare_name]:.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
