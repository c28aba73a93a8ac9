"""Which frames of a report deserve a picture: :func:`choose_keyframes`.

Key frames: the key frame of each flagged finding, the worst and a typical
overstriding contact, each rep's top, the worst moment of a hold; an overview
frame when the clip has none of these. Pure selection from the report; the
export pass (:mod:`formcheck.pipeline.export`) draws and writes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

import formcheck.activities as activities
from formcheck.cues.format import fmt_shown, fmt_value
from formcheck.cues.judge import form_status
from formcheck.render.angles import pretty_name
from formcheck.report import review
from formcheck.report.model import Report

#: At most this many rep-top key frames (a 15-rep set has 15).
MAX_REP_KEYFRAMES = 20


@dataclass(frozen=True, slots=True)
class KeyFrame:
    """A frame worth a picture.

    name : file-safe id (``"overstride_worst"``, ``"rep3_top"``, ``"finding_cadence"``).
    index : series index. kind : ``"finding"``, ``"contact"``, ``"rep"``, ``"hold"``
    or ``"overview"``. cue : the finding's cue it illustrates, if any.
    jpeg : the annotated frame as JPEG (the annotated video's size), once rendered.
    embed_jpeg : a smaller copy for the HTML. path : where it was written.
    """

    name: str
    index: int
    t_s: float
    caption: str
    kind: str
    cue: str | None = None
    jpeg: bytes | None = None
    embed_jpeg: bytes | None = None
    path: Path | None = None

    @property
    def filename(self) -> str:
        return f"{self.name}_t{self.t_s:06.2f}s.jpg"


# ---------------------------------------------------------------------------------------
def _row_frame(report: Report, cols: list[str], row: tuple[object, ...], n: int) -> int | None:
    """The series frame a table row was measured on: its frame column, else its time."""
    for name in ("frame", "contact_frame", "top_frame"):
        if name in cols:
            f = row[cols.index(name)]
            if isinstance(f, (int, float)) and 0 <= int(f) < n:
                return int(f)
    for name in ("t_s", "time_s", "t_start_s", "start_s"):
        if name in cols:
            t = row[cols.index(name)]
            if isinstance(t, (int, float)) and np.isfinite(t):
                return review.index_at_time(report, float(t))
    return None


def _column_values(report: Report, names: tuple[str, ...]) -> list[tuple[int, float, str | None]]:
    """(frame, value, side) per row of the first table with one of the columns ``names``."""
    n = review.n_frames(report)
    for table in report.tables.values():
        cols = [c.lower() for c in table.columns]
        vcol = next((cols.index(c) for c in names if c in cols), None)
        if vcol is None:
            continue
        scol = cols.index("side") if "side" in cols else None
        out = []
        for row in table.rows:
            v = row[vcol]
            fr = _row_frame(report, cols, row, n)
            if fr is None or not isinstance(v, (int, float)) or not np.isfinite(v):
                continue
            side = row[scol] if scol is not None else None
            out.append((fr, float(v), side if isinstance(side, str) else None))
        if out:
            return out
    return []


def _metric_columns(metric: str) -> tuple[str, ...]:
    """Table columns that hold a summary metric's per-step values, most likely first."""
    m = metric.lower()
    return tuple(dict.fromkeys((m, m.replace("_at_contact", ""), m.replace("strike_", ""))))


def _hold_angle_name(report: Report) -> str | None:
    """The per-frame angle that describes hold form (body line), if any."""
    for f in report.frames:
        for name in f.angles:
            low = name.lower()
            if any(k in low for k in ("line", "dev", "shoulder_hip_ankle", "sag")):
                return name
    return None


def choose_keyframes(report: Report) -> list[KeyFrame]:
    """The frames the report shows as pictures, in time order, without duplicates."""
    n = review.n_frames(report)
    if n == 0:
        return []

    def t(i: int) -> float:
        return review.frame_time(report, i)

    picks: list[KeyFrame] = []
    for f in report.findings:
        if f.status == "flag" and f.frame is not None and 0 <= f.frame < n:
            val = "" if f.value is None else f" ({fmt_value(f.value, f.unit)})"
            picks.append(
                KeyFrame(
                    f"finding_{safe_name(f.cue)}",
                    f.frame,
                    t(f.frame),
                    f"{f.message}{val}",
                    "finding",
                    f.cue,
                )
            )
    contacts = _column_values(report, ("overstride_leg_lengths", "overstride"))
    if contacts:
        vals = np.array([v for _, v, _ in contacts])
        worst = contacts[int(np.argmax(vals))]
        typical = contacts[int(np.argmin(np.abs(vals - np.median(vals))))]
        for label, (fr, v, side) in (("worst", worst), ("typical", typical)):
            who = f"{side} foot" if side else "foot"
            picks.append(
                KeyFrame(
                    f"overstride_{label}",
                    fr,
                    t(fr),
                    f"{label.capitalize()} overstride: {who} lands "
                    f"{fmt_value(v, 'leg lengths')} ahead of the hip",
                    "contact",
                    "overstride",
                )
            )
    elif frames := review.contact_frames(report):
        mid = frames[len(frames) // 2]
        picks.append(KeyFrame("contact_typical", mid, t(mid), "A typical foot contact", "contact"))
    # a flagged finding without its own frame: the step (or rep) nearest its value
    shown = {k.cue for k in picks if k.cue}
    for f in report.findings:
        if f.status != "flag" or f.cue in shown or f.metric is None or f.value is None:
            continue
        rows = _column_values(report, _metric_columns(f.metric))
        if not rows:
            continue
        fr, v, side = min(rows, key=lambda r: abs(r[1] - f.value))  # type: ignore[operator]
        label, unit = pretty_name(f.metric)
        who = f" ({side} foot)" if side else ""
        picks.append(
            KeyFrame(
                f"finding_{safe_name(f.cue)}",
                fr,
                t(fr),
                f"A typical moment{who}: {label.lower()} {fmt_shown(v, unit)}",
                "finding",
                f.cue,
            )
        )
        shown.add(f.cue)
    reps = [e for e in sorted(report.events, key=lambda e: e.t_s) if e.kind == "rep_top"]
    for k, e in enumerate(reps[:MAX_REP_KEYFRAMES], start=1):
        if 0 <= e.frame < n:
            cap = f"Rep {k} at the top" + (
                f": {fmt_shown(e.value, '°')}" if e.value is not None else ""
            )
            picks.append(KeyFrame(f"rep{k}_top", e.frame, t(e.frame), cap, "rep"))
    hold = _hold_keyframe(report, n)
    if hold is not None:
        picks.append(replace(hold, t_s=t(hold.index)))
    if not picks:
        present = (
            np.flatnonzero(report.series.present) if report.series is not None else np.arange(n)
        )
        mid = int(present[len(present) // 2]) if present.size else n // 2
        picks.append(
            KeyFrame("overview", mid, t(mid), "A frame from the middle of the clip", "overview")
        )
    seen: set[str] = set()
    out = []
    for k in sorted(picks, key=lambda k: (k.t_s, k.name)):
        if k.name not in seen:
            seen.add(k.name)
            out.append(k)
    return out


def _hold_keyframe(report: Report, n: int) -> KeyFrame | None:
    """The worst moment of a hold: the largest body-line deviation while holding."""
    if not activities.is_hold(report.activity):
        return None
    name = _hold_angle_name(report)
    if name is None:
        return None
    rows = [
        (f.frame, f.angles[name], f.form, f.phase)
        for f in report.frames
        if name in f.angles
        and f.angles[name] is not None
        and np.isfinite(f.angles[name])
        and 0 <= f.frame < n
    ]
    holding = [r for r in rows if r[3] in ("hold", "break")]
    rows = holding or rows  # moments in the hold (holding or broken), when phases say so
    if not rows:
        return None
    vals = np.array([r[1] for r in rows], float)
    # a joint angle (straight = 180) or a signed deviation (straight = 0)
    off = np.abs(180.0 - vals) if np.median(vals) > 90 else np.abs(vals)
    frame, v, form, _ = rows[int(np.argmax(off))]
    good = form_status(form) != "work_on"
    what = "Worst moment of the hold" if not good else "The hold at its least straight"
    label, unit = pretty_name(name)
    return KeyFrame(
        "hold_worst", frame, 0.0, f"{what}: {label.lower()} {fmt_shown(v, unit)}", "hold", "hold"
    )


_SAFE = re.compile(r"[^a-z0-9_]+")


def safe_name(s: str) -> str:
    """A file-safe lowercase id."""
    return _SAFE.sub("_", s.lower()).strip("_") or "x"
