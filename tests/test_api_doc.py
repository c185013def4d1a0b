"""docs/api.md: every Python example runs as printed, and the API it names is exported."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import exilegame

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```python\n(.+?)```", DOC, re.S)


def test_the_doc_has_examples() -> None:
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize("code", EXAMPLES, ids=[f"example-{n}" for n in range(len(EXAMPLES))])
def test_each_example_runs_as_printed(code: str, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()


def test_every_name_in_the_table_is_exported() -> None:
    names = re.findall(r"^\| `(\w+)", DOC, re.M)
    assert names
    for name in names:
        assert name in exilegame.__all__, name


def test_every_exported_name_resolves_to_its_module() -> None:
    for name in exilegame.__all__:
        value = getattr(exilegame, name)
        assert value is not None, name
        if name != "__version__":
            assert getattr(value, "__module__", "").startswith("exilegame"), name
    assert set(exilegame.__all__) <= set(dir(exilegame))
    with pytest.raises(AttributeError, match="no attribute 'engine_room'"):
        _ = exilegame.engine_room


def test_importing_the_package_imports_no_engine_or_loader() -> None:
    """The game imports the package on every launch: the API's modules come on first use."""
    probe = (
        "import sys, exilegame; print(sorted(m for m in sys.modules if m.startswith('exilegame')))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['exilegame', 'exilegame._version']"
