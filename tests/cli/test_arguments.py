"""The command line: every bad argument and every output path error is one line and exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from exilegame.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    try:
        status = main(list(argv))
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 2
    return status, capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["explore", "--max-states", "-1"], "-1 is too small"),
        (["explore", "--max-states", "0"], "0 is too small"),
        (["explore", "--max-steps", "-3"], "-3 is too small"),
        (["explore", "--random", "0"], "0 is too small"),
        (["explore", "--random", "many"], "'many' is not a whole number"),
        (["explore", "--seed", "-1"], "a seed is a whole number from 0"),
        (["explore", "--seed", str(2**63)], "a seed is a whole number from 0"),
        (["explore", "--max-states", "9" * 5000], "is not a whole number"),
        (["--plain", "--width", "-3"], "-3 is too small"),
        (["--seed", "x"], "'x' is not a whole number"),
        (["graph", "--format", "png"], "invalid choice"),
        (["--no-such-option"], "unrecognized arguments"),
        (["frobnicate"], "invalid choice"),
        (["new"], "the following arguments are required"),
    ],
)
def test_a_bad_argument_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    status, err = run(capsys, *argv)
    assert status == 2
    assert err.count("\n") == 1, err  # one line: no usage block
    assert says in err and "--help" in err


@pytest.mark.parametrize("command", ["graph", "schema"])
def test_output_path_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x")
    for target, reason in [
        (tmp_path / "missing" / "out.txt", "No such file or directory"),
        (tmp_path, "Is a directory"),
        (afile / "out.txt", "Not a directory"),
    ]:
        status, err = run(capsys, command, "-o", str(target))
        assert status == 2
        assert err == f"exilegame {command}: cannot write {target}: {reason}\n"


def test_new_into_a_bad_path_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x")
    status, err = run(capsys, "new", str(afile / "story"))
    assert (status, err) == (2, f"exilegame new: cannot write {afile / 'story'}: Not a directory\n")
    status, err = run(capsys, "new", str(afile))
    assert status == 2 and err.count("\n") == 1 and "already exists" in err


def test_a_story_found_damaged_after_loading_is_reported_not_raised(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache entry that fails to decode once the files have changed raises LoadError in
    the middle of a command (see format/load.py): it is reported, with status 2."""
    from exilegame.cli import commands
    from exilegame.errors import LoadError, Problem

    damaged = Problem(Path("scenes"), 0, 0, "the story cache was damaged", "start again")

    def check(_args: object) -> int:
        raise LoadError([damaged])

    monkeypatch.setattr(commands, "check", check)
    status, err = run(capsys, "check")
    assert status == 2
    assert "the story cache was damaged" in err
    assert "Traceback" not in err


def test_no_arguments_mean_what_the_parser_makes_of_none() -> None:
    """`exilegame` alone is answered without building the parser (start-up time): with the
    very values the parser gives. An option added to the parser must be added there too."""
    from exilegame.cli import NO_ARGUMENTS, parse
    from exilegame.cli.parser import build_parser

    assert vars(parse([])) == vars(build_parser().parse_args([])) == NO_ARGUMENTS
    assert vars(parse(["--role", "x"])) == {**NO_ARGUMENTS, "role": "x"}
