"""Child processes in tests: killed hard on purpose, and never left running."""

from __future__ import annotations

import contextlib
import signal
import subprocess
from collections.abc import Iterator


def sigkill(proc: subprocess.Popen) -> None:  # type: ignore[type-arg]
    """Kill ``proc`` as a crash would (no cleanup in it) and wait for it."""
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)


@contextlib.contextmanager
def reaped(proc: subprocess.Popen) -> Iterator[subprocess.Popen]:  # type: ignore[type-arg]
    """The block's process, killed and waited for if still alive when it ends."""
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
