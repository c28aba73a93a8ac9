"""Widgets shared by the pages: errors as sentences, big numbers, profile, footer.

Widgets only: numbers come from reports and live snapshots, never computed or
judged here (statuses come with the numbers, :mod:`formcheck.cues.judge`; numbers
are formatted by :mod:`formcheck.cues.format`; words are in :mod:`formcheck.cues.words`).
"""

from __future__ import annotations

import contextlib
import html
import logging
from collections.abc import Iterator

import streamlit as st

import formcheck.activities as activities
from formcheck import profile as profile_store
from formcheck.cues import format as numfmt
from formcheck.cues import words
from formcheck.cues.format import local_time
from formcheck.cues.words import METRIC_STATUS_WORDS, NOT_MEDICAL_ADVICE_SHORT, PRIVACY_NOTE
from formcheck.errors import FormcheckError
from formcheck.io import clip_name
from formcheck.pipeline.live_state import LiveSnapshot
from formcheck.results import MetricStatus
from formcheck.settings import Profile, Settings
from formcheck.store.records import SessionSummary

LOG = logging.getLogger("formcheck.ui")

#: Readable names for metric keys (unit comes from the report).
METRIC_LABELS: dict[str, str] = {
    "cadence_spm": "Cadence",
    "step_time_ms": "Step time",
    "trunk_lean_deg": "Trunk lean",
    "head_forward_deg": "Head forward",
    "waist_bend_deg": "Waist bend",
    "overstride_leg_lengths": "Overstride",
    "shin_angle_at_contact_deg": "Shin angle at contact",
    "knee_flexion_at_contact_deg": "Knee bend at contact",
    "vertical_oscillation_leg_lengths": "Bounce",
    "vertical_oscillation_cm": "Bounce",
    "vertical_ratio_pct": "Vertical ratio",
    "contact_time_ms": "Contact time",
    "duty_factor": "Duty factor",
    "reps": "Reps",
    "hold_s": "Hold (time in position)",
    "good_form_s": "In good form",
    "longest_hold_s": "Longest hold",
    "longest_good_form_s": "Longest in good form",
    "good_frac": "Share in good form",
    "hips_sagging_frac": "Share with hips sagging",
    "hips_piked_frac": "Share with hips piked",
    "line_not_judged_frac": "Share with the line not judged",
    "top_deg": "Top angle",
    "bottom_deg": "Bottom angle",
    "pause_s": "Pause at the top",
    "hip_line_deg": "Hip line",
}

CSS = """
<style>
div.fc-big {font-size: 4.2rem !important; font-weight: 700; line-height: 1.05 !important;
            margin: 0 0 0.3rem 0;}
div.fc-big-label {font-size: 1.0rem !important; color: #555; margin: 0;}
span.fc-big-unit {font-size: 1.4rem !important; font-weight: 500; color: #444;}
.fc-ok, .fc-good {color: #1b7f3b !important;} .fc-watch {color: #9a5b00 !important;}
.fc-flag, .fc-work_on {color: #b3261e !important;}
span.fc-status {font-size: 1.0rem !important; font-weight: 600; margin-left: 0.5rem;}
.fc-cue {font-size: 2.0rem !important; font-weight: 600; background: #b3261e; color: white;
         padding: 0.3rem 0.8rem; border-radius: 0.4rem; display: inline-block;}
.fc-cue-idle {font-size: 1.2rem !important; color: #777;}
div.fc-big.fc-held {color: #9aa0a6 !important;}
span.fc-held-note {font-size: 0.9rem !important; color: #777; margin-left: 0.5rem;}
.fc-cue.fc-cue-said {background: #44546a;}
div.fc-footer {font-size: 0.8rem !important; color: #666; margin-top: 2rem;
               border-top: 1px solid #ddd; padding-top: 0.5rem;}
</style>
"""


def inject_css() -> None:
    st.html(CSS)


def session_label(s: SessionSummary) -> str:
    """A stored session as the pickers show it: ``"#3 · 2026-12-07 08:15 · Running ·
    run.mp4"`` (local time, the activity's name, the clip's own name)."""
    src = s.source_path
    return " · ".join(
        (
            f"#{s.id}",
            local_time(s.when),
            activities.label(s.activity),
            clip_name(src) if src else "live session",
        )
    )


def metric_label(name: str) -> str:
    return METRIC_LABELS.get(name, name.replace("_", " ").capitalize())


def fmt_value(value: float | None, unit: str = "") -> str:
    """A value for display, as everywhere else: '168.9 steps/min'; '--' when missing."""
    return numfmt.fmt_value(value, unit, missing="--")


def status_badge(status: MetricStatus | None) -> str:
    """HTML: the status word in its colour (``""`` for no status)."""
    if status is None:
        return ""
    word = html.escape(METRIC_STATUS_WORDS[status])
    return f'<span class="fc-status fc-{status}" data-status="{status}">{word}</span>'


def big_number(
    label: str,
    value: str,
    unit: str = "",
    key: str = "",
    status: MetricStatus | None = None,
    held: str | None = None,
) -> None:
    """A number readable from a treadmill: label above, value in 4 rem type.

    ``key`` becomes the element id ``fc-<key>`` (tests and screen readers find it).
    status : the status the analysis gave the number (coloured, and said in a word
        beside the label so it does not rest on colour alone), or None.
    held : a number kept from before (the latest measurement could not give one): it is
        greyed, without a status, and ``held`` says so beside the label.
    """
    cls = "fc-held" if held else f"fc-{status}" if status else ""
    note = f'<span class="fc-held-note">{html.escape(held)}</span>' if held else ""
    ident = f' id="fc-{html.escape(key)}"' if key else ""
    st.markdown(
        f'<div class="fc-big-label">{html.escape(label)}'
        f'<span class="fc-big-unit-said">'
        f"{' · ' + html.escape(unit) if unit and unit != label.lower() else ''}</span>"
        f"{note or status_badge(status)}</div>"
        f'<div class="fc-big {cls}"><span{ident}>{html.escape(value)}</span></div>',
        unsafe_allow_html=True,
    )


def live_stats(snap: LiveSnapshot, rate: bool = False) -> None:
    """The live pages' stats caption (``#fc-live-stats``; :func:`words.live_stats`)."""
    text = words.live_stats(snap.t_s, snap.frames, snap.frames_with_pose, snap.fps,
                            snap.proc_ms, rate)  # fmt: skip
    st.caption(f'<span id="fc-live-stats">{html.escape(text)}</span>', unsafe_allow_html=True)


def status_line(text: str, status: MetricStatus | None) -> None:
    """A short line (a live form label) in its status colour."""
    st.markdown(
        f'<p class="fc-{status or "none"}" style="font-size:1.6rem">{html.escape(text)}</p>',
        unsafe_allow_html=True,
    )


def show_error(exc: BaseException, doing: str = "") -> None:
    """An error as a sentence and a next step, never a traceback."""
    if isinstance(exc, FormcheckError):
        st.error(exc.message, icon=":material/error:")
        if exc.hint:
            st.info(f"Next step: {exc.hint}", icon=":material/lightbulb:")
        return
    LOG.warning("unexpected error while %s", doing or "working", exc_info=exc)
    what = f" while {doing}" if doing else ""
    detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
    st.error(f"Something went wrong{what}: {detail.rstrip('.')}.", icon=":material/error:")
    st.info(
        "Next step: try again; if it keeps happening, run the same clip with "
        "`formcheck analyze` in a terminal, which prints more detail.",
        icon=":material/lightbulb:",
    )


@contextlib.contextmanager
def shown_errors(doing: str = "") -> Iterator[None]:
    """Show any exception raised inside as a sentence and a next step."""
    # Streamlit's rerun/stop signals are BaseExceptions and pass through.
    try:
        yield
    except Exception as exc:  # every failure is shown in words
        show_error(exc, doing)


def current_profile() -> Profile:
    if "fc_profile" not in st.session_state:
        st.session_state["fc_profile"] = profile_store.load_profile()
    return st.session_state["fc_profile"]  # type: ignore[no-any-return]


def current_settings() -> Settings:
    """Settings with the runner's profile (used by every analysis in the app)."""
    return profile_store.settings_with_profile(current_profile())


def profile_sidebar() -> None:
    """The runner profile in the sidebar: height, leg length, treadmill speed."""
    prof = current_profile()
    with st.sidebar.expander("Runner profile", icon=":material/person:"):
        st.caption(
            "Optional. Height turns leg-length figures into cm; treadmill speed "
            "gives stride length and vertical ratio. Kept on this computer."
        )
        with st.form("fc_profile_form", border=False):
            # Empty (not 0.00) when not given; whole centimetres, km/h to 0.1.
            h = st.number_input(
                "Height (cm)",
                50.0,
                230.0,
                prof.height_cm,
                1.0,
                format="%.0f",
                placeholder="not set",
                key="fc_height",
            )
            leg = st.number_input(
                "Leg length, hip to floor (cm)",
                30.0,
                130.0,
                prof.leg_length_cm,
                1.0,
                format="%.0f",
                placeholder="estimated from your height",
                key="fc_leg",
                help="Leave it empty to estimate it from your height.",
            )
            kmh = st.number_input(
                "Treadmill speed (km/h)",
                1.0,
                30.0,
                prof.treadmill_kmh,
                0.1,
                format="%.1f",
                placeholder="not set",
                key="fc_kmh",
            )
            if st.form_submit_button("Save profile"):
                new = Profile(
                    height_cm=h or None,
                    leg_length_cm=leg or None,
                    treadmill_kmh=kmh or None,
                    capture_fps=prof.capture_fps,
                )
                try:
                    profile_store.save_profile(new)
                except (ValueError, OSError) as exc:
                    st.error(f"Profile not saved: {exc}.")
                else:
                    st.session_state["fc_profile"] = new
                    st.success("Profile saved.")


def footer() -> None:
    st.markdown(
        f'<div class="fc-footer">{html.escape(PRIVACY_NOTE)} '
        f"{html.escape(NOT_MEDICAL_ADVICE_SHORT)}</div>",
        unsafe_allow_html=True,
    )
