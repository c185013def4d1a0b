"""The README's two commands are what a newcomer runs; CI must run the same test command."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text)


def test_readme_opens_with_play_and_test_commands() -> None:
    play, test = readme_commands()[:2]
    assert "pip install ." in play and play.endswith("exilegame")
    assert "pip install -e '.[test]' -c .ci/constraints.txt" in test
    assert test.endswith("-m pytest")
    head = (ROOT / "README.md").read_text(encoding="utf-8")[:600]
    assert play in head and test in head


def test_ci_runs_the_readme_test_command_and_fails_on_no_tests() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci.splitlines()
    assert '"$status" -eq 5' in ci
    assert "rm -rf .venv" in ci  # a fresh venv every run
    assert "mypy --strict src/exilegame" in ci


def test_the_constraints_pin_every_package_the_suite_installs() -> None:
    """Every package in the venv the README's test command builds is pinned (checked against
    this very environment), and the direct dependencies' lower bounds are those pins."""
    from importlib.metadata import distributions

    pins = {}
    for line in (ROOT / ".ci" / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"not pinned: {line}"
            pins[name.lower().replace("_", "-")] = version
    installed = {
        (d.metadata["Name"] or "").lower().replace("_", "-")
        for d in distributions()
        if (d.metadata["Name"] or "").lower() not in ("exilegame", "pip", "setuptools")
    }
    if (ROOT / ".venv").resolve() in Path(sys.prefix).resolve().parents or Path(
        sys.prefix
    ).resolve() == (ROOT / ".venv").resolve():
        unpinned = sorted(installed - set(pins))
        assert not unpinned, f"installed but not pinned in .ci/constraints.txt: {unpinned}"
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for name in (
        "textual",
        "pyyaml",
        "platformdirs",
        "pytest",
        "pytest-textual-snapshot",
        "mypy",
        "hypothesis",
    ):
        assert name in pins, f"{name} is not pinned in .ci/constraints.txt"
        # the lower bound in pyproject.toml is the version the suite runs with, or older
        bound = re.search(rf'"{name}>=([0-9.]+)', text, re.I)
        assert bound, f"{name} has no lower bound in pyproject.toml"
        assert bound.group(1) == pins[name], (
            f"{name}>={bound.group(1)} in pyproject.toml, but the suite runs {pins[name]}: "
            "a lower bound is a version the suite has passed with"
        )
