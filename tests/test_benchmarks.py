"""The benchmark scripts run, and report what they promise (benchmarks/README.md).

No times are checked: only that the script runs to the end on a small story, that every
field of its one JSON line is there, and that the walks are the peer benchmark's walks.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def test_bench_engine_reports_the_contract_on_the_peers_walks(tmp_path: Path) -> None:
    """N = 100 with 600 walks: inkjs and bink take 30,225 steps (../shared/bench), so must we."""
    folder = tmp_path / "s100"
    run = [sys.executable, str(BENCHMARKS / "synth.py"), "100", str(folder)]
    subprocess.run(run, check=True, capture_output=True)
    env = {**os.environ, "EXILEGAME_CACHE_DIR": str(tmp_path / "cache")}
    run = [sys.executable, str(BENCHMARKS / "bench_engine.py"), str(folder), "600"]
    out = subprocess.run(run, check=True, capture_output=True, text=True, env=env).stdout
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
