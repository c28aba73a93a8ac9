"""Edited clips: shots joined by cuts are one person, each shot analysed, the shots listed.

An edited clip is built from the bridge clip (glute_bridge_side_darebee.mp4: 5 reps,
one person) in a temporary folder: shot A is the clip as filmed up to a moment at the
bottom between reps 3 and 4; then a hard cut to shot B, the rest as a close-up from
the other side (65 % of the picture around the person, mirrored, scaled back to
1280x720: the person twice as large and elsewhere in the picture). Before scene cuts
were detected, the tracker took shot B for someone else ("several people") and the
rest of the clip was lost. Shot A and shot B are also written as clips of their own:
the edited clip must give the reps of the two parts.

The shared clips' own cuts: side_plank_pwarenfo.mp4 has one hard cut (its time is in
the manifest); a clip joined by a cross-dissolve, the multi-person clip with a lens
flare and the panning sprint have none.
"""

from __future__ import annotations

import re
from pathlib import Path

import cv2
import numpy as np
import pytest

import formcheck
from formcheck.pose.estimator import POSE_MAX_SIDE_PX
from formcheck.pose.shots import shot_cuts
from formcheck.video.cuts import CutScorer
from formcheck.video.reader import VideoReader
from tests.fixtures import truths
from tests.fixtures.clips import clip_path

pytestmark = pytest.mark.clips

BRIDGE = "glute_bridge_side_darebee.mp4"
SIDE_PLANK = "side_plank_pwarenfo.mp4"
#: clips with no hard cut: one joined by a cross-dissolve (MANIFEST), a lens flare
#: and an exposure change with two people, a panning camera
NO_CUT = (
    "knee_hug_fitbod.mp4",
    "sports2d_demo.mp4",
    "sprint_track_pan_sports2d_demo2.mp4",
)
CLOSE_UP = 0.65  # share of the picture shot B shows


def _reps(report) -> list[float]:  # type: ignore[no-untyped-def]
    """The top times (s) of the report's reps."""
    t = report.tables["reps"]
    return [float(row[t.columns.index("t_s")]) for row in t.rows]


def _bottom_between(report, after_s: float, before_s: float) -> float:  # type: ignore[no-untyped-def]
    """The middle of the bottom phase between two rep tops (seconds)."""
    t = [f.t_s for f in report.frames if after_s < f.t_s < before_s and f.phase == "bottom"]
    assert t, "no bottom phase between the reps"
    return 0.5 * (t[0] + t[-1])


def _close_up(img: np.ndarray, centre: tuple[float, float]) -> np.ndarray:
    h, w = img.shape[:2]
    ch, cw = int(h * CLOSE_UP), int(w * CLOSE_UP)
    x = int(min(max(centre[0] - cw / 2, 0), w - cw))
    y = int(min(max(centre[1] - ch / 2, 0), h - ch))
    out = cv2.resize(img[y : y + ch, x : x + cw], (w, h), interpolation=cv2.INTER_LINEAR)
    return np.ascontiguousarray(out[:, ::-1])


def _write(src: Path, out: Path, keep, close_up_from_s: float, centre) -> None:  # type: ignore[no-untyped-def]
    cap = cv2.VideoCapture(str(src))
    fps = cap.get(cv2.CAP_PROP_FPS)
    size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
    try:
        while True:
            ok, img = cap.read()
            if not ok:
                break
            t = cap.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
            if keep(t):
                writer.write(_close_up(img, centre) if t >= close_up_from_s else img)
    finally:
        writer.release()
        cap.release()


@pytest.fixture(scope="module")
def edited(analyzed, tmp_path_factory):  # type: ignore[no-untyped-def]
    """(cut time, reports of the edited clip, of shot A alone and of shot B alone)."""
    whole = analyzed(BRIDGE, "glute-bridge")
    tops = _reps(whole)
    cut_at = _bottom_between(whole, tops[2], tops[3])
    xy = whole.series.xyzv[..., :2]
    centre = (float(np.nanmean(xy[..., 0])), float(np.nanmean(xy[..., 1])))
    src, folder = clip_path(BRIDGE), tmp_path_factory.mktemp("edited")
    paths = {k: folder / f"{k}.mp4" for k in ("edited", "a", "b")}
    _write(src, paths["edited"], lambda t: True, cut_at, centre)
    _write(src, paths["a"], lambda t: t < cut_at, cut_at, centre)
    _write(src, paths["b"], lambda t: t >= cut_at, cut_at, centre)
    reports = {k: formcheck.analyze(p, activity="glute-bridge") for k, p in paths.items()}
    return cut_at, reports


def test_edited_clip_is_one_person_with_both_shots_listed(edited) -> None:  # type: ignore[no-untyped-def]
    cut_at, r = edited
    report = r["edited"]
    codes = [w.code for w in report.warnings]
    assert "several_people" not in codes
    assert "person_absent" not in codes
    shots = next(w for w in report.warnings if w.code == "shots")
    frame = 1.0 / report.source.fps
    assert len(shots.ranges_s) == 2
    assert shots.ranges_s[0][1] == pytest.approx(cut_at, abs=1.5 * frame)
    assert shots.ranges_s[1][1] == pytest.approx(report.source.duration_s, abs=1.5 * frame)
    assert "Not used" not in shots.message  # both shots show the person
    # both shots analysed: a pose in nearly all of each shot's frames
    t, present = report.series.t_s, report.series.present
    for a, b in shots.ranges_s:
        assert present[(t >= a) & (t < b)].mean() > 0.9


def test_edited_clip_counts_the_reps_of_its_parts(edited) -> None:  # type: ignore[no-untyped-def]
    cut_at, r = edited
    frame = 1.0 / r["edited"].source.fps
    alone = _reps(r["a"]) + [cut_at + t for t in _reps(r["b"])]
    assert len(_reps(r["a"])) == 3 and len(_reps(r["b"])) == 2
    assert r["edited"].metrics["reps"].value == len(alone) == truths.clip(BRIDGE).count.value
    # shot B's timestamps start at 0 in its own file, within a frame of the cut
    assert _reps(r["edited"]) == pytest.approx(alone, abs=2.5 * frame)


def _cuts_in(name: str) -> tuple[list[float], float]:
    """Scene cuts of a shared clip from its frames alone (no pose), and its frame time."""
    reader = VideoReader(clip_path(name), max_side=POSE_MAX_SIDE_PX)
    scorer = CutScorer()
    scores = [(f.t_s, *scorer.update(f.image)) for f in reader]
    return list(shot_cuts(scores)), 1.0 / reader.info.fps_nominal


def test_side_plank_clip_has_its_hard_cut() -> None:
    shows = truths.clip(SIDE_PLANK).shows
    m = re.search(r"hard cut at ([\d.]+) s", shows)
    assert m, f"the manifest no longer gives the cut of {SIDE_PLANK}: {shows!r}"
    cuts, frame = _cuts_in(SIDE_PLANK)
    assert cuts == [pytest.approx(float(m.group(1)), abs=1.5 * frame)]


@pytest.mark.parametrize("name", NO_CUT)
def test_dissolves_flares_and_pans_are_not_cuts(name: str) -> None:
    assert _cuts_in(name)[0] == []
