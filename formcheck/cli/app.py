"""``formcheck app``: the Streamlit app on this machine (http://127.0.0.1:8501).

Every option after ``app`` goes to Streamlit (``formcheck app --server.port 8600``);
the privacy flags come first, so usage statistics stay off and the app listens on
127.0.0.1 unless ``--server.address`` says otherwise.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

#: The Streamlit entry script, inside the installed package (found by path, so the
#: command line never imports the Streamlit layer). Streamlit reads the packaged
#: ``.streamlit/config.toml`` beside it (privacy, upload size) as the script's own
#: config, whatever folder the app is started from.
APP_SCRIPT = Path(__file__).resolve().parents[1] / "ui" / "app.py"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "app",
        help="start the web app on this machine (http://127.0.0.1:8501)",
        description="Start the formcheck app. Options after 'app' go to Streamlit "
        "(e.g. formcheck app --server.port 8600). It listens on 127.0.0.1 only unless you "
        "pass --server.address 0.0.0.0; usage statistics are off.",
        usage="formcheck app [-h] [STREAMLIT OPTIONS ...]",
    )
    p.set_defaults(func=cmd_app, streamlit_args=[], takes_extra=True)


def app_command(extra: Sequence[str] = ()) -> list[str]:
    """The streamlit command line: privacy flags first, the user's options after."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP_SCRIPT),
        "--browser.gatherUsageStats",
        "false",
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        *extra,
    ]


def cmd_app(args: argparse.Namespace) -> int:
    env = dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    cmd = app_command(args.streamlit_args)
    print(
        "formcheck app: starting on http://127.0.0.1:8501 (unless your Streamlit options "
        "say otherwise); Ctrl-C stops it.",
        flush=True,
    )
    if os.name == "posix":
        # Streamlit takes this process's place, so a signal that stops `formcheck app`
        # (Ctrl-C, a service manager's TERM) stops the server, never leaving it orphaned
        os.execve(cmd[0], cmd, env)
    try:
        return subprocess.call(cmd, env=env)
    except KeyboardInterrupt:
        return 0
