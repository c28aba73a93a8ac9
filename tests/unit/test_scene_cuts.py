"""Scene cuts on synthetic frames: a hard cut (to another picture, or to a close-up of
the same one) is found; a smooth pan, light changing (slowly, or an exposure step), a
flash and a 0.35 s cross-dissolve are not hard cuts. Then each shot is its own stretch
for the person tracking, and the report lists the shots."""

from __future__ import annotations

from itertools import pairwise

import cv2
import numpy as np
import pytest

from formcheck.cues.thresholds import value
from formcheck.pipeline.analysis import analyze_pose
from formcheck.pose.identity import keep_one_person, keep_one_person_per_shot
from formcheck.pose.series import PoseSeries
from formcheck.pose.shots import SETTLE_S, settle_after_cuts, shot_cuts
from formcheck.video.cuts import CutScorer, change_score, find_cuts, shot_ranges, thumbnail
from tests.unit.test_identity import H, W, body, walker

FPS = 24.0
SIZE = (360, 640)  # frame height, width


def scene(seed: int, h: int = SIZE[0], w: int = SIZE[1]) -> np.ndarray:
    """A textured BGR picture (blurred noise: blobs of light and colour)."""
    rng = np.random.default_rng(seed)
    img = rng.integers(0, 256, (h // 16, w // 16, 3), dtype=np.uint8)
    img = cv2.resize(img, (w, h), interpolation=cv2.INTER_CUBIC)
    return cv2.GaussianBlur(img, (0, 0), 3)


def with_person(img: np.ndarray, x: int, y: int = 150) -> np.ndarray:
    """``img`` with a dark figure (a person-sized block) at (x, y)."""
    out = img.copy()
    cv2.rectangle(out, (x, y), (x + 40, y + 150), (30, 30, 40), -1)
    return out


def close_up(img: np.ndarray, k: float = 0.65) -> np.ndarray:
    """The middle ``k`` of ``img`` scaled back to its size (a cut to a close-up)."""
    h, w = img.shape[:2]
    ch, cw = int(h * k), int(w * k)
    y, x = (h - ch) // 2, (w - cw) // 2
    return cv2.resize(img[y : y + ch, x : x + cw], (w, h), interpolation=cv2.INTER_LINEAR)


def cuts_of(frames: list[np.ndarray]) -> tuple[list[float], np.ndarray]:
    """Cuts found in ``frames`` (at FPS) with the table's thresholds, and the times."""
    scorer = CutScorer()
    t = np.arange(len(frames)) / FPS
    scores = [(float(ti), *scorer.update(f)) for ti, f in zip(t, frames, strict=True)]
    return list(shot_cuts(scores)), t


def walking(n: int, bg: np.ndarray, x0: int = 100) -> list[np.ndarray]:
    """``n`` frames of a figure walking across ``bg`` (3 px a frame)."""
    return [with_person(bg, x0 + 3 * i) for i in range(n)]


def test_a_hard_cut_to_another_picture_is_found_at_its_frame() -> None:
    frames = walking(48, scene(1)) + walking(48, scene(2), x0=400)
    cuts, t = cuts_of(frames)
    assert cuts == [pytest.approx(t[48])]


def test_a_cut_to_a_close_up_of_the_same_picture_is_found() -> None:
    bg = scene(3)
    frames = walking(48, bg) + [close_up(f) for f in walking(48, bg, x0=250)]
    cuts, t = cuts_of(frames)
    assert cuts == [pytest.approx(t[48])]


def test_a_smooth_pan_is_not_a_cut() -> None:
    wide = scene(4, SIZE[0], SIZE[1] * 3)
    frames = [with_person(wide[:, 8 * i : 8 * i + SIZE[1]], 300) for i in range(120)]
    # the pan changes the picture at every frame, far beyond the minimum change ...
    scores = [change_score(thumbnail(a), thumbnail(b)) for a, b in pairwise(frames)]
    assert np.median(scores) > 0.5 * value("cut_min_change")
    # ... but no frame stands out from its neighbours
    assert cuts_of(frames)[0] == []


def test_light_changing_is_not_a_cut() -> None:
    bg = scene(5)
    frames = walking(96, bg)
    gain = np.r_[np.linspace(1.0, 0.4, 48), np.full(48, 0.4)]
    gain[70:] *= 1.8  # the camera's exposure steps up in one frame
    lit = [
        np.clip(f.astype(np.float32) * g, 0, 255).astype(np.uint8)
        for f, g in zip(frames, gain, strict=True)
    ]
    assert cuts_of(lit)[0] == []


def test_a_flash_is_not_a_cut() -> None:
    frames = walking(72, scene(6))
    frames[40] = np.full_like(frames[40], 250)  # one white frame
    assert cuts_of(frames)[0] == []


def test_a_cross_dissolve_is_not_a_hard_cut() -> None:
    a, b = walking(48, scene(7)), walking(48, scene(8), x0=300)
    n = round(0.35 * FPS)  # 8 frames
    mix = [
        cv2.addWeighted(a[-1], 1.0 - (k + 1) / (n + 1), b[0], (k + 1) / (n + 1), 0.0)
        for k in range(n)
    ]
    frames = a + mix + b
    assert cuts_of(frames)[0] == []
    # the same two shots joined without the dissolve: a cut
    cuts, t = cuts_of(a + b)
    assert cuts == [pytest.approx(t[48])]


@pytest.mark.parametrize("share", [0.5, 0.35, 0.65])
def test_a_cut_through_one_blended_frame_is_found(share: float) -> None:
    """An editor's one-frame transition (or a frame decoded across the cut): one
    frame mixes the last of shot A and the first of shot B; the cut is there."""
    a, b = walking(48, scene(13)), walking(48, scene(14), x0=300)
    blend = cv2.addWeighted(a[-1], 1.0 - share, b[0], share, 0.0)
    frames = [*a, blend, *b]
    cuts, t = cuts_of(frames)
    assert len(cuts) == 1
    assert t[48] <= cuts[0] <= t[49]
    # the same blend between two frames of one shot (a flash of double exposure
    # that comes back to the picture) is no cut
    on = walking(48, scene(13), x0=100 + 3 * 49)  # shot A goes on after the blend
    back = [*a, blend, *on]
    assert cuts_of(back)[0] == []


def test_a_second_cut_within_the_shortest_shot_is_not_taken() -> None:
    gap = round(0.5 * value("cut_min_shot_s") * FPS)  # half the shortest shot
    frames = walking(48, scene(9)) + walking(gap, scene(10)) + walking(48, scene(11))
    cuts, t = cuts_of(frames)
    assert cuts == [pytest.approx(t[48])]


def test_degenerate_input() -> None:
    assert find_cuts([], [], 3.0, 10.0, 2, 0.6) == []
    assert find_cuts([0.0], [float("nan")], 3.0, 10.0, 2, 0.6) == []
    assert shot_cuts([]) == ()
    with pytest.raises(ValueError):
        find_cuts([0.0, 1.0], [1.0], 3.0, 10.0, 2, 0.6)
    flat = np.full((54, 96), 128, np.float32)
    assert change_score(flat, flat) == 0.0
    assert change_score(flat, thumbnail(scene(12))) == 100.0
    assert np.isnan(change_score(flat, flat[:10]))
    assert np.isnan(CutScorer().update(scene(12))).all()
    assert shot_ranges(0.0, 9.7, [5.8]) == ((0.0, 5.8), (5.8, 9.7))
    assert shot_ranges(0.0, 9.7, []) == ((0.0, 9.7),)


# ---------------------------------------------------------------- each shot its own stretch
def _edited_walk() -> tuple[PoseSeries, float]:
    """One person walking, then a cut to a close-up: twice as big, elsewhere in the
    picture. The close-up is the longer shot."""
    xyzv, t = walker(240)
    cut = float(t[90])
    for i in range(90, 240):
        xyzv[i] = body(900.0 - 2.0 * (i - 90), 300.0, 240.0)
    return PoseSeries(xyzv, t, W, H), cut


def test_a_jump_at_a_cut_is_not_someone_else() -> None:
    series, cut = _edited_walk()
    # without the cut, the first shot looks like another person and is dropped
    assert keep_one_person(series).dropped_ranges_s
    res = keep_one_person_per_shot(series, (cut,))
    assert res.dropped_ranges_s == ()
    assert res.series.present.all()


def test_someone_else_inside_a_shot_is_still_dropped() -> None:
    series, cut = _edited_walk()
    xyzv = series.xyzv.copy()
    for i in range(150, 175):  # the tracker on someone else, inside the second shot
        xyzv[i] = body(150.0, 380.0, 90.0)
    res = keep_one_person_per_shot(PoseSeries(xyzv, series.t_s, W, H), (cut,))
    assert len(res.dropped_ranges_s) == 1
    a, b = res.dropped_ranges_s[0]
    assert cut < a and b < series.t_s[-1]
    assert not res.series.present[150:175].any()


def test_the_moment_after_a_cut_is_a_gap() -> None:
    series, cut = _edited_walk()
    out = settle_after_cuts(series, (cut,))
    t = series.t_s
    gone = (t >= cut) & (t < cut + SETTLE_S)
    assert gone.any() and not out.present[gone].any()
    assert out.present[~gone].all()
    assert settle_after_cuts(series, ()) is series


def test_the_report_lists_the_shots_and_claims_no_crowd() -> None:
    series, cut = _edited_walk()
    report = analyze_pose(series, "auto", cuts_s=(cut,))
    codes = [w.code for w in report.warnings]
    assert "several_people" not in codes
    shots = next(w for w in report.warnings if w.code == "shots")
    assert len(shots.ranges_s) == 2
    assert shots.ranges_s[0][0] == pytest.approx(series.t_s[0])
    assert shots.ranges_s[0][1] == shots.ranges_s[1][0] == pytest.approx(cut)
    assert "2 shots" in shots.message
    assert shots.to_dict()["ranges_s"][1][0] == pytest.approx(cut)
    # one shot: no shots notice
    plain = analyze_pose(PoseSeries(*walker(240), W, H), "auto")
    assert "shots" not in [w.code for w in plain.warnings]
