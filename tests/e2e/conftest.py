"""End-to-end set-up: the app as `formcheck app` starts it, on loopback, a free port per test.

Each test gets its own server (Streamlit takes 2-2.5 s to exit, so a port is
never reused while an old server is still closing) and its own history
database; the landmark cache is the test session's, shared with the other
tests, so a clip goes through the pose model once per session. Screenshots
go to ``test-artifacts/e2e/`` (gitignored; CI keeps them as artefacts).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from formcheck.cli.app import app_command
from tests.fixtures.clips import IN_CI, REPO
from tests.fixtures.processes import free_port, stop, wait_until_healthy

ARTIFACTS = REPO / "test-artifacts" / "e2e"

#: The webrtc component's iframe (pitfalls.md, measured).
WEBRTC_IFRAME = "iframe[title='streamlit_webrtc.component.webrtc_streamer']"


def non_loopback_ipv4() -> list[str]:
    """This machine's IPv4 addresses other than loopback (Linux).

    WebRTC host candidates use these, not 127.0.0.1: with none, ICE never
    connects and the live pages get no picture (pitfalls.md, measured).
    """
    import fcntl
    import struct

    out = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for _, name in socket.if_nameindex():
            try:
                req = struct.pack("256s", name.encode()[:15])
                addr = socket.inet_ntoa(fcntl.ioctl(s.fileno(), 0x8915, req)[20:24])  # SIOCGIFADDR
            except OSError:
                continue
            if not addr.startswith("127."):
                out.append(addr)
    return out


def require_webrtc_network() -> None:
    """Skip (fail in CI) when WebRTC cannot connect on this machine at all."""
    if non_loopback_ipv4():
        return
    msg = (
        "no non-loopback network interface: WebRTC host candidates cannot be gathered, "
        "so the live pages cannot get a picture on this machine"
    )
    if IN_CI:
        pytest.fail(msg)
    pytest.skip(msg)


@dataclass
class AppServer:
    url: str
    db: Path
    log: Path
    proc: subprocess.Popen[bytes]

    def page_url(self, path: str = "") -> str:
        return f"{self.url}/{path.lstrip('/')}"


@contextlib.contextmanager
def run_app(tmp: Path, db: Path | None = None, extra: tuple[str, ...] = ()) -> Iterator[AppServer]:
    """Start the app on a free loopback port; stop it afterwards."""
    port = free_port()
    db = db or tmp / "history.sqlite3"
    log = tmp / "streamlit.log"
    env = dict(
        os.environ,
        FORMCHECK_DB=str(db),
        STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
        PYTHONUNBUFFERED="1",
    )
    # the command `formcheck app --server.port PORT` runs, from a folder of its own
    # (the packaged .streamlit/config.toml is read as the script's config)
    cmd = app_command(("--server.port", str(port), *extra))
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=tmp, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(proc, url, log)
        yield AppServer(url, db, log, proc)
    finally:
        stop(proc)


@pytest.fixture
def app_server(tmp_path: Path) -> Iterator[AppServer]:
    with run_app(tmp_path) as server:
        yield server


def screenshot(page: object, name: str) -> Path:
    """Save a full-page screenshot as a test artefact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


def make_y4m(clip: Path, out: Path, scale: str) -> Path:
    """A raw .y4m for Chromium's fake camera (plays at the clip's own frame rate, loops)."""
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-i",
            str(clip),
            "-vf",
            f"scale={scale}",
            "-pix_fmt",
            "yuv420p",
            str(out),
        ],
        check=True,
        timeout=120,
    )
    return out


def pick_option(page: object, picker: object, label: str) -> None:
    """Choose ``label`` in a Streamlit select box: typed to filter first, because the
    open list draws only the options in view (the exercise list is longer than that)."""
    picker.click()  # type: ignore[attr-defined]
    page.keyboard.type(label)  # type: ignore[attr-defined]
    page.get_by_role("option", name=label).first.click()  # type: ignore[attr-defined]


def fake_camera_args(y4m: Path) -> tuple[str, ...]:
    return (
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={y4m}",
        "--autoplay-policy=no-user-gesture-required",
    )


def wait_for_streamlit(page: object, timeout_s: float = 60) -> None:
    """Until the script run has finished (no running-status widget)."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout_s * 1000)  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=timeout_s * 1000,
    )


def upload_and_analyse(page: object, server: AppServer, clip: Path, activity: str) -> None:
    """Open Review, upload ``clip``, choose ``activity`` (its label in the picker, e.g.
    "Glute bridge (side view)": the tests are about the page, not auto-detection) and
    press Analyse. Returns at once: each test waits for what it checks."""
    page.goto(server.page_url("review"))  # type: ignore[attr-defined]
    wait_for_streamlit(page)
    page.locator("input[type=file]").set_input_files(str(clip))  # type: ignore[attr-defined]
    analyse = page.get_by_role("button", name="Analyse")  # type: ignore[attr-defined]
    analyse.wait_for(timeout=30_000)
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => [...document.querySelectorAll('button')].some("
        "b => b.innerText.includes('Analyse') && !b.disabled)",
        timeout=60_000,
    )
    page.get_by_test_id("stSelectbox").filter(has_text="Activity").click()  # type: ignore[attr-defined]
    page.get_by_role("option", name=activity).click()  # type: ignore[attr-defined]
    wait_for_streamlit(page)
    analyse.click()
