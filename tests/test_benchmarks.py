"""The benchmark scripts run, on a tiny story, and measure the walk they claim to.

No timings are checked here (benchmarks are run by hand, see benchmarks/README.md): only that
each script runs to the end and reports what its contract says. The number of steps of the
peer benchmark's walk is computed a second way, from the graph alone, as the peers' runtimes
would walk it: if our engine took a different path, the figures would not compare.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
SCENES = 12
PLAYS = 9


def run(*args: str | Path | int, timeout: float = 120, env: dict[str, str] | None = None) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **(env or {})}
    done = subprocess.run(
        [sys.executable, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def peer_walk_steps(n: int, plays: int) -> int:
    """The peers' walk over the synthetic graph (../shared/bench/README.md), without our
    engine: scene i offers "watch" (trust += 1, to i+1), "search" only if trust > 2 (to
    i+2) and "type" (to i+3); a target >= n ends the walk. One LCG, seed 7, for all walks."""
    seed, steps = 7, 0
    for _ in range(plays):
        scene, trust = 0, 0
        while scene < n:
            options = [(1, True)] + ([(2, False)] if trust > 2 else []) + [(3, False)]
            seed = (seed * 1103515245 + 12345) & 0xFFFFFFFF
            step, watches = options[(seed * len(options)) >> 32]
            trust += watches
            scene += step
            steps += 1
    return steps


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bench") / "synth"
    assert run(BENCH / "synth.py", SCENES, folder).strip() == str(folder)
    return folder


def test_the_walk_is_the_peers_walk() -> None:
    # hand-checked: the first walk of n = 3 takes "type" (one step to the end) ...
    assert peer_walk_steps(3, 1) == 1
    assert peer_walk_steps(SCENES, PLAYS) == 55


def test_bench_engine_reports_the_peers_steps(synthetic: Path) -> None:
    result = json.loads(run(BENCH / "bench_engine.py", synthetic, PLAYS))
    assert result["steps"] == peer_walk_steps(SCENES, PLAYS)
    assert result["plays"] == PLAYS
    # 120 words a scene, none empty: every step and every ending's scene shows text
    assert result["chars"] > 120 * result["steps"]
    for key in ("load_s", "cold_load_s", "play_s", "steps_per_s", "peak_rss_mb"):
        assert isinstance(result[key], int | float) and result[key] >= 0, key


def test_load_check_measures_the_story_it_is_given(synthetic: Path) -> None:
    lines = run(BENCH / "load_check.py", synthetic, "--repeat", "1").splitlines()
    assert lines[0].split() == ["story", "scenes", "cold", "ms", "warm", "ms"]
    name, scenes, cold, warm = lines[1].split()
    assert (name, scenes) == (str(synthetic), str(SCENES + 1))  # and the closing scene
    assert float(cold) > 0 and float(warm) > 0


@pytest.mark.slow  # two launches of each program on a pseudo-terminal: a few seconds
def test_startup_compares_the_game_with_a_bare_app() -> None:
    out = run(BENCH / "startup.py", "-n", "1", "--scenes", ROOT / "scenes", "--against", ROOT)
    assert "exilegame / bare = " in out
    assert "peak memory: exilegame / bare = " in out
    assert f"{ROOT} / bare = " in out  # the other checkout, here the same one


def test_bench_engine_reports_the_contract_on_the_peers_walks(tmp_path: Path) -> None:
    """N = 100 with 600 walks: inkjs and bink take 30,225 steps (../shared/bench), so must we."""
    folder = tmp_path / "s100"
    run(BENCH / "synth.py", 100, folder)
    cache = {"EXILEGAME_CACHE_DIR": str(tmp_path / "cache")}
    out = run(BENCH / "bench_engine.py", folder, 600, env=cache)
    [line] = out.splitlines()
    found = json.loads(line)
    assert set(found) == {
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
    }
    assert found["steps"] == 30225 and found["plays"] == 600
    assert found["from_cache"] is True  # the warm load was one, and the first launch wrote it
    assert found["chars"] > 600 * 120 * 3  # at least a scene of 120 words per walk
    assert all(found[k] > 0 for k in ("cold_load_s", "first_launch_s", "load_s", "play_s"))
    assert all(found[k] > 1 for k in ("peak_rss_mb", "cold_peak_rss_mb", "first_peak_rss_mb"))
    assert [p.suffix for p in (tmp_path / "cache").iterdir()] == [".marshal"]
