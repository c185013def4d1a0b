"""Where things live (the shipped scenes, the user's data) and how data files are written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

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


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write to `path` so that readers see the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
