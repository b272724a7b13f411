"""The ``eventwire`` command.

Each command lives beside the code it drives: a module listed in ``COMMAND_MODULES`` defines
``add_cli(subparsers)``, which adds its sub-command with ``set_defaults(run=function)``. The
function takes the parsed arguments and returns the exit status.

Exit status: 0 all went through; 1 an error stopped the command; 3 some items failed (a summary
says which), the rest were processed. Errors are one line unless ``--debug``.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from .errors import EventwireError

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3

COMMAND_MODULES = (
    "eventwire.commands",        # extract, schema, demo, actors
    "eventwire.evaluate",        # evaluate
    "eventwire.store.commands",  # ingest, query, export
    "eventwire.api",             # serve
)


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="eventwire",
        description="News about conflict and diplomacy in, verifiable event data out.")
    parser.add_argument("--version", action="version", version=f"eventwire {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            # A command whose optional dependencies are not installed (e.g. fastapi for serve)
            # is left out rather than breaking every other command.
            if exc.name and exc.name.startswith("eventwire"):
                raise
            continue
        module.add_cli(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.run(args) or 0)
    except EventwireError as exc:
        if args.debug:
            raise
        print(f"error: {exc.one_line()}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback
        if args.debug:
            raise
        print(f"error: E999 unexpected {type(exc).__name__}: {exc} (run with --debug for details)",
              file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
