"""The suite never touches the user's real data, cache or config folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from exilegame._files import data_dir
from exilegame.format.cache import cache_dir


@pytest.fixture(scope="module")
def module_scoped_dirs() -> tuple[Path, Path]:
    """A module-scoped fixture sees only the session's private folders (no per-test ones yet)."""
    return data_dir(), cache_dir()


def test_every_folder_exilegame_writes_is_private(
    tmp_path_factory: pytest.TempPathFactory, module_scoped_dirs: tuple[Path, Path]
) -> None:
    from platformdirs import user_cache_dir, user_config_dir, user_data_dir

    base = tmp_path_factory.getbasetemp().resolve()
    folders = [
        data_dir(),
        cache_dir(),
        *module_scoped_dirs,
        *(Path(f("exilegame", appauthor=False)) for f in (user_data_dir, user_cache_dir)),
        Path(user_config_dir("exilegame", appauthor=False)),
    ]
    for folder in folders:
        assert folder.resolve().is_relative_to(base), folder


def test_a_write_into_the_real_folders_fails_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from platformdirs import user_cache_dir

    monkeypatch.delenv("EXILEGAME_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME")
    real = Path(user_cache_dir("exilegame", appauthor=False))
    with pytest.raises(PermissionError, match="real folder"):
        (real / "stories").mkdir(parents=True, exist_ok=True)
        (real / "stories" / "x.marshal").write_bytes(b"")
