"""Review page, first step: which clip (an upload, one analysed before, the sample).

Widgets only; the upload is stored by :func:`formcheck.ui.clips.store_upload` inside
the data folder.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import streamlit as st

import formcheck.activities as activities
from formcheck.cues.format import local_time
from formcheck.errors import FormcheckError
from formcheck.io import clip_name
from formcheck.ui import clips, widgets
from formcheck.ui.data import list_sessions

#: Where the review page keeps the results it shows (:class:`formcheck.ui.review.ReviewState`).
RESULTS_KEY = "fc_review"
SOURCES = ("Upload a clip", "A clip analysed before", "The bundled sample")


def activity_label(a: str) -> str:
    return "Recognise it for me (auto)" if a == "auto" else activities.label(a)


# -----------------------------------------------------------------------------------------
def choose_clip() -> Path | None:
    src = st.radio("Clip", SOURCES, horizontal=True, key="fc_review_source")
    if src == SOURCES[0]:
        return _upload()
    if src == SOURCES[1]:
        return _choose_previous()
    if not clips.SAMPLE_CLIP.is_file():
        st.warning("The bundled sample is missing from this installation.")
        return None
    st.caption(
        "A treadmill run filmed side-on (12 s, published with the runner's consent, "
        "MIT licence). Known cadence: 168.9 steps/min."
    )
    return clips.SAMPLE_CLIP


def _upload() -> Path | None:
    """The uploader; a good upload is copied to disk and the uploader emptied.

    Streamlit keeps an uploaded file in server memory while the uploader holds it
    (streamlit/streamlit#12607), so once the copy is on disk the uploader is
    replaced by a fresh one (new key) and the clip is named under it instead.

    The uploader is given no ``type`` list: with one, Streamlit checks each name
    before the page runs and answers a NUL byte in it (or a type not listed) with
    its own error page. :func:`clips.store_upload` takes any name safely and
    says itself what it cannot use.
    """
    limit_mb = int(st.get_option("server.maxUploadSize"))
    n = int(st.session_state.get("fc_upload_n", 0))
    up = st.file_uploader(
        f"Upload a clip (up to {limit_mb} MB: MP4, MOV, WebM, MKV, AVI; JPEG/PNG for a hold)",
        key=f"fc_upload_{n}",
        help="The clip is copied into formcheck's data folder on this computer "
        "and analysed here; it is never sent anywhere.",
    )
    if up is not None:
        try:
            path = clips.store_upload(up, up.name, limit_mb * (1 << 20))
        except (FormcheckError, OSError) as exc:
            widgets.show_error(exc, "saving the upload")
            st.session_state.pop(RESULTS_KEY, None)  # an earlier clip's results would mislead
            return None
        st.session_state["fc_upload_path"] = str(path)
        st.session_state["fc_upload_n"] = n + 1
        st.rerun()
    current = st.session_state.get("fc_upload_path")
    if current and Path(current).is_file():
        st.caption(
            f"Clip: **{clip_name(Path(current))}** (copied into formcheck's "
            "data folder on this computer)."
        )
        return Path(current)
    return None


def _choose_previous() -> Path | None:
    options: dict[str, Path] = {}
    with widgets.shown_errors("reading the history"):
        for s in list_sessions():
            p = Path(s.source_path) if s.source_path else None
            if p is None or not p.is_file():
                continue
            label = f"{clip_name(p)} ({activities.plain_label(s.activity)}, {local_time(s.when)})"
            options.setdefault(label, p)
    upl = clips.uploads_dir()
    if upl.is_dir():
        for p in sorted(upl.rglob("*"), key=lambda f: f.stat().st_mtime, reverse=True):
            if p.is_file() and p not in options.values():
                when = local_time(datetime.fromtimestamp(p.stat().st_mtime))
                options.setdefault(f"{clip_name(p)} (uploaded {when})", p)
    if not options:
        st.info("No clip analysed before is still on this computer. Upload one instead.")
        return None
    label = st.selectbox("Clip analysed before", list(options), key="fc_review_previous")
    return options[label] if label else None


# -----------------------------------------------------------------------------------------
