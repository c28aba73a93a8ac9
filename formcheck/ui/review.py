"""Review page: analyse a clip, scrub it frame by frame with the annotations, download.

The clip is an upload (copied to the data folder at once), a clip analysed
before, or the bundled sample. Analysis shows a progress bar
(:func:`formcheck.analyze`'s progress callback), writes the HTML report,
annotated video and key frames and saves the session to history, all through
:func:`formcheck.pipeline.clip.analyse_clip` (the same use case as the command
line). Scrubbing is :mod:`formcheck.ui.review_frames`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

import formcheck.activities as activities
from formcheck.activities import ACTIVITIES
from formcheck.cues.accuracy import accuracy_label
from formcheck.cues.format import fmt
from formcheck.cues.words import clip_whole, stretch_jump
from formcheck.cues.words_accuracy import ACCURACY_HINT
from formcheck.io import clip_name
from formcheck.pipeline.bundle import report_bundle
from formcheck.report.model import Report
from formcheck.ui import clips, nav, widgets
from formcheck.ui import review_choose as choose
from formcheck.ui.review_frames import go_to_time, scrubber

STATE_KEY = choose.RESULTS_KEY


@dataclass
class ReviewState:
    """The clip being reviewed and everything made from it."""

    clip: Path
    report: Report
    artefacts: dict[str, Path] = field(default_factory=dict)
    session_id: int | None = None
    store_error: str | None = None
    export_error: str | None = None


class _Progress:
    """formcheck.analyze's progress callback drawn as a Streamlit progress bar."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.bar = st.progress(0.0, text=f"Finding the body in each frame of {name} ...")
        self._last = 0.0
        self._spin = 0.0

    def __call__(self, done: int, expected: int | None, t_s: float) -> None:
        now = time.monotonic()
        if now - self._last < 0.25:  # a few updates a second are enough
            return
        self._last = now
        if expected:
            frac = min(done / expected, 1.0)
            text = f"Finding the body: frame {done} of {expected} ({t_s:.1f} s of video)"
        else:  # frame count unknown (streamed WebM): show work without a fake percentage
            self._spin = (self._spin + 0.05) % 1.0
            frac = self._spin
            text = f"Finding the body: {done} frames ({t_s:.1f} s of video)"
        self.bar.progress(frac, text=text)

    def done(self, text: str) -> None:
        self.bar.progress(1.0, text=text)


def analyse(clip: Path, activity: str) -> ReviewState | None:
    """Analyse, export and save one clip, with a progress bar; None on failure (shown)."""
    from formcheck.pipeline.clip import ClipJob, analyse_clip

    settings = widgets.current_settings()
    progress = _Progress(clip_name(clip))
    job = ClipJob(clip, activity, clips.output_dir_for(clip))
    try:
        outcome = analyse_clip(
            job,
            settings,
            progress=progress,
            on_stage=lambda _: progress.done("Drawing the annotated video and the report ..."),
        )
    except Exception as exc:  # shown as a sentence, never a traceback
        progress.done("Analysis stopped.")
        widgets.show_error(exc, f"analysing {clip_name(clip)}")
        return None
    if outcome.report is None:
        progress.done("Analysis stopped.")
        assert outcome.error is not None  # analyse_clip says why whenever there is no report
        widgets.show_error(outcome.error)
        return None
    progress.done("Done.")
    return ReviewState(
        clip,
        outcome.report,
        artefacts=dict(outcome.artefacts),
        session_id=outcome.session_id,
        store_error="; ".join(outcome.store_errors) or None,
        export_error="; ".join(outcome.export_errors) or None,
    )


# -----------------------------------------------------------------------------------------
def headline(report: Report) -> None:
    """The main numbers of a report as big metrics (ids ``fc-m-<name>``)."""
    names = [n for n in activities.headline(report.activity) if n in report.metrics]
    if not names:
        names = list(report.metrics)[:4]
    names = names[:4]
    if not names:
        st.info("No metric could be measured on this clip; see the notes below.")
        return
    cols = st.columns(len(names))
    for col, name in zip(cols, names, strict=True):
        m = report.metrics[name]
        with col:
            widgets.big_number(
                widgets.metric_label(name),
                fmt(m.value, m.unit, "--"),
                m.unit,
                key=f"m-{name}",
                status=m.status,
            )
            acc = accuracy_label(report.activity, name, m, symbol=True)
            if acc:
                st.caption(acc)
    if any(accuracy_label(report.activity, n, report.metrics[n]) for n in names):
        st.caption(ACCURACY_HINT)


def downloads(state: ReviewState) -> None:
    stem = clips.safe_filename(Path(clip_name(state.clip)).stem)
    # Downloads are made on click (deferred) and do not rerun the page: a rerun
    # redraws the review while the file is being prepared, which under load kept
    # the button disabled long enough for a click to be lost.
    cols = st.columns(3)
    html_path = state.artefacts.get("report_html")
    video = state.artefacts.get("annotated_video")
    with cols[0]:
        if html_path and Path(html_path).is_file():
            # the report plays its video only with the video beside it, under the name
            # it links to: both in one zip (unzip, open the report)
            both = bool(video and Path(video).is_file())
            st.download_button(
                "Download the HTML report" + (" (zip, with its video)" if both else ""),
                (lambda: report_bundle(Path(html_path), Path(video), f"{stem}-report"))
                if both
                else (lambda: Path(html_path).read_bytes()),
                file_name=f"{stem}-report.zip" if both else f"{stem}-report.html",
                mime="application/zip" if both else "text/html",
                key="fc_dl_html",
                on_click="ignore",
                icon=":material/description:",
                help="Unzip it and open report.html: it plays the video offline." if both else None,
            )
        else:
            st.caption("HTML report not available.")
    with cols[1]:
        st.download_button(
            "Download the JSON report",
            lambda: state.report.to_json(),
            file_name=f"{stem}-report.json",
            mime="application/json",
            key="fc_dl_json",
            on_click="ignore",
            icon=":material/data_object:",
        )
    with cols[2]:
        if video and Path(video).is_file():
            st.download_button(
                "Download the annotated video",
                lambda: Path(video).read_bytes(),
                file_name=f"{stem}-annotated.mp4",
                mime="video/mp4",
                key="fc_dl_video",
                on_click="ignore",
                icon=":material/movie:",
            )
        else:
            st.caption("Annotated video not available.")


def scroll_to_results(serial: int) -> None:
    """Bring the results into view, once per analysis (they start below the fold)."""
    st.html(
        f'<span id="fc-scroll-{serial}"></span><script>setTimeout(function () {{'
        "const a = document.getElementById('fc-results');"
        "if (a) a.scrollIntoView({behavior: 'smooth', block: 'start'});"
        "}, 300);</script>",
        unsafe_allow_javascript=True,
    )


def results(state: ReviewState, scroll: int | None = None) -> None:
    """The analysed clip's results; ``scroll`` (the analysis' serial) brings them into
    view, once, after "Analyse"."""
    report = state.report
    title = activities.label(report.activity)
    st.markdown('<div id="fc-results"></div>', unsafe_allow_html=True)
    if scroll is not None:
        scroll_to_results(scroll)
    st.subheader(f"{title}: {clip_name(state.clip)}")
    if report.activity_requested == "auto":
        st.caption(
            f"Recognised as {activities.plain_label(report.activity).lower()} "
            f"({report.activity_reason})."
        )
    headline(report)
    if report.source.duration_s:  # live numbers cover the last seconds only
        st.caption(clip_whole(report.source.duration_s))
    if state.session_id is not None:
        st.caption(f"Saved to your history as session {state.session_id}.")
    if state.store_error:
        st.warning(f"Not saved to history: {state.store_error}")
    if state.export_error:
        st.warning(state.export_error)
    for w in report.warnings:
        st.info(w.message, icon=":material/info:")
    flags = [f for f in report.findings if f.status == "flag"]
    if flags:
        with st.expander(f"{len(flags)} thing(s) to work on", expanded=True):
            for f in flags:
                st.markdown(
                    f"**{f.message}** ({widgets.fmt_value(f.value, f.unit)}; target {f.target})"
                )
                # jump targets: the sustained stretches past the flag
                for j, (a, b) in enumerate(f.ranges_s):
                    st.button(
                        stretch_jump(a, b),
                        icon=":material/flag:",
                        key=f"fc_stretch_{f.cue}_{j}",
                        on_click=go_to_time,
                        args=(report, a),
                    )
    if st.button("Open the full summary", key="fc_to_summary", icon=":material/insights:"):
        nav.open_summary(report, state.session_id)
    st.divider()
    st.markdown("#### Frame by frame")
    scrubber(state.clip, report)
    video = state.artefacts.get("annotated_video")
    if video and Path(video).is_file():
        st.markdown("#### Annotated video")
        h, w = report.source.height or 1, report.source.width or 1
        if h > w:  # portrait phone clip: not the page's full width
            st.columns([2, 3])[0].video(str(video))
        else:
            st.video(str(video))
    st.markdown("#### Downloads")
    downloads(state)


# -----------------------------------------------------------------------------------------
def page() -> None:
    widgets.inject_css()
    st.title("Review a clip")
    st.caption(
        "Film side-on at hip height with the whole body in frame and the camera still "
        "(front-on for a side plank). The clip stays on this computer."
    )
    clip = choose.choose_clip()
    c1, c2 = st.columns([2, 1])
    with c1:
        activity = st.selectbox(
            "Activity",
            ("auto", *(a for a in ACTIVITIES if a != "auto")),
            format_func=choose.activity_label,
            key="fc_review_activity",
        )
    with c2:
        st.write("")
        go = st.button(
            "Analyse",
            type="primary",
            disabled=clip is None,
            key="fc_analyse",
            icon=":material/play_arrow:",
            width="stretch",
        )
    go = st.session_state.pop("fc_analyse_now", False) or go  # the start page's sample
    scroll = None
    if go and clip is not None:
        st.session_state.pop("fc_frame", None)
        state = analyse(clip, activity)
        if state is None:  # the failure is shown; an earlier clip's results would mislead
            st.session_state.pop(STATE_KEY, None)
        else:
            st.session_state[STATE_KEY] = state
            scroll = st.session_state["fc_review_serial"] = (
                st.session_state.get("fc_review_serial", 0) + 1
            )
            st.session_state["fc_summary"] = {
                "report": state.report,
                "session_id": state.session_id,
            }
    state = st.session_state.get(STATE_KEY)
    if state is not None:
        st.divider()
        results(state, scroll)
    widgets.footer()
