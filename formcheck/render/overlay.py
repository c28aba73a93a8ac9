"""What is drawn on one frame: :class:`OverlayData`, filled by the caller.

The annotators (:mod:`formcheck.render.frame` and its parts) read an ``OverlayData`` and
draw; they never look at a report or an analyzer. The batch path builds one
per frame from the report (:func:`formcheck.report.review_overlay.overlay_for_frame`),
the live path from an analyzer's :class:`~formcheck.live.LiveUpdate`
(:meth:`OverlayData.from_state`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from formcheck.pose.landmarks import Landmark
from formcheck.results import FrameState

#: Landmark visibility below which a point is not drawn (MediaPipe's own
#: visibility; the far leg hidden by a treadmill console drops under it).
MIN_VISIBILITY = 0.3


@dataclass(frozen=True, slots=True)
class Mark:
    """An event shown on this frame.

    kind : the event kind (``"initial_contact"``, ``"toe_off"``, ``"rep_top"`` ...).
    side : ``"left"``/``"right"`` for foot events, else None.
    dt_s : this frame's time minus the event's time, seconds (0 on the event's
        own frame, positive after it).
    xy : where to draw it, pixels of the upright frame (the foot at the event's
        frame for contacts, the hip for reps), or None to draw it as text only.
    label : extra text (the analyzer's event label or rep number).
    """

    kind: str
    side: str | None
    dt_s: float
    xy: tuple[float, float] | None
    label: str = ""


@dataclass(frozen=True, slots=True)
class Timeline:
    """The whole clip as a strip: event ticks and flagged time ranges.

    ticks : (t_s, kind, side) per event. flags_s : (start_s, end_s) ranges of
    frames with a flagged form label. t0_s, t1_s : the clip's first and last time.
    """

    t0_s: float
    t1_s: float
    ticks: tuple[tuple[float, str, str | None], ...] = ()
    flags_s: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True, slots=True)
class OverlayData:
    """Everything drawn on one frame; all values are the analyzers' (nothing measured here).

    xyzv : float (33, 4) landmarks in pixels (x, y, z, visibility), or None when
        no pose. arcs : angle name -> degrees, drawn as arcs on the body
        (see :mod:`formcheck.render.angles`). angles : name -> value listed in the
        panel. hip_path : float (k, 2), recent hip-midpoint positions, oldest
        first (NaN rows are gaps). near_side : the body side facing the camera.
    """

    frame: int
    t_s: float
    xyzv: np.ndarray | None = None
    near_side: str | None = None
    arcs: dict[str, float] = field(default_factory=dict)
    arc_sides: dict[str, str] = field(default_factory=dict)
    angles: dict[str, float] = field(default_factory=dict)
    phase: str | None = None
    form: str | None = None
    cue: str | None = None
    reps: int | None = None
    hold_s: float | None = None
    marks: tuple[Mark, ...] = ()
    hip_path: np.ndarray | None = None
    timeline: Timeline | None = None
    title: str = ""

    @classmethod
    def from_state(
        cls,
        xyzv: np.ndarray | None,
        state: FrameState,
        *,
        arcs: tuple[str, ...] | None = None,
        **kw: object,
    ) -> OverlayData:
        """An overlay from an analyzer's per-frame state (the live path).

        arcs : which of ``state.angles`` to draw as arcs (default: all of them).
        """
        angles = dict(state.angles)
        chosen = angles if arcs is None else {k: angles[k] for k in arcs if k in angles}
        return cls(
            frame=state.frame,
            t_s=state.t_s,
            xyzv=xyzv,
            near_side=kw.pop("near_side", None) or near_side_of(xyzv),  # type: ignore[arg-type]
            arcs=chosen,
            angles=angles,
            phase=state.phase,
            form=state.form,
            cue=state.cue,
            reps=state.reps,
            hold_s=state.hold_s,
            **kw,  # type: ignore[arg-type]
        )


_SIDE_POINTS = {
    side: tuple(Landmark[f"{side.upper()}_{n}"] for n in ("SHOULDER", "HIP", "KNEE", "ANKLE"))
    for side in ("left", "right")
}


def near_side_of(xyzv: np.ndarray | None) -> str | None:
    """The body side nearer the camera in a side view, from MediaPipe's depth.

    MediaPipe's z is smaller for points nearer the camera; the side whose
    shoulder, hip, knee and ankle have the smaller mean z is the near side.
    None when there is no pose. (A choice of drawing style, not a measurement.)
    """
    if xyzv is None:
        return None
    z = {s: np.asarray(xyzv)[list(map(int, pts)), 2] for s, pts in _SIDE_POINTS.items()}
    zl, zr = (float(np.nanmean(z[s])) if np.isfinite(z[s]).any() else np.nan for s in z)
    if not (np.isfinite(zl) and np.isfinite(zr)):
        return None
    return "left" if zl <= zr else "right"


def landmark_xy(
    xyzv: np.ndarray | None, ref: tuple[Landmark, ...] | Landmark, min_vis: float = MIN_VISIBILITY
) -> tuple[float, float] | None:
    """Pixel position of a landmark (or the midpoint of several), None if unseen.

    A point is unseen when any of its landmarks is NaN or below ``min_vis``.
    """
    if xyzv is None:
        return None
    refs = (ref,) if isinstance(ref, Landmark) else ref
    pts = np.asarray(xyzv)[[int(r) for r in refs]]
    if not np.isfinite(pts[:, :2]).all():
        return None
    vis = pts[:, 3]
    if np.isfinite(vis).all() and (vis < min_vis).any():
        return None
    x, y = pts[:, :2].mean(axis=0)
    return float(x), float(y)


def foot_xy(xyzv: np.ndarray | None, side: str, min_vis: float = 0.0) -> tuple[float, float] | None:
    """Where a foot marker goes: midway between heel and toe, else the ankle.

    side : ``"left"`` or ``"right"``. ``min_vis`` defaults to 0: a contact the
    analyzer reported is drawn even on a poorly seen (far) foot.
    """
    s = "LEFT" if side == "left" else "RIGHT"
    mid = landmark_xy(xyzv, (Landmark[f"{s}_HEEL"], Landmark[f"{s}_FOOT_INDEX"]), min_vis)
    return mid if mid is not None else landmark_xy(xyzv, Landmark[f"{s}_ANKLE"], min_vis)
