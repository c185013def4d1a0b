"""Shared fixtures: small stories written to a temporary folder, and private data folders.

No test may touch the user's real data, cache or config folders. The whole session runs with
every folder exilegame could write to pointed inside pytest's temporary folder (set before
any fixture of any scope runs), and each test gets folders of its own on top. An audit hook
makes any write into the real folders fail at once, whatever the code path.
"""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from story_texts import MANIFEST, PHASE_ONE, PHASE_TWO


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


BROWSER_TESTS = "EXILEGAME_BROWSER_TESTS"
# marker -> (the variable that asks for it, why it is skipped elsewhere)
ASKED_FOR = {
    "browser": (BROWSER_TESTS, "drives headless Chromium"),
    "slow": ("EXILEGAME_SLOW", "slow"),
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `long` run first: the suite runs on every core (pytest-xdist, handing
    each worker a test or two at a time), and a long test started last would leave the other
    cores idle at the end; started first, the long tests go to different workers.
    Browser and slow tests run in CI (where CI is set), when their variable is set, or
    when `-m` names them; elsewhere they are skipped with the reason, so the everyday run
    stays short and CI still runs everything with the README's command."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)  # stable: else as is
    if os.environ.get("CI"):
        return
    chosen = config.getoption("-m") or ""
    for marker, (variable, why) in ASKED_FOR.items():
        if os.environ.get(variable) or marker in chosen:
            continue
        skip = pytest.mark.skip(reason=f"{why}: runs in CI, with -m {marker} or {variable}=1")
        for item in items:
            if item.get_closest_marker(marker):
                item.add_marker(skip)


@pytest.fixture
def write_story(tmp_path: Path) -> Callable[..., Path]:
    """Write a story folder; files default to a small valid two-phase story."""

    def write(name: str = "story", **files: str) -> Path:
        contents = {"story.yaml": MANIFEST, "one.yaml": PHASE_ONE, "two.yaml": PHASE_TWO}
        for key, text in files.items():
            contents[key.replace("_yaml", ".yaml")] = text
        return _write(tmp_path / name, contents)

    return write


_USER_DIR_VARS = ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME")


def real_user_dirs() -> tuple[str, ...]:
    """exilegame's folders as the user's own environment places them."""
    from platformdirs import user_cache_dir, user_config_dir, user_data_dir, user_state_dir

    folders = (user_data_dir, user_cache_dir, user_config_dir, user_state_dir)
    return tuple(os.path.realpath(f("exilegame", appauthor=False)) for f in folders)


REAL_DIRS = real_user_dirs()
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def _guard(event: str, args: tuple[object, ...]) -> None:
    """An audit hook: any write, rename, removal or new folder inside the real folders fails."""
    if event == "open":
        path, mode, flags = args
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & _WRITE_FLAGS
        )
        targets = [path] if writing else []
    elif event in ("os.rename", "os.remove", "os.mkdir", "os.rmdir", "shutil.rmtree"):
        targets = [a for a in args[:2] if isinstance(a, str | bytes | os.PathLike)]
    else:
        return
    for target in targets:
        if isinstance(target, int):
            continue
        where = os.path.realpath(os.fsdecode(target))  # type: ignore[arg-type]
        if any(where == d or where.startswith(d + os.sep) for d in REAL_DIRS):
            raise PermissionError(f"a test tried to write in the user's real folder: {where}")


sys.addaudithook(_guard)


@pytest.fixture(scope="session", autouse=True)
def private_user_dirs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """For the whole session: data, cache, config and state folders inside the temporary one."""
    root = tmp_path_factory.mktemp("user")
    saved = {
        k: os.environ.get(k) for k in (*_USER_DIR_VARS, "EXILEGAME_DATA_DIR", "EXILEGAME_CACHE_DIR")
    }
    for var in _USER_DIR_VARS:
        os.environ[var] = str(root / var.lower())
    os.environ["EXILEGAME_DATA_DIR"] = str(root / "exilegame-data")
    os.environ["EXILEGAME_CACHE_DIR"] = str(root / "exilegame-cache")
    yield root
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own saves and cache folders: never the real user's. The story
    cache is written on a background thread: a test's writes end with the test."""
    from exilegame.format import cache

    folder = tmp_path / "data"
    monkeypatch.setenv("EXILEGAME_DATA_DIR", str(folder))
    monkeypatch.setenv("EXILEGAME_CACHE_DIR", str(tmp_path / "cache"))
    yield folder
    cache.wait()
