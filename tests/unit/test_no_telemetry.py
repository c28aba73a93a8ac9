"""Nothing leaves the machine while formcheck runs the pose model.

MediaPipe 1.2.2's native library looks up play.googleapis.com for usage logging
(google-ai-edge/mediapipe#6291). formcheck points that client at a closed local
port (formcheck.pose.estimator.block_native_telemetry). This test traces the
system calls of a real pose run and fails if any DNS query names Google's logging
host or any connection goes to an address off this machine.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import time
    import numpy as np
    from formcheck.pose.estimator import PoseEstimator
    with PoseEstimator() as est:
        img = np.zeros((256, 256, 3), np.uint8)
        for i in range(30):
            est.process(img, i / 30)
        time.sleep({wait})   # MediaPipe's uploader runs a few seconds after start
    """
)


def _trace(tmp_path: Path, wait: float) -> str:
    strace = shutil.which("strace")
    if strace is None:
        pytest.skip("strace not installed (scripts/install.sh --test installs it)")
    out = tmp_path / "trace.txt"
    subprocess.run(
        [
            strace,
            "-f",
            "-qq",
            "-e",
            "trace=network",
            "-s",
            "128",
            "-o",
            str(out),
            sys.executable,
            "-c",
            SCRIPT.format(wait=wait),
        ],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out.read_text(errors="replace")


def _external_connects(trace: str) -> list[str]:
    """connect() calls to IPv4/IPv6 addresses other than loopback and DNS."""
    bad = []
    for line in trace.splitlines():
        if "connect(" not in line:
            continue
        m = re.search(r'inet_addr\("([\d.]+)"\)|inet_pton\(AF_INET6, "([^"]+)"', line)
        if not m:
            continue
        addr = m.group(1) or m.group(2)
        if addr.startswith("127.") or addr == "::1" or "htons(53)" in line:
            continue
        bad.append(line)
    return bad


@pytest.mark.slow
def test_pose_run_sends_nothing_off_the_machine(tmp_path: Path) -> None:
    trace = _trace(tmp_path, wait=8.0)
    assert "googleapis" not in trace, "MediaPipe resolved Google's logging host"
    assert _external_connects(trace) == []
    # the blocked client did try, and only reached the closed local port
    assert "htons(9)" in trace
