"""Annotators draw what they are given, where they are given it, at any frame size."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.pose.landmarks import N_LANDMARKS, Landmark
from formcheck.render import annotate_live
from formcheck.render.angles import arc_spec, pretty_name, resolve_points, side_in_name
from formcheck.render.body import AngleArcAnnotator, HipPathAnnotator, SkeletonAnnotator
from formcheck.render.frame import FrameAnnotator
from formcheck.render.overlay import Mark, OverlayData, Timeline, foot_xy, near_side_of
from formcheck.render.panels import (
    CueAnnotator,
    EventMarkerAnnotator,
    PanelAnnotator,
    TimelineAnnotator,
)
from formcheck.render.style import CONTACT_BGR, MIN_FONT_PX, SIDE_BGR, Scale
from formcheck.render.text import put_text, text_mask
from formcheck.report import review
from formcheck.report.review_overlay import overlay_for_frame
from formcheck.results import FrameState
from tests.fixtures.report_samples import SAMPLES

L = Landmark
SHAPES = [(1280, 720), (360, 480), (720, 1280), (1080, 1920)]  # (height, width)


def blank(h: int, w: int, level: int = 90) -> np.ndarray:
    return np.full((h, w, 3), level, np.uint8)


def standing(h: int, w: int, near: str = "left") -> np.ndarray:
    """A standing person (side view) scaled to the frame, near side nearer in z."""
    xyzv = np.full((N_LANDMARKS, 4), np.nan, np.float32)
    cx, s = w / 2, h / 1280
    pts = {
        "SHOULDER": (cx, 420 * s),
        "ELBOW": (cx + 30 * s, 560 * s),
        "WRIST": (cx + 60 * s, 680 * s),
        "HIP": (cx, 720 * s),
        "KNEE": (cx + 20 * s, 930 * s),
        "ANKLE": (cx, 1130 * s),
        "HEEL": (cx - 20 * s, 1160 * s),
        "FOOT_INDEX": (cx + 60 * s, 1170 * s),
        "EAR": (cx - 5 * s, 300 * s),
    }
    for side in ("LEFT", "RIGHT"):
        z = -30.0 if side.lower() == near else 30.0
        for name, (x, y) in pts.items():
            off = 0 if side.lower() == near else 12 * s
            xyzv[L[f"{side}_{name}"]] = (x + off, y, z, 0.95)
    xyzv[L.NOSE] = (cx - 40 * s, 310 * s, 0, 0.99)
    return xyzv


def changed(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.any(a != b, axis=2)


# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("h", "w"), SHAPES)
def test_scale_grows_with_the_frame_and_keeps_text_readable(h: int, w: int) -> None:
    sc = Scale.for_shape(h, w)
    assert sc.line_px >= 1 and sc.joint_px >= 2
    assert sc.font_px >= MIN_FONT_PX and sc.small_px >= MIN_FONT_PX
    # same short side -> same sizes (portrait and landscape phone video)
    assert Scale.for_shape(w, h).font_px == sc.font_px
    # a 1080p frame gets thicker lines than a 360p one
    assert Scale.for_shape(1080, 1920).line_px > Scale.for_shape(360, 480).line_px


def test_text_has_a_degree_sign_and_stays_inside_the_frame() -> None:
    m = text_mask("12°", 20)
    m_no = text_mask("12", 20)
    assert m.shape[1] > m_no.shape[1] and m.max() == 255
    img = blank(100, 120)
    x0, y0, x1, y1 = put_text(img, "label 9°", (110, 95), 18, (255, 255, 255))
    assert x0 >= 0 and x1 <= 120 and y0 >= 0 and y1 <= 100
    assert changed(img, blank(100, 120)).any()


def test_text_off_frame_is_clipped_not_an_error() -> None:
    img = blank(40, 40)
    put_text(img, "far away", (500, 500), 14, (255, 255, 255), keep_inside=False)
    assert not changed(img, blank(40, 40)).any()


# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("h", "w"), SHAPES)
def test_skeleton_draws_near_side_bright_on_its_landmarks(h: int, w: int) -> None:
    xyzv = standing(h, w, near="left")
    data = OverlayData(0, 0.0, xyzv, near_side=near_side_of(xyzv))
    assert data.near_side == "left"
    img = SkeletonAnnotator().annotate(blank(h, w), data)
    # the midpoint of the near thigh is drawn in the left (near) colour
    hip, knee = xyzv[L.LEFT_HIP, :2], xyzv[L.LEFT_KNEE, :2]
    x, y = np.round((hip + knee) / 2).astype(int)
    assert tuple(img[y, x]) == SIDE_BGR["left"]
    # the far thigh's midpoint: right (orange) hue, dimmer than the right colour itself
    fh, fk = xyzv[L.RIGHT_HIP, :2], xyzv[L.RIGHT_KNEE, :2]
    fx, fy = np.round((fh + fk) / 2).astype(int)
    b, g, r = (int(c) for c in img[fy, fx])
    assert r > b and r + g + b < sum(SIDE_BGR["right"])


def test_skeleton_skips_unseen_points_and_missing_pose() -> None:
    xyzv = standing(720, 1280)
    xyzv[:, 3] = 0.1  # nothing visible enough
    img = SkeletonAnnotator().annotate(blank(720, 1280), OverlayData(0, 0.0, xyzv))
    assert not changed(img, blank(720, 1280)).any()
    img = SkeletonAnnotator().annotate(blank(720, 1280), OverlayData(0, 0.0, None))
    assert not changed(img, blank(720, 1280)).any()
    nan = np.full((N_LANDMARKS, 4), np.nan, np.float32)
    img = FrameAnnotator().annotate(blank(360, 480), OverlayData(0, 0.0, nan))
    assert img.shape == (360, 480, 3)


@pytest.mark.parametrize(("h", "w"), SHAPES)
@pytest.mark.parametrize("side", ["left", "right"])
def test_contact_marker_is_centred_on_the_foot(h: int, w: int, side: str) -> None:
    xyzv = standing(h, w)
    foot = foot_xy(xyzv, side)
    assert foot is not None
    heel = xyzv[L[f"{side.upper()}_HEEL"], :2]
    toe = xyzv[L[f"{side.upper()}_FOOT_INDEX"], :2]
    assert np.allclose(foot, (heel + toe) / 2)
    data = OverlayData(0, 0.0, xyzv, marks=(Mark("initial_contact", side, 0.0, foot),))
    img = EventMarkerAnnotator().annotate(blank(h, w), data)
    ys, xs = np.nonzero(np.all(img == CONTACT_BGR, axis=2))
    assert xs.size > 20
    # ring + centre dot are symmetric about the foot: the centroid is the foot (1 px)
    assert abs(xs.mean() - foot[0]) <= 1.0 and abs(ys.mean() - foot[1]) <= 1.0


def test_markers_only_show_for_their_moment() -> None:
    xyzv = standing(720, 1280)
    foot = foot_xy(xyzv, "left")
    ann = EventMarkerAnnotator(show_s=0.2)
    for dt, drawn in ((-0.05, False), (0.0, True), (0.19, True), (0.25, False)):
        data = OverlayData(0, 0.0, xyzv, marks=(Mark("initial_contact", "left", dt, foot),))
        img = ann.annotate(blank(720, 1280), data)
        assert np.all(img == CONTACT_BGR, axis=2).any() == drawn, dt


def test_foot_falls_back_to_the_ankle() -> None:
    xyzv = standing(720, 1280)
    xyzv[L.LEFT_HEEL] = np.nan
    assert np.allclose(foot_xy(xyzv, "left"), xyzv[L.LEFT_ANKLE, :2])
    xyzv[L.LEFT_ANKLE] = np.nan
    assert foot_xy(xyzv, "left") is None


# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "short", "side"),
    [
        ("trunk_lean_deg", "trunk", None),
        ("shin_angle_left_deg", "shin", "left"),
        ("knee_flexion_right_deg", "knee", "right"),
        ("knee_flex_r_deg", "knee", "right"),
        ("shoulder_hip_knee_deg", "hip", None),
        ("shoulder_hip_ankle_deg", "body", None),
        ("hip_line_deg", "body", None),
        ("head_forward_deg", "head", None),
        ("cadence_spm", None, None),
    ],
)
def test_angle_names_map_to_their_landmarks(name: str, short: str | None, side: str | None) -> None:
    spec = arc_spec(name)
    assert (spec.short if spec else None) == short
    assert side_in_name(name) == side
    if spec is not None:
        pts = resolve_points(spec, side or "left")
        assert all(isinstance(p, tuple) and p for p in pts)


def test_pretty_names() -> None:
    assert pretty_name("knee_flexion_left_deg") == ("Knee flexion left", "°")
    assert pretty_name("overstride_leg_lengths") == ("Overstride", " leg lengths")
    assert pretty_name("cadence_spm") == ("Cadence", " steps/min")


def test_arc_shows_the_analyzers_value_not_a_remeasured_one() -> None:
    xyzv = standing(720, 1280)
    a = AngleArcAnnotator().annotate(
        blank(1280, 720), OverlayData(0, 0, xyzv, arcs={"trunk_lean_deg": 7.0}, near_side="left")
    )
    b = AngleArcAnnotator().annotate(
        blank(1280, 720), OverlayData(0, 0, xyzv, arcs={"trunk_lean_deg": 23.0}, near_side="left")
    )
    # same landmarks, different values: only the label differs
    diff = changed(a, b)
    assert diff.any()
    ys, xs = np.nonzero(diff)
    assert np.ptp(xs) < 120 and np.ptp(ys) < 60  # a label-sized area, not the arc geometry
    c = AngleArcAnnotator().annotate(
        blank(1280, 720), OverlayData(0, 0, xyzv, arcs={"unknown_thing": 3.0})
    )
    assert not changed(c, blank(1280, 720)).any()


def test_path_timeline_panel_and_cue_draw_in_their_places() -> None:
    h, w = 720, 1280
    path = np.c_[np.linspace(500, 700, 30), np.full(30, 400.0)]
    path[10] = np.nan  # a gap is not bridged
    img = HipPathAnnotator().annotate(blank(h, w), OverlayData(0, 0.0, hip_path=path))
    assert changed(img, blank(h, w))[390:410, 500:705].any()
    tl = Timeline(
        0.0, 10.0, ((2.0, "initial_contact", "left"), (3.0, "rep_top", None)), ((5.0, 6.0),)
    )
    img = TimelineAnnotator().annotate(blank(h, w), OverlayData(0, 5.5, timeline=tl))
    rows = np.nonzero(changed(img, blank(h, w)).any(axis=1))[0]
    assert rows.min() > h * 0.85  # along the bottom
    img = PanelAnnotator().annotate(
        blank(h, w), OverlayData(0, 1.0, reps=3, form="hips_sagging", angles={"hip_line_deg": 14.0})
    )
    ys, xs = np.nonzero(changed(img, blank(h, w)))
    assert xs.max() < w / 2 and ys.max() < h / 2  # top-left corner
    cue = "Shorter, quicker steps " * 4
    img = CueAnnotator().annotate(blank(360, 480), OverlayData(0, 1.0, cue=cue))
    ys, xs = np.nonzero(changed(img, blank(360, 480)))
    assert ys.min() < 30 and xs.min() >= 0 and xs.max() < 480  # wrapped inside the frame


def test_annotate_live_draws_skeleton_and_arcs() -> None:
    xyzv = standing(720, 1280)
    img = blank(1280, 720)
    out = annotate_live(img, xyzv, FrameState(3, 0.1, angles={"trunk_lean_deg": 6.0}), "run")
    assert out is img and changed(out, blank(1280, 720)).any()
    empty = annotate_live(blank(10, 10), None, None, "plank")
    assert not changed(empty, blank(10, 10)).any()


@pytest.mark.parametrize("name", list(SAMPLES))
def test_every_frame_of_each_sample_report_draws(name: str) -> None:
    report = SAMPLES[name]()
    ann = FrameAnnotator()
    h, w = report.series.height, report.series.width
    for i in range(0, review.n_frames(report), 7):
        data = overlay_for_frame(report, i)
        img = ann.annotate(blank(h, w), data)
        assert img.shape == (h, w, 3)
        if data.xyzv is not None:
            assert changed(img, blank(h, w)).any()
