"""The `exilegame` command: play (TUI or --plain), and the authoring subcommands.

Each subcommand's module is imported only when it runs, so that `exilegame` starts fast and
`exilegame check` never imports the TUI.

Exit statuses: 0 success; 1 warnings under --strict, or problems found by `explore`;
2 errors in the scene files or in the command line.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from exilegame import __version__

# name -> (module, function, one-line help); each function takes the parsed args, returns a status
COMMANDS: dict[str, tuple[str, str, str]] = {
    "check": (
        "exilegame.authoring.check",
        "main",
        "check a scenes folder and report every problem",
    ),
    "explore": (
        "exilegame.authoring.explore",
        "main",
        "play a story automatically and report coverage",
    ),
    "graph": ("exilegame.authoring.graph", "main", "write the scene graph as DOT or Mermaid"),
    "new": ("exilegame.authoring.scaffold", "main", "write a small working story to start from"),
    "schema": ("exilegame.format.schema", "main", "print the JSON Schema of the scene files"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="exilegame",
        description="A Planet Without a Visa: Trotsky's last exile, 1929–1940, in the terminal. "
        "With no command, plays the game.",
        epilog="Scene files are documented in docs/scene-format.md.",
    )
    parser.add_argument("--version", action="version", version=f"exilegame {__version__}")
    parser.add_argument(
        "--scenes",
        metavar="DIR",
        type=Path,
        help="play the story in DIR instead of the shipped one",
    )
    parser.add_argument(
        "--plain",
        action="store_true",
        help="line mode: numbered choices on stdin, text on stdout "
        "(for screen readers and scripts)",
    )
    parser.add_argument("--role", help="start as this role (e.g. bodyguard, secretary)")
    parser.add_argument("--seed", type=int, help="seed for a reproducible run")
    parser.add_argument(
        "--choices",
        metavar="1,3,2",
        help="with --plain: take these choices in order, then go on from stdin",
    )
    parser.add_argument(
        "--watch",
        action="store_true",
        help="reload the scene files when they change, keeping your place",
    )
    parser.add_argument("--width", type=int, help="with --plain: wrap text to this width")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser(
        "check",
        help=COMMANDS["check"][2],
        description="Load a scenes folder and report every error and "
        "warning as file:line:col. Exit 0 clean, 1 warnings with --strict, "
        "2 errors.",
    )
    check.add_argument("dir", nargs="?", type=Path, help="the scenes folder (default: shipped)")
    check.add_argument("--strict", action="store_true", help="exit 1 when there are warnings")
    check.add_argument("--quiet", "-q", action="store_true", help="print only problems")

    explore = sub.add_parser(
        "explore",
        help=COMMANDS["explore"][2],
        description="Play the story automatically: random playthroughs "
        "or an exhaustive search of its states. Exit 1 when it finds stuck "
        "runs or unreachable content.",
    )
    explore.add_argument("dir", nargs="?", type=Path, help="the scenes folder (default: shipped)")
    mode = explore.add_mutually_exclusive_group()
    mode.add_argument("--random", type=int, metavar="N", help="N random playthroughs per role")
    mode.add_argument(
        "--exhaustive",
        action="store_true",
        help="visit every distinct reachable state (the default)",
    )
    explore.add_argument("--seed", type=int, default=0, help="seed for the random playthroughs")
    explore.add_argument(
        "--max-states",
        type=int,
        default=200_000,
        metavar="N",
        help="stop the exhaustive search after N states (default 200000)",
    )
    explore.add_argument(
        "--max-steps",
        type=int,
        default=1000,
        metavar="N",
        help="with --random: a run longer than N choices is reported as endless (default 1000)",
    )
    explore.add_argument("--role", action="append", help="only this role (repeatable)")
    explore.add_argument("--json", action="store_true", help="print the report as JSON")
    explore.add_argument("--no-progress", action="store_true", help="no progress bar")

    graph = sub.add_parser(
        "graph",
        help=COMMANDS["graph"][2],
        description="Write the scene graph: phases as clusters, conditional choices dashed.",
    )
    graph.add_argument("dir", nargs="?", type=Path, help="the scenes folder (default: shipped)")
    graph.add_argument("--format", choices=("dot", "mermaid"), default="dot")
    graph.add_argument(
        "--explored", action="store_true", help="colour what has been seen in play on this machine"
    )
    graph.add_argument(
        "--svg", metavar="FILE", type=Path, help="render to SVG with Graphviz's dot (if installed)"
    )
    graph.add_argument(
        "--output", "-o", metavar="FILE", type=Path, help="write to FILE instead of stdout"
    )

    new = sub.add_parser(
        "new",
        help=COMMANDS["new"][2],
        description="Write a small story (manifest and one phase) that passes "
        "check and explore, to start a new story from.",
    )
    new.add_argument("dir", type=Path, help="the folder to create")
    new.add_argument("--title", help="the story's title")

    schema = sub.add_parser(
        "schema",
        help=COMMANDS["schema"][2],
        description="Print the JSON Schema that editors use to check and complete scene files.",
    )
    schema.add_argument(
        "--output", "-o", metavar="FILE", type=Path, help="write to FILE instead of stdout"
    )
    schema.add_argument(
        "--reference",
        action="store_true",
        help="print the Markdown key reference (docs/scene-format.md) instead of the schema",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `exilegame` console script."""
    args = build_parser().parse_args(argv)
    try:
        if args.command:
            module, function, _ = COMMANDS[args.command]
            run = getattr(importlib.import_module(module), function)
            return int(run(args))
        if args.plain:
            from exilegame.play.plain import main as plain_main

            return plain_main(args)
        from exilegame.play.tui.app import main as tui_main

        return tui_main(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
