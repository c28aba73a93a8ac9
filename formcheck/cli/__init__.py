"""``formcheck``: analyse clips, browse history, coach live, start the app.

One module per command (:mod:`.analyze`, :mod:`.history`, :mod:`.live`,
:mod:`.app`); each parses, calls :mod:`formcheck.pipeline` (or the store) and
prints. Exit codes: 0 success; 1 unusable input (one clear line on stderr, never
a traceback); 2 usage error; 130 stopped (Ctrl-C).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from formcheck import __version__


def build_parser() -> argparse.ArgumentParser:
    # the commands' modules are imported here, inside :func:`main`'s guard: they take
    # seconds to import, and Ctrl-C pressed meanwhile is a plain "stopped"
    from formcheck.cli import analyze, app, batch, history, live

    parser = argparse.ArgumentParser(
        prog="formcheck",
        description="Running-form and strength-exercise feedback from video, on your machine.",
    )
    parser.add_argument("--version", action="version", version=f"formcheck {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    analyze.register(sub)
    batch.register(sub)
    history.register(sub)
    live.register(sub)
    app.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; its exit code. Ctrl-C before a command handles it itself (while
    formcheck starts) stops with exit 130 and one line, no traceback."""
    try:
        return _run(argv)
    except KeyboardInterrupt:
        print("formcheck: stopped.", file=sys.stderr)
        return 130


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        if not getattr(args, "takes_extra", False):
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
        args.streamlit_args = [*args.streamlit_args, *extra]
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
