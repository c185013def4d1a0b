"""Special and oversize files in a scenes folder: each is an error naming the file, never a
hang (a FIFO or a device opened for reading blocks or never ends) nor a memory blow-up."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from exilegame.errors import Problem
from exilegame.format.files import FILE_LIMIT, FOLDER_LIMIT
from exilegame.format.load import load_with_problems

WriteStory = Callable[..., Path]


def errors(folder: Path, use_cache: bool = True) -> list[Problem]:
    story, problems = load_with_problems(folder, use_cache=use_cache)
    assert story is None
    return [p for p in problems if p.severity == "error"]


@pytest.mark.parametrize("use_cache", [True, False])
@pytest.mark.parametrize("name", ["two.yaml", "story.yaml", "junk.yaml"])
def test_a_fifo_named_yaml_is_an_error_not_a_hang(
    write_story: WriteStory, name: str, use_cache: bool
) -> None:
    folder = write_story()
    (folder / name).unlink(missing_ok=True)
    os.mkfifo(folder / name)
    problems = errors(folder, use_cache)
    assert problems[0].path == folder / name
    assert f"{name} is a named pipe (FIFO), not a regular file" in problems[0].message
    assert not any("did you mean" in p.hint for p in problems)


def test_a_link_to_a_device_is_an_error(write_story: WriteStory) -> None:
    folder = write_story()
    (folder / "zero.yaml").symlink_to("/dev/zero")  # reading it never ends
    [p] = errors(folder)
    assert (p.path.name, p.line, p.column) == ("zero.yaml", 0, 0)
    assert "a device, not a regular file" in p.message


def test_a_phase_that_is_a_folder_is_said_so(write_story: WriteStory) -> None:
    folder = write_story()
    (folder / "two.yaml").unlink()
    (folder / "two.yaml").mkdir()
    [p] = errors(folder)
    assert p.path.name == "two.yaml" and "a folder, not a regular file" in p.message
    assert "did you mean" not in p.hint  # it was: "the phase 'two' has no file; did you mean"


def test_an_oversize_file_is_not_read(write_story: WriteStory) -> None:
    folder = write_story()
    with (folder / "huge.yaml").open("wb") as handle:
        handle.truncate(FILE_LIMIT + 1)  # sparse: no disk, but reading it would take 64 MB
    [p] = errors(folder)
    assert p.path.name == "huge.yaml" and "too large" in p.message


def test_the_folder_as_a_whole_is_limited(
    write_story: WriteStory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from exilegame.format import files

    folder = write_story()
    sizes = sorted((p.stat().st_size, p.name) for p in folder.glob("*.yaml"))
    monkeypatch.setattr(files, "FOLDER_LIMIT", sum(s for s, _ in sizes) - 1)
    problems = errors(folder)
    assert any("too large" in p.message for p in problems)
    assert FOLDER_LIMIT >= FILE_LIMIT
