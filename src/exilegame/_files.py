"""Where things live (the shipped scenes, the user's data) and how data files are written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = [
    "data_dir",
    "shipped_scenes",
    "write_atomic",
]

_PACKAGE = Path(__file__).resolve().parent


def shipped_scenes() -> Path:
    """The game's own scenes folder: inside the installed package, else the checkout's."""
    installed = _PACKAGE / "scenes"
    if (installed / "story.yaml").is_file():
        return installed
    checkout = _PACKAGE.parent.parent / "scenes"
    return checkout


def data_dir() -> Path:
    """Where saves and the explored-paths record go: $EXILEGAME_DATA_DIR, else the platform's."""
    override = os.environ.get("EXILEGAME_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("exilegame", appauthor=False))


def write_atomic(path: Path, content: str | bytes, *, durable: bool = True) -> None:
    """Write to `path` so that readers see the old file or the new one, never half of one.

    `durable=False` skips the fsync: the rename is still atomic for every reader, but a power
    cut may lose the newest write. For data rewritten often (the per-choice autosave), where
    an fsync would stall on a slow disk and the previous version is nearly as good.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
