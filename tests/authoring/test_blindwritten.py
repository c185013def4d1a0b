"""The story in tests/stories/blindwritten was written from docs/ alone (issue 15).

It must pass ``exilegame check --strict`` with no warnings and ``exilegame explore
--exhaustive`` with no problems and no notes, both run through the command line.
"""

import re
import subprocess
import sys
from pathlib import Path

FOLDER = Path(__file__).resolve().parent.parent / "stories" / "blindwritten"

# A finding is printed as "file:line:column: problem: ..." or "file:line:column: note: ...".
FINDING = re.compile(r"^\S.*?:\d+:\d+: (note|problem)\b|^\S+\.yaml\S*: (note|problem)\b")


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "exilegame", *args, str(FOLDER)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_strict_has_no_errors_or_warnings():
    result = run("check", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 warnings" in result.stdout


def test_explore_exhaustive_finds_no_problem_and_no_note():
    result = run("explore", "--exhaustive")
    assert result.returncode == 0, result.stdout + result.stderr
    findings = [line for line in result.stdout.splitlines() if FINDING.match(line)]
    assert findings == [], "\n".join(findings)
    assert "no problems found" in result.stdout
    assert "complete" in result.stdout.splitlines()[0]
