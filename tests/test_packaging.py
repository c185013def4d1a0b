"""The wheel carries the story, and an installed game finds it without a checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contains_the_scenes_and_the_tui_stylesheet(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("exilegame-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.name for p in (ROOT / "scenes").glob("*.yaml")}
    assert {f"exilegame/scenes/{n}" for n in shipped} <= names
    assert "exilegame/play/tui/app.tcss" in names
    assert any(n.endswith("entry_points.txt") for n in names)


def test_installed_layout_prefers_the_packaged_scenes(tmp_path: Path) -> None:
    package = tmp_path / "exilegame"
    (package / "scenes").mkdir(parents=True)
    (package / "scenes" / "story.yaml").write_text("title: x\n")
    code = (
        "import sys, exilegame._files as p\n"
        f"p._PACKAGE = __import__('pathlib').Path({str(package)!r})\n"
        "print(p.shipped_scenes())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == str(package / "scenes")
