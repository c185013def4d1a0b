"""The README's two commands are what a newcomer runs; CI must run the same test command."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text)


def test_readme_opens_with_play_and_test_commands() -> None:
    play, test = readme_commands()[:2]
    assert "pip install ." in play and play.endswith("exilegame")
    assert "pip install -e '.[test]'" in test and test.endswith("-m pytest")
    head = (ROOT / "README.md").read_text(encoding="utf-8")[:600]
    assert play in head and test in head


def test_ci_runs_the_readme_test_command_and_fails_on_no_tests() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci.splitlines()
    assert '"$status" -eq 5' in ci
