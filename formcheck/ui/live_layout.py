"""The live pages' layout for a laptop beside a treadmill and a phone on the floor.

At 1366x768 the picture, START/STOP, the rep counter or the three running
numbers and the cue must all be on screen without scrolling (a runner on a
treadmill cannot scroll), and at 390x844 the counter with the picture (issue 20,
item 9): less space above the title, the picture kept short enough, and on a
phone the running numbers in one row.
"""

from __future__ import annotations

import json

import streamlit as st

from formcheck.ui import livecam, widgets

#: Seconds between the live pages' panel reruns while the camera plays (the live page
#: and the guided routine page).
PANEL_EVERY_S = 0.5

#: The live pages' layout: less space above the title; on a phone (Streamlit stacks
#: columns below 640 px) the three running numbers in one row, in smaller type.
LIVE_CSS = """
<style>
[data-testid="stMainBlockContainer"] {padding-top: 2.5rem !important;}
[data-testid="stMainBlockContainer"] h1 {padding: 0.2rem 0 0.4rem 0 !important;
                                         font-size: 2rem !important;}
.stElementContainer:has(#fc-camera-error:empty), .stElementContainer:has(#fc-fit-picture) {
  display: none !important;}
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] {padding-top: 3.2rem !important;}
  [data-testid="stMainBlockContainer"] h1 {font-size: 1.5rem !important;}
  .st-key-fc_run_numbers {flex-direction: row !important; gap: 0.6rem !important;}
  .st-key-fc_run_numbers > div {flex: 1 1 0 !important; min-width: 0 !important;}
  .st-key-fc_run_numbers div.fc-big {font-size: 2.1rem !important;}
  .st-key-fc_run_numbers .stElementContainer:has([data-testid="stCaptionContainer"]),
  .st-key-fc_run_numbers span.fc-big-unit-said {display: none !important;}
  .st-key-fc_run_numbers span.fc-status, .st-key-fc_run_numbers span.fc-held-note {
    display: block; margin-left: 0 !important; font-size: 0.85rem !important;}
  div.fc-big {font-size: 3rem !important;}
}
</style>
"""


def compact() -> None:
    """The live page's CSS (:data:`LIVE_CSS`)."""
    st.html(LIVE_CSS)


#: Pixels kept free under the picture for START/STOP (and on a phone, where the
#: numbers come under the picture, for them too).
ROOM_UNDER_PICTURE_PX = 70
ROOM_UNDER_PICTURE_PHONE_PX = 200


#: Run inside the camera component's frame: tell Streamlit the frame's new height
#: whenever its content changes size (the component itself says it only when it is
#: redrawn, so a picture made shorter would leave a blank gap under START).
FOLLOW_HEIGHT_JS = (
    "new ResizeObserver(function () { window.parent.postMessage({isStreamlitMessage: true,"
    " type: 'streamlit:setFrameHeight', height: document.body.scrollHeight}, '*');"
    "}).observe(document.body);"
)


def fit_picture() -> None:
    """Keep the camera picture short enough for START/STOP (and, on a phone, the
    numbers) to stay on screen without scrolling: a portrait camera at the column's
    full width would be taller than a laptop screen (issue 20, item 9).

    The component's iframe is served by this same server, so a small script in the
    page sets its video's ``max-height`` from the window's height and the picture's
    place on the page (the component then resizes its frame to fit).
    """
    st.html(
        '<span id="fc-fit-picture"></span><script>(function(){'
        "if (window.__fcFitPic) { return; }"
        "window.__fcFitPic = setInterval(function(){"
        "  const narrow = window.innerWidth <= 640;"
        f"  const room = narrow ? {ROOM_UNDER_PICTURE_PHONE_PX} : {ROOM_UNDER_PICTURE_PX};"
        "  for (const f of document.querySelectorAll("
        "      'iframe[title=\"streamlit_webrtc.component.webrtc_streamer\"]')) {"
        "    let v = null; try { v = f.contentDocument.querySelector('video'); }"
        "    catch (e) { continue; }"
        "    if (!v) continue;"
        "    let top = f.getBoundingClientRect().top;"  # where it is on the page, unscrolled
        "    for (let el = f.parentElement; el; el = el.parentElement) top += el.scrollTop;"
        "    top += v.getBoundingClientRect().top;"
        "    const h = Math.max(160, Math.round(window.innerHeight - top - room)) + 'px';"
        "    if (v.style.maxHeight !== h) v.style.maxHeight = h;"
        "    const w = f.contentWindow;"  # the frame follows its content's height
        "    if (w && !w.__fcFit) {"
        "      w.__fcFit = true;"
        "      const s = f.contentDocument.createElement('script');"
        f"      s.textContent = {json.dumps(FOLLOW_HEIGHT_JS)};"
        "      f.contentDocument.head.appendChild(s);"
        "    }"
        "  }"
        "}, 500);"
        "})();</script>",
        unsafe_allow_javascript=True,
    )


def camera(key: str, ctl: livecam.LiveController, local_camera: int | None = None) -> bool:
    """The live pages' camera picture (drawn where the caller is: its column): the webrtc
    component wired to ``ctl``, its error watcher, the picture kept short enough;
    whether the camera plays (or is starting)."""
    ctx = None
    with widgets.shown_errors("starting the camera"):
        ctx = livecam.live_streamer(key, ctl, local_camera=local_camera)
    livecam.camera_error_watcher()
    fit_picture()
    return bool(ctx is not None and (ctx.state.playing or ctx.state.signalling))
