"""Reading a scenes folder's files: before anything else, and only what is safe to read.

Every `*.yaml` in the folder is read once, up front (its bytes key the cache, and the loader
parses them): each must be a regular file (a FIFO, a device or a link to one, a folder named
`x.yaml` is an error, never a hang), at most FILE_LIMIT bytes, and all of them together at
most FOLDER_LIMIT bytes, in at most MAX_FILES files. What breaks a rule is reported as a
Problem naming the file and is not read.
"""

from __future__ import annotations

from pathlib import Path

from exilegame._files import UnreadableFile, read_regular
from exilegame.errors import Problem

__all__ = ["FILE_LIMIT", "FOLDER_LIMIT", "MAX_FILES", "read_folder"]

FILE_LIMIT = 64 << 20  # bytes in one scene file (a 10,000-scene story is 12 MB in one file)
FOLDER_LIMIT = 256 << 20  # bytes in all of a folder's scene files
MAX_FILES = 1_000  # scene files in one folder


def read_folder(folder: Path) -> tuple[dict[Path, bytes], dict[Path, Problem]]:
    """The bytes of each readable `*.yaml` in `folder`, and a problem for each other one."""
    files: dict[Path, bytes] = {}
    refused: dict[Path, Problem] = {}
    try:
        paths = sorted(folder.glob("*.yaml"))
    except OSError as exc:
        refused[folder] = Problem(folder, 0, 0, f"cannot list the folder: {exc.strerror}")
        return files, refused
    total = 0
    for index, path in enumerate(paths):
        if index >= MAX_FILES:
            refused[path] = Problem(
                path,
                0,
                0,
                f"the folder holds more than {MAX_FILES:,} .yaml files; this one was not read",
                "a story needs a manifest and one file per phase: move the others away",
            )
            continue
        try:
            raw = read_regular(path, min(FILE_LIMIT, FOLDER_LIMIT - total))
        except UnreadableFile as exc:
            limit = "over the limit" in str(exc) or "bytes," in str(exc)
            refused[path] = Problem(
                path,
                0,
                0,
                f"{path.name} is {exc}" if not limit else f"{path.name} is too large: {exc}",
                f"scene files are at most {FILE_LIMIT >> 20} MB each and "
                f"{FOLDER_LIMIT >> 20} MB together"
                if limit
                else "scene files must be plain files: remove it, or put a file in its place",
            )
            continue
        except OSError as exc:
            refused[path] = Problem(path, 0, 0, f"cannot read {path.name}: {exc.strerror}")
            continue
        total += len(raw)
        files[path] = raw
    return files, refused
