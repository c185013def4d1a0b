"""The `exilegame` command: play (TUI or --plain), and the authoring subcommands.

This package is the only code that sees `argparse.Namespace`: `parser` declares the
grammar, `commands` turns parsed arguments into calls on the layers below.

Exit statuses: 0 success; 1 warnings under --strict, or problems found by `explore`;
2 errors in the scene files or in the command line; 130 interrupted.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from exilegame.cli import commands
from exilegame.cli.parser import build_parser
from exilegame.errors import LoadError, visible

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `exilegame` console script."""
    args = build_parser().parse_args(argv)
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
