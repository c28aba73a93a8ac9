"""What the commands share: settings from the command line, a progress bar, Ctrl-C
that stops a batch cleanly."""

from __future__ import annotations

import argparse
import math
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TextIO

from formcheck.cues.thresholds import with_overrides
from formcheck.settings import Settings


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Settings for a command: the TOML file (``--config``) if given, the runner's
    saved profile overridden by the file's ``[profile]`` and then by the flags
    (``--height-cm`` ...), and ``--model``/``--view``. Shared by analyze and live."""
    from formcheck.profile import load_profile, merged_profile

    config = getattr(args, "config", None)
    settings = Settings.from_toml(config) if config else Settings()
    with_overrides(settings.thresholds)  # an unknown threshold name raises ValueError
    flags = {
        name: getattr(args, name, None)
        for name in ("height_cm", "leg_length_cm", "treadmill_kmh", "capture_fps")
    }
    changes: dict[str, object] = {
        "profile": merged_profile(load_profile(), settings.profile, flags)
    }
    if getattr(args, "model", None) is not None:
        changes["model_path"] = args.model
    if getattr(args, "view", None) is not None:
        changes["view"] = args.view
    return settings.replace(**changes)


def profile_flag(key: str) -> Callable[[str], float]:
    """An argparse ``type`` for a profile flag (``--height-cm`` ...): a number within
    the range :mod:`formcheck.profile` accepts, else a usage error saying the range."""

    def parse(text: str) -> float:
        from formcheck.profile import check

        try:
            value = float(text)
        except ValueError:
            value = math.nan
        why = check(key, value) if math.isfinite(value) else f"not a number: {text!r}"
        if why:
            raise argparse.ArgumentTypeError(why)
        return value

    return parse


def add_profile_flags(p: argparse.ArgumentParser) -> None:
    """``--height-cm``, ``--leg-length-cm`` and ``--treadmill-kmh`` (analyze and live),
    each checked against the range the profile accepts."""
    p.add_argument(
        "--height-cm", type=profile_flag("height_cm"), default=None,
        help="your height, for cm figures",
    )  # fmt: skip
    p.add_argument(
        "--leg-length-cm", type=profile_flag("leg_length_cm"), default=None,
        help="hip-to-floor leg length",
    )  # fmt: skip
    p.add_argument(
        "--treadmill-kmh", type=profile_flag("treadmill_kmh"), default=None,
        help="belt speed (km/h)",
    )  # fmt: skip


def out_folder_problem(*folders: tuple[Path, str]) -> str | None:
    """Why results cannot be written into one of ``folders`` ((folder, the flag that
    gave it)), in words, or None: said before a clip is analysed rather than after
    (``--out`` of analyze and batch, ``--json``)."""
    from formcheck.cues.words_files import out_folder_unusable
    from formcheck.io import folder_blocker

    for folder, flag in folders:
        blocked = folder_blocker(folder)
        if blocked is not None:
            return out_folder_unusable(str(folder), str(blocked[0]), blocked[1], flag)
    return None


class PoseProgress:
    """A tqdm bar on stderr: frames when the count is believable, else indeterminate."""

    def __init__(self, name: str, quiet: bool) -> None:
        self.name = name
        self.quiet = quiet
        self.bar = None

    def __call__(self, done: int, expected: int | None, t_s: float) -> None:
        if self.quiet:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(
                total=expected,
                desc=f"pose {self.name}",
                unit="frame",
                file=sys.stderr,
                dynamic_ncols=True,
                leave=False,
            )
        self.bar.n = done
        self.bar.set_postfix_str(f"{t_s:.1f} s", refresh=False)
        self.bar.refresh() if done % 10 == 0 else None

    def close(self) -> None:
        if self.bar is not None:
            self.bar.n = self.bar.total or self.bar.n
            self.bar.close()


def confirm_delete(what: str, question: str, out: TextIO) -> int | None:
    """Ask on the terminal before deleting ``what`` (``question`` ends with ``[y/N]``).

    None: the user said yes, go on. Otherwise the command's exit code: 2 when it cannot
    ask (the input is not a terminal: ``--yes`` is needed), 0 when the user said no.
    """
    if not sys.stdin or not sys.stdin.isatty():
        print(f"formcheck: not deleting {what}: cannot ask for confirmation because the "
              "input is not a terminal. Add --yes to delete it.", file=sys.stderr)  # fmt: skip
        return 2
    print(question, end="", file=out, flush=True)
    if sys.stdin.readline().strip().lower() not in ("y", "yes"):
        print("Nothing deleted.", file=out)
        return 0
    return None


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """Ctrl-C and SIGTERM set ``stop`` (a batch in processes ends cleanly: the clips
    running keep their part and come back); a second Ctrl-C interrupts at once."""

    def handler(signum: int, frame: FrameType | None) -> None:
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop.set()

    old = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)
