"""Where things live (the shipped scenes, the user's data), how files are read safely and how
data files are written.

Every file exilegame reads that a stranger could have put there (scene files, saves, the
explored record, settings, the story cache) is read with `read_regular`: opened without
blocking, checked to be a regular file, and read up to a size limit, so that a FIFO, a device
or a huge file is an error to report, never a hang or a memory blow-up.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
import time
from pathlib import Path

__all__ = [
    "UnreadableFile",
    "clean_stale",
    "data_dir",
    "parse_json",
    "read_regular",
    "shipped_scenes",
    "write_atomic",
]

_PACKAGE = Path(__file__).resolve().parent

# A temporary file of write_atomic is named `.<target>.<pid>.<random>.tmp`: the pid says whose
# it is, so a later start can remove the ones whose writer died (killed mid-write).
_TMP_SUFFIX = ".tmp"
_STALE_AGE = 3600.0  # seconds; a tmp file whose writer cannot be told is stale after this


class UnreadableFile(OSError):
    """A file that must not be read: not a regular file, or larger than the limit."""


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
    return user_dir("data")


# The freedesktop.org base directories: the variable, and the default under the home folder.
_XDG = {
    "data": ("XDG_DATA_HOME", ".local/share"),
    "cache": ("XDG_CACHE_HOME", ".cache"),
}


def user_dir(kind: str) -> Path:
    """exilegame's folder of `kind` ("data" or "cache") in the user's platform folders.

    On Linux and the BSDs these are the XDG base directories, looked up here as platformdirs
    looks them up (a test holds the two equal): importing platformdirs costs a few
    milliseconds that a launch from the story cache otherwise would not spend. Elsewhere
    (macOS, Windows) platformdirs says where they are.
    """
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        variable, default = _XDG[kind]
        base = os.environ.get(variable, "").strip() or os.path.expanduser(f"~/{default}")
        return Path(base) / "exilegame"
    import platformdirs

    finder = platformdirs.user_data_dir if kind == "data" else platformdirs.user_cache_dir
    return Path(finder("exilegame", appauthor=False))


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of `path`, which must be a regular file of at most `limit` bytes.

    Opened with O_NONBLOCK, so that a FIFO (or a link to one) never blocks the open; the
    type and size are checked on the open file, so a file swapped after a check is caught
    too. Raises UnreadableFile (an OSError) for a special or oversize file, and OSError for
    the usual reasons (missing, no permission).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(f"{_kind(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise UnreadableFile(f"{info.st_size:,} bytes, over the limit of {limit:,}")
        chunks = []
        size = 0
        want = max(1 << 20, info.st_size + 1)  # the whole file in one read, as a rule
        while True:  # read to the end, but never past the limit (the file may be growing)
            chunk = os.read(fd, min(want, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise UnreadableFile(f"over the limit of {limit:,} bytes")
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)  # one: no copy
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def write_atomic(path: Path, content: str | bytes, *, durable: bool = True) -> None:
    """Write to `path` so that readers see the old file or the new one, never half of one.

    `durable=False` skips the fsync: the rename is still atomic for every reader, but a power
    cut may lose the newest write. For data rewritten often (the per-choice autosave), where
    an fsync would stall on a slow disk and the previous version is nearly as good.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}.", suffix=_TMP_SUFFIX, dir=path.parent
    )
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


def clean_stale(folder: Path) -> int:
    """Remove the temporary files that writes interrupted in `folder` left; return how many.

    A file is stale when the process that was writing it is gone (or, where that cannot be
    told, when it is over an hour old). Never raises: cleaning up is a courtesy.
    """
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        name = entry.name
        if not (name.startswith(".") and name.endswith(_TMP_SUFFIX)):
            continue
        try:
            if not entry.is_file(follow_symlinks=False) or not _stale(name, entry):
                continue
            os.unlink(entry.path)
            removed += 1
        except OSError:
            continue
    return removed


def _stale(name: str, entry: os.DirEntry[str]) -> bool:
    parts = name[: -len(_TMP_SUFFIX)].rsplit(".", 2)
    pid = int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else 0
    if pid and os.name == "posix":
        if pid == os.getpid():
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except OSError:  # alive, but another user's
            return False
        return False
    return time.time() - entry.stat(follow_symlinks=False).st_mtime > _STALE_AGE


def parse_json(raw: bytes) -> object:
    """JSON from a data file, refusing what Python's reader would take or crash on.

    Raises ValueError (with a short reason) for bytes that are not UTF-8, text that is not
    JSON, `Infinity`/`NaN` (not JSON, though Python reads them), numbers too long to read,
    and nesting too deep to read.
    """
    import json

    def constant(name: str) -> object:
        raise ValueError(f"{name} is not a JSON number")

    try:
        text = raw.decode("utf-8")
        return json.loads(text, parse_constant=constant)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None
