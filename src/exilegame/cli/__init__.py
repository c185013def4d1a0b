"""The `exilegame` command: play (TUI or --plain), and the authoring subcommands.

This package is the only code that sees `argparse.Namespace`: `parser` declares the
grammar, `commands` turns parsed arguments into calls on the layers below.

Exit statuses: 0 success; 1 warnings under --strict, or problems found by `explore`;
2 errors in the scene files or in the command line; 130 interrupted.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, cast

from exilegame.cli import commands
from exilegame.errors import LoadError, visible

if TYPE_CHECKING:
    import argparse

__all__ = ["NO_ARGUMENTS", "main", "parse"]

# What `exilegame` alone means: play the shipped story in the terminal. It is how the game
# is launched, and it is answered without building the parser: argparse, its translations
# and the parser's options and subcommands cost start-up time (docs/design.md, start-up).
# A test holds it equal to what the parser makes of no arguments.
NO_ARGUMENTS: dict[str, object] = {
    "scenes": None,
    "plain": False,
    "role": None,
    "seed": None,
    "choices": None,
    "watch": False,
    "width": None,
    "export": None,
    "replay": None,
    "command": None,
}


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line parsed (`sys.argv` by default)."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        return cast("argparse.Namespace", SimpleNamespace(**NO_ARGUMENTS))
    from exilegame.cli.parser import build_parser

    return build_parser().parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `exilegame` console script."""
    args = parse(argv)
    name = args.command or "play"
    try:
        status: int = getattr(commands, name)(args)
        return status
    except commands.CommandError as exc:
        if str(exc):
            prefix = f"exilegame {args.command}" if args.command else "exilegame"
            print(f"{prefix}: {visible(str(exc))}", file=sys.stderr)
        return exc.status
    except LoadError as exc:  # a story from the cache found damaged, its files changed since
        print(exc.report(), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
