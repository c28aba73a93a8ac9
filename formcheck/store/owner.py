"""Who owns a ``running`` session: ``host:pid:start`` of the process analysing it,
and whether that process may still be at work (else the session was orphaned by
a crash and is marked partial on the next open)."""

from __future__ import annotations

import math
import os
import socket
from datetime import UTC, datetime

#: A running session owned by a process on *another* host (a shared folder)
#: cannot be checked for liveness; it counts as stale after this long without
#: progress. Same on systems where process liveness cannot be checked.
STALE_UNCHECKABLE_S = 12 * 3600


def _proc_info(pid: int) -> tuple[str, str] | None:
    """(state, start time in clock ticks) of a process from /proc, or None without /proc."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        return ("gone", "") if os.path.isdir("/proc/self") else None
    except OSError:
        return None
    rest = data[data.rindex(b")") + 2 :].split()
    return rest[0].decode(), rest[19].decode()


def owner_token() -> str:
    """``host:pid:start`` of this process (start from /proc when available)."""
    info = _proc_info(os.getpid())
    start = info[1] if info else ""
    return f"{socket.gethostname()}:{os.getpid()}:{start}"


def _age_s(iso: str | None) -> float:
    if not iso:
        return math.inf
    try:
        return (datetime.now(UTC) - datetime.fromisoformat(iso)).total_seconds()
    except ValueError:
        return math.inf


def owner_alive(token: str | None, updated_at: str | None) -> bool:
    """Whether the process that owns a running session may still be working on it."""
    if not token:
        return False
    try:
        host, pid_s, start = token.rsplit(":", 2)
        pid = int(pid_s)
    except ValueError:
        return False
    if host != socket.gethostname():
        return _age_s(updated_at) < STALE_UNCHECKABLE_S
    info = _proc_info(pid)
    if info is not None:
        state, started = info
        if state in ("gone", "Z", "X"):
            return False
        return not start or started == start  # a different start: the pid was reused
    if os.name == "nt":  # os.kill(pid, 0) would send CTRL_C_EVENT on Windows
        return _age_s(updated_at) < STALE_UNCHECKABLE_S
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
