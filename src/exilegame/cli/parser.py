"""The command line's grammar: every option and subcommand of `exilegame`, and nothing else.

Numbers that must be positive are checked here, and every error in the command line is one
line (not argparse's usage block) and exit 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import NoReturn

from exilegame._version import __version__

# name -> one-line help; cli.commands has a function of the same name for each
COMMANDS: dict[str, str] = {
    "check": "check a scenes folder and report every problem",
    "explore": "play a story automatically and report coverage",
    "graph": "write the scene graph as DOT or Mermaid",
    "new": "write a small working story to start from",
    "schema": "print the JSON Schema of the scene files",
    "serve": "play in a web browser (needs the web extra)",
}


SEED_MAX = 2**63 - 1  # a save stores the seed; larger ones would not read back


class Parser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line pointing at --help, and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is too small: give a number of 1 or more")
    return value


def seed(text: str) -> int:
    """An argparse type: a seed, a whole number from 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 0 <= value <= SEED_MAX:
        raise argparse.ArgumentTypeError(f"a seed is a whole number from 0 to {SEED_MAX}")
    return value


def port(text: str) -> int:
    """An argparse type: a TCP port, 1 to 65535."""
    value = positive(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port: give 1 to 65535")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="exilegame",
        description="Play a story told in YAML scene files, and write your own. "
        "With no command, plays the shipped story (or --scenes DIR).",
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
    parser.add_argument("--seed", type=seed, help="seed for a reproducible run")
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
    parser.add_argument("--width", type=positive, help="with --plain: wrap text to this width")
    parser.add_argument(
        "--export",
        metavar="FILE",
        type=Path,
        help="with --plain: when play ends, write the run to FILE "
        "(.html: one HTML page; otherwise Markdown)",
    )
    parser.add_argument(
        "--replay",
        metavar="FILE",
        type=Path,
        help="bring back the run exported to FILE, exactly where it stopped, and play on",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser(
        "check",
        help=COMMANDS["check"],
        description="Load a scenes folder and report every error and "
        "warning as file:line:col. Exit 0 clean, 1 warnings with --strict, "
        "2 errors.",
    )
    check.add_argument("dir", nargs="?", type=Path, help="the scenes folder (default: shipped)")
    check.add_argument("--strict", action="store_true", help="exit 1 when there are warnings")
    check.add_argument("--quiet", "-q", action="store_true", help="print only problems")

    explore = sub.add_parser(
        "explore",
        help=COMMANDS["explore"],
        description="Play the story automatically: random playthroughs "
        "or an exhaustive search of its states. Exit 1 when it finds stuck "
        "runs or unreachable content, 3 when the exhaustive search stops at "
        "--max-states without finding a problem (INCOMPLETE: nothing is proven).",
    )
    explore.add_argument("dir", nargs="?", type=Path, help="the scenes folder (default: shipped)")
    mode = explore.add_mutually_exclusive_group()
    mode.add_argument("--random", type=positive, metavar="N", help="N random playthroughs per role")
    mode.add_argument(
        "--exhaustive",
        action="store_true",
        help="visit every distinct reachable state (the default)",
    )
    explore.add_argument("--seed", type=seed, default=0, help="seed for the random playthroughs")
    explore.add_argument(
        "--max-states",
        type=positive,
        default=None,
        metavar="N",
        help="stop the exhaustive search after N states (default 3000000), and its graph "
        "of what is shown, for the measures, after N (default 200000); with --random, "
        "the bound on the state graph built to measure inconsequential choices (default "
        "20000: larger stories leave them partly undetermined rather than slow every run)",
    )
    explore.add_argument(
        "--max-steps",
        type=positive,
        default=1000,
        metavar="N",
        help="with --random: a run longer than N choices is reported as endless (default 1000)",
    )
    explore.add_argument("--role", action="append", help="only this role (repeatable)")
    explore.add_argument("--json", action="store_true", help="print the report as JSON")
    explore.add_argument("--no-progress", action="store_true", help="no progress bar")

    graph = sub.add_parser(
        "graph",
        help=COMMANDS["graph"],
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
        help=COMMANDS["new"],
        description="Write a small story (manifest and one phase) that passes "
        "check and explore, to start a new story from.",
    )
    new.add_argument("dir", type=Path, help="the folder to create")
    new.add_argument("--title", help="the story's title")

    schema = sub.add_parser(
        "schema",
        help=COMMANDS["schema"],
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

    serve = sub.add_parser(
        "serve",
        help=COMMANDS["serve"],
        description="Serve the game to web browsers through textual-serve: each browser tab "
        "plays its own run. Listens on this machine only unless --host says otherwise. "
        "Needs the web extra: pip install 'exilegame[web]'.",
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    serve.add_argument("--port", type=port, default=8000, help="port (default 8000)")
    serve.add_argument(
        "--scenes",
        metavar="DIR",
        type=Path,
        dest="serve_scenes",
        help="serve the story in DIR instead of the shipped one",
    )
    return parser
