"""What each command does with its parsed arguments: the glue between the command line and
the layers below, which take typed values and never see `argparse.Namespace`.

Each function takes the parsed arguments and returns the exit status: 0 success; 1 warnings
under --strict, or problems found by `explore`; 2 errors in the scene files or the command
line; 3 an `explore --exhaustive` that stopped at its bound without finding a problem. The
modules a command needs are imported when it runs, so that `exilegame` starts fast and
`exilegame check` never imports the terminal interface.
"""

from __future__ import annotations

import gc
import shutil
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from exilegame._files import shipped_scenes
from exilegame.errors import LoadError, visible
from exilegame.story import Story

if TYPE_CHECKING:
    import argparse

    from exilegame.engine import State


class CommandError(Exception):
    """A command cannot go on: the message is printed as one line and the status returned."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def scenes_dir(given: Path | None) -> Path:
    """The folder a command should read: the one given, else the shipped story."""
    return given if given is not None else shipped_scenes()


def load(given: Path | None) -> Story:
    """Load the story; on errors, print every problem to stderr and stop with status 2."""
    from exilegame.format.load import load_story

    try:
        return load_story(scenes_dir(given))
    except LoadError as exc:
        print(exc.report(), file=sys.stderr)
        raise CommandError("", 2) from None


def known_roles(story: Story, roles: Iterable[str]) -> None:
    """Stop with one line naming the roles when one of `roles` is not the story's."""
    for role in roles:
        if role not in story.roles:
            raise CommandError(
                f"there is no role '{role}'; the roles are: {', '.join(story.roles)}"
            )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def write_output(path: Path, text: str) -> None:
    """Write a command's output file, or stop with one line saying why it could not be."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from None
    print(f"wrote {path}", file=sys.stderr)


# -- the commands ---------------------------------------------------------------------------


def play(args: argparse.Namespace) -> int:
    """`exilegame [--scenes DIR] [--role R] [--seed N] [--watch] [--replay FILE]`, or `--plain`."""
    if args.export is not None and not args.plain:
        raise CommandError(
            "--export is for line mode (--plain); in the game, press x on the epilogue "
            "or in the history log (h)"
        )
    if args.plain:
        story = load(args.scenes)
        known_roles(story, [args.role] if args.role else [])
        return _play_plain(story, args, _replayed(story, args))
    # Until the title screen is drawn, the cyclic garbage collector would only rescan the
    # modules, the story and the screen being built, over and over: it is paused, and the
    # app takes those objects out of its reach and resumes it then (docs/design.md, start-up).
    collecting = gc.isenabled()
    gc.disable()
    try:
        story = load(args.scenes)
        known_roles(story, [args.role] if args.role else [])
        replayed = _replayed(story, args)
        from exilegame.play.tui.app import ExileApp

        watch = scenes_dir(args.scenes) if args.watch else None
        app = ExileApp(
            story,
            role=args.role,
            seed=args.seed,
            watch=watch,
            resume=replayed,
            resume_collector=collecting,
        )
        return app.play()
    finally:
        if collecting:
            gc.enable()


def _replayed(story: Story, args: argparse.Namespace) -> State | None:
    """The run `--replay FILE` brings back, or None; one line and status 2 if it cannot."""
    if args.replay is None:
        return None
    from exilegame.play.export import ExportError, clean, replay_document

    name = clean(str(args.replay))
    try:
        text = args.replay.read_text(encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot read {name}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise CommandError(f"{name} is not an exported run (it is not UTF-8 text)") from None
    try:
        state = replay_document(story, text)
    except ExportError as exc:
        raise CommandError(f"{name}: {exc}") from None
    if args.role is not None and args.role != state.role:
        raise CommandError(f"{name} is a run as {state.role}, not {args.role}: leave out --role")
    if args.seed is not None and args.seed != state.seed:
        raise CommandError(f"{name} is a run with seed {state.seed}: leave out --seed")
    return state


def _play_plain(story: Story, args: argparse.Namespace, replayed: State | None) -> int:
    import secrets

    from exilegame.play.plain import PlainPlayer

    width = args.width or min(shutil.get_terminal_size((80, 24)).columns, 100) - 2
    player = PlainPlayer(story, sys.stdout, iter(sys.stdin.readline, ""), max(width, 30))
    role = replayed.role if replayed is not None else player.choose_role(args.role)
    if role is None:
        return 0
    seed = replayed.seed if replayed is not None else args.seed
    if seed is None:
        seed = secrets.randbelow(1_000_000)
    queued = [c for c in (args.choices or "").split(",") if c.strip()]
    status = player.play(role, seed, queued, replayed)
    if args.export is not None and player.session.state is not None:
        _export(story, player.session.state, args.export)
    return status


def _export(story: Story, state: State, path: Path) -> None:
    """Write the run to `path` (HTML for .html/.htm, else Markdown), atomically."""
    from exilegame._files import write_atomic
    from exilegame.play.export import export, format_for

    try:
        write_atomic(path, export(story, state, format_for(path.name)))
    except OSError as exc:
        raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from None
    print(f"wrote {path}", file=sys.stderr)


def serve(args: argparse.Namespace) -> int:
    """`exilegame serve [--host H] [--port N] [--scenes DIR]`."""
    from exilegame.play.serve import serve as run_server

    return run_server(args.host, args.port, args.serve_scenes or args.scenes)


def check(args: argparse.Namespace) -> int:
    """`exilegame check [DIR] [--strict] [--quiet]`."""
    from exilegame.authoring.check import run_check

    folder = scenes_dir(args.dir)
    began = time.perf_counter()
    story, problems = run_check(folder)
    elapsed = time.perf_counter() - began
    for problem in problems:
        print(problem.format(), file=sys.stderr if problem.severity == "error" else sys.stdout)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if story is None:
        counts = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
        print(f"{counts} in {visible(str(folder))}", file=sys.stderr)
        return 2
    if not args.quiet:
        choices = sum(len(s.choices) for s in story.scenes.values())
        print(
            f"{story.title}: {_plural(len(story.phases), 'phase')}, "
            f"{_plural(len(story.scenes), 'scene')}, {_plural(choices, 'choice')}; "
            f"{_plural(warnings, 'warning')} ({elapsed * 1000:.0f} ms)"
        )
    return 1 if warnings and args.strict else 0


def explore(args: argparse.Namespace) -> int:
    """`exilegame explore [DIR] [--random N | --exhaustive] ...`."""
    from exilegame.authoring import explore as explorer

    story = load(args.dir)
    roles = args.role or None
    known_roles(story, roles or [])
    show = sys.stderr if sys.stderr.isatty() and not args.no_progress else None
    if args.random is not None:
        bound = args.max_states or explorer.RANDOM_MEASURE_STATES
        report = explorer.explore_random(
            story, args.random, args.seed, roles, args.max_steps, show, bound
        )
    else:
        bound = args.max_states or explorer.MAX_STATES
        report = explorer.explore_exhaustive(
            story, bound, args.seed, roles, show, shown_states=args.max_states
        )
    if args.json:
        import json
        from dataclasses import asdict

        data = report.to_dict()
        data["messages"] = [asdict(m) for m in explorer.messages(story, report, args.dir)]
        print(json.dumps(data, indent=1, ensure_ascii=False))
    else:
        print(explorer.format_report(story, report, args.dir))
    return report.status


def graph(args: argparse.Namespace) -> int:
    """`exilegame graph [DIR] [--format dot|mermaid] [--explored] [--svg FILE] [-o FILE]`."""
    from exilegame.authoring.graph import render_svg, to_dot, to_mermaid
    from exilegame.explored import ExploredRecord

    if args.svg is not None and args.format != "dot":
        raise CommandError("--svg draws the DOT graph; leave out --format")
    story = load(args.dir)
    explored = ExploredRecord(story).read() if args.explored else None
    text = to_mermaid(story, explored) if args.format == "mermaid" else to_dot(story, explored)
    if args.svg is not None:
        problem = render_svg(text, args.svg)
        if problem:
            raise CommandError(problem)
        print(f"wrote {args.svg}", file=sys.stderr)
        if args.output is None:
            return 0
    if args.output is not None:
        write_output(args.output, text)
    else:
        sys.stdout.write(text)
    return 0


def new(args: argparse.Namespace) -> int:
    """`exilegame new DIR [--title T]`."""
    from exilegame.authoring.scaffold import write
    from exilegame.format.schema import SCHEMA_FILE

    folder: Path = args.dir
    try:
        write(folder, args.title)
    except FileExistsError:
        raise CommandError(
            f"{folder} already exists and is not empty; nothing was written. "
            "Give a new folder name."
        ) from None
    except OSError as exc:
        raise CommandError(f"cannot write {folder}: {exc.strerror or exc}") from None
    d = str(folder)
    print(
        f"""Wrote a new story in {d}:
  {d}/story.yaml          the manifest: title, roles, variables, phases, endings
  {d}/border.yaml         the first phase and its three scenes
  {d}/{SCHEMA_FILE}   the JSON Schema your editor checks the files with

Next steps:
  exilegame --scenes {d}                      play it (add --plain for line mode)
  exilegame check {d} --strict                find every mistake, with file:line
  exilegame explore {d}                       play every path automatically
  exilegame graph {d} --svg story.svg         see the story's shape
  exilegame --scenes {d} --watch              play while you edit: changes reload

Then follow docs/tutorial.md to grow it, and docs/editor-setup.md for your editor."""
    )
    return 0


def schema(args: argparse.Namespace) -> int:
    """`exilegame schema [-o FILE] [--reference]`."""
    from exilegame.format.schema import dumps, reference_markdown

    text = reference_markdown() if args.reference else dumps()
    if args.output is None:
        sys.stdout.write(text)
    else:
        write_output(args.output, text)
    return 0
