"""Headless Debian Chromium driven by Playwright, offline, with every request recorded.

Playwright never downloads a browser here: it drives ``/usr/bin/chromium``
(installed by ``scripts/install.sh --test``) through ``executable_path``.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

#: Flags that keep Chromium from calling out (shared/docs/pitfalls.md, measured here).
OFFLINE_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
)

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


@dataclass
class RequestLog:
    """URLs the page asked for; ``external`` lists those not on loopback/file/data."""

    urls: list[str] = field(default_factory=list)

    @property
    def external(self) -> list[str]:
        out = []
        for u in self.urls:
            p = urlparse(u)
            if p.scheme in ("file", "data", "blob", "about", "chrome", "devtools"):
                continue
            if p.hostname in LOCAL_HOSTS:
                continue
            out.append(u)
        return out


@contextlib.contextmanager
def chromium_page(
    extra_args: tuple[str, ...] = (),
    viewport: tuple[int, int] = (1280, 900),
    init_script: str | None = None,
) -> Iterator[tuple[object, RequestLog]]:
    """A fresh headless Chromium page and the log of every request it makes.

    init_script : JavaScript run in every frame (the page and its iframes, such as
        the camera component's) before the frame's own scripts.
    """
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed (scripts/install.sh --test installs it)")
    from playwright.sync_api import sync_playwright

    log = RequestLog()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=[*OFFLINE_FLAGS, *extra_args]
        )
        try:
            context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
            if init_script is not None:
                context.add_init_script(init_script)
            page = context.new_page()
            page.on("request", lambda req: log.urls.append(req.url))
            yield page, log
        finally:
            browser.close()
