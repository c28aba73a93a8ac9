"""What :mod:`formcheck.render` draws on a frame of a reviewed clip: the skeleton's
landmarks, the angles that matter as arcs, event markers, the hip path, the cue,
and the clip's timeline strip, from :mod:`formcheck.report.review`'s facts.

Pure functions over the report (no video, no drawing).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

import formcheck.activities as activities
from formcheck.pose.landmarks import Landmark
from formcheck.render.angles import arc_spec, side_in_name
from formcheck.render.overlay import Mark, OverlayData, Timeline, foot_xy, landmark_xy
from formcheck.report.model import Report
from formcheck.report.review import _check, _index, cue_at, events_near
from formcheck.results import Event

#: Length of the hip path drawn behind the current frame (seconds): about one
#: and a half strides at 170 steps/min, or the rise of a bridge.
HIP_PATH_S = 1.5
#: How long an event marker stays on screen after its event (seconds).
MARK_SHOW_S = 0.2


def timeline(report: Report) -> Timeline | None:
    """The clip as a strip for the overlay: events, flagged-form ranges and the
    sustained stretches flagged findings name."""
    tl = _index(report).timeline
    more = tuple(r for f in report.findings if f.status == "flag" for r in f.ranges_s)
    return replace(tl, flags_s=tuple(sorted(tl.flags_s + more))) if tl and more else tl


def _xyzv(report: Report, i: int) -> np.ndarray | None:
    if report.series is None or not 0 <= i < report.series.n_frames:
        return None
    row = report.series.xyzv[i]
    return row if np.isfinite(row[:, :2]).any() else None


def _mark(report: Report, e: Event, dt_s: float, rep_no: dict[int, int]) -> Mark:
    xyzv = _xyzv(report, e.frame)
    if e.kind in ("initial_contact", "toe_off") and e.side in ("left", "right"):
        xy = foot_xy(xyzv, e.side)
        label = ""
    elif e.kind.startswith("rep"):
        xy = landmark_xy(xyzv, (Landmark.LEFT_HIP, Landmark.RIGHT_HIP), 0.0)
        n = rep_no.get(id(e))
        what = e.kind.removeprefix("rep").strip("_").replace("_", " ")
        label = e.label or (f"Rep {n} {what}".strip() if n else f"Rep {what}".strip())
    else:
        xy = None
        label = e.label
    return Mark(e.kind, e.side, dt_s, xy, label)


def overlay_for_frame(report: Report, i: int) -> OverlayData:
    """What :class:`formcheck.render.frame.FrameAnnotator` draws at frame ``i``.

    Arcs: for running, trunk and head angles on every frame and the contact
    angles (shin, knee) for ``MARK_SHOW_S`` after each contact, with the values
    of the contact frame; for exercises every joint angle the analyzer gives.
    """
    idx = _check(report, i)
    t = float(idx.t_s[i])
    state = idx.state(i)
    xyzv = _xyzv(report, i)
    # markers are timed by the frame an event is on (event times may fall between frames)
    near = []
    for e in events_near(report, i, MARK_SHOW_S + 0.1):
        te = float(idx.t_s[e.frame]) if 0 <= e.frame < idx.n else e.t_s
        if 0 <= t - te <= MARK_SHOW_S + 1e-9:
            near.append((e, t - te))
    marks = tuple(_mark(report, e, dt, idx.rep_no) for e, dt in near)
    angles = dict(state.angles) if state else {}
    arcs: dict[str, float] = {}
    arc_sides: dict[str, str] = {}
    if report.activity == "run":
        for name, v in angles.items():
            spec = arc_spec(name)
            if spec is not None and spec.short in ("trunk", "head", "neck"):
                arcs[name] = v
        for e, _dt in near:
            if e.kind != "initial_contact" or e.side not in ("left", "right"):
                continue
            cst = idx.state(e.frame)
            for name, v in (cst.angles if cst else {}).items():
                spec = arc_spec(name)
                if spec is None or spec.short not in ("shin", "knee"):
                    continue
                named = side_in_name(name)
                if named is not None and named != e.side:
                    continue
                arcs[name] = v
                arc_sides[name] = e.side
    else:
        # exercises: joint angles only; a "tilt" there may be measured from the
        # horizontal (bird dog trunk), which a from-vertical arc would misdraw
        arcs = {
            k: v
            for k, v in angles.items()
            if (spec := arc_spec(k)) is not None and spec.kind != "tilt"
        }
    path = None
    if report.series is not None:
        lo = int(np.searchsorted(idx.t_s, t - HIP_PATH_S))
        hip = report.series.midpoint(Landmark.LEFT_HIP, Landmark.RIGHT_HIP)[lo : i + 1]
        path = np.asarray(hip, float)
    return OverlayData(
        frame=i,
        t_s=t,
        xyzv=xyzv,
        near_side=idx.near_side,
        arcs=arcs,
        arc_sides=arc_sides,
        angles=angles,
        phase=state.phase if state else None,
        form=state.form if state else None,
        cue=cue_at(report, i),
        reps=state.reps if state else None,
        hold_s=state.hold_s if state else None,
        marks=marks,
        hip_path=path,
        timeline=idx.timeline,
        title=activities.plain_label(report.activity),
    )
