"""Frame-by-frame review: facts at a frame, and jumping between contacts, reps and flags."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from formcheck.report import review, review_overlay
from formcheck.report.review_overlay import overlay_for_frame
from tests.fixtures.report_samples import (
    bridge_report,
    empty_report,
    plank_report,
    running_report,
)


@pytest.fixture(scope="module")
def run():
    return running_report()


def test_frame_review_gives_time_landmarks_angles_and_state(run) -> None:
    i = 100
    fr = review.frame_review(run, i)
    assert fr.index == i and fr.source_frame == i
    assert fr.t_s == pytest.approx(run.series.t_s[i])
    assert fr.landmarks.shape == (33, 4)
    assert np.array_equal(fr.landmarks, run.series.xyzv[i], equal_nan=True)
    assert fr.angles == run.frames[i].angles and fr.state is run.frames[i]
    # the landmarks are a copy: scrubbing code cannot change the report
    fr.landmarks[0, 0] = -1
    assert run.series.xyzv[i, 0, 0] != -1


def test_events_near_are_within_the_window_nearest_first(run) -> None:
    c = review.contact_frames(run)[3]
    near = review.events_near(run, c, window_s=0.1)
    assert near and near[0].frame == c and near[0].kind == "initial_contact"
    t = run.series.t_s[c]
    assert all(abs(e.t_s - t) <= 0.1 + 1e-9 for e in near)
    assert [abs(e.t_s - t) for e in near] == sorted(abs(e.t_s - t) for e in near)
    everything = {(e.kind, e.frame) for e in run.events if abs(e.t_s - t) <= 0.1 + 1e-9}
    assert {(e.kind, e.frame) for e in near} == everything


def test_navigation_between_contacts(run) -> None:
    contacts = sorted(e.frame for e in run.events if e.kind == "initial_contact")
    assert review.contact_frames(run) == contacts
    assert review.next_contact(run, 0) == contacts[0]
    assert review.next_contact(run, contacts[0]) == contacts[1]
    assert review.prev_contact(run, contacts[1]) == contacts[0]
    assert review.prev_contact(run, contacts[0]) is None
    assert review.next_contact(run, contacts[-1]) is None
    lefts = [e.frame for e in run.events if e.kind == "initial_contact" and e.side == "left"]
    assert review.next_contact(run, 0, side="left") == min(lefts)
    # walking forward visits every contact once, in order
    seen, i = [], -1
    while (i := review.next_contact(run, i)) is not None:
        seen.append(i)
    assert seen == contacts


def test_flags_include_finding_key_frames_and_corrections(run) -> None:
    flags = review.flag_frames(run)
    over = next(f for f in run.findings if f.cue == "overstride")
    assert over.frame in flags
    corrections = [f.frame for f in run.frames if f.cue and review._bad_form(f.form)]
    assert set(corrections) <= set(flags)
    assert review.next_flag(run, -1) == flags[0]
    assert review.prev_flag(run, flags[-1] + 1) == flags[-1]


def test_active_findings_near_the_key_frame_only(run) -> None:
    over = next(f for f in run.findings if f.cue == "overstride")
    assert over in review.active_findings(run, over.frame)
    far = (over.frame + 60) % review.n_frames(run)
    assert over not in review.active_findings(run, far)
    # findings that are not flags are never "active"
    assert all(f.status == "flag" for f in review.active_findings(run, over.frame))


def test_cue_stays_on_screen_for_its_time(run) -> None:
    k = next(f.frame for f in run.frames if f.cue)
    cue = run.frames[k].cue
    t = run.series.t_s
    assert review.cue_at(run, k) == cue
    later = int(np.searchsorted(t, t[k] + review.CUE_SHOW_S - 0.05))
    assert review.cue_at(run, later) == cue
    gone = int(np.searchsorted(t, t[k] + review.CUE_SHOW_S + 0.1))
    assert review.cue_at(run, gone) != cue or any(
        f.cue == cue for f in run.frames[k + 1 : gone + 1]
    )
    assert review.cue_at(run, max(k - 1, 0)) is None or k == 0


def test_reps_and_hold_flags() -> None:
    br = bridge_report(n_reps=4)
    tops = sorted(e.frame for e in br.events if e.kind == "rep_top")
    assert review.rep_frames(br) == tops and len(tops) == 4
    assert review.next_rep(br, tops[1]) == tops[2]
    assert review.prev_rep(br, tops[1]) == tops[0]
    # rep counts and praise are cues too, but not flags: "Next flag" skips them
    said = {tops[0]: "1", tops[1]: "Good: hips in line."}
    br.frames = [dataclasses.replace(f, cue=said.get(f.frame)) for f in br.frames]
    review._CACHE.clear()
    assert not set(said) & set(review.flag_frames(br))
    pl = plank_report()
    sag_start = next(f.frame for f in pl.frames if f.form == "hips_sagging")
    assert sag_start in review.flag_frames(pl)
    assert review.next_flag(pl, 0) == sag_start
    assert review.contact_frames(pl) == [] and review.next_contact(pl, 0) is None


def test_index_at_time_and_source_frames(run) -> None:
    t = run.series.t_s
    assert review.index_at_time(run, -5.0) == 0
    assert review.index_at_time(run, 1e6) == len(t) - 1
    assert review.index_at_time(run, t[50] + 0.4 * (t[51] - t[50])) == 50
    assert review.index_at_time(run, t[50] + 0.6 * (t[51] - t[50])) == 51
    assert review.index_of_source_frame(run, 10) == 10
    assert review.index_of_source_frame(run, 10_000) is None


def test_dropped_frames_keep_source_indices() -> None:
    r = running_report()
    keep = np.ones(r.series.n_frames, bool)
    keep[40:45] = False
    r.series = r.series.take(keep)
    assert review.index_of_source_frame(r, 45) == 40
    assert review.frame_review(r, 40).source_frame == 45


def test_empty_report_degrades() -> None:
    e = empty_report()
    assert review.n_frames(e) == 30
    fr = review.frame_review(e, 0)
    assert fr.landmarks is None and fr.events_near == () and fr.active_findings == ()
    assert review.next_contact(e, 0) is None and review.next_flag(e, 0) is None
    ov = overlay_for_frame(e, 5)
    assert ov.xyzv is None and ov.marks == ()
    with pytest.raises(IndexError):
        review.frame_review(e, 30)


def test_overlay_contact_angles_only_around_contacts(run) -> None:
    c = next(e for e in run.events if e.kind == "initial_contact")
    ov = overlay_for_frame(run, c.frame)
    assert set(ov.arcs) == {"trunk_lean_deg", "shin_angle_deg", "knee_flexion_deg"}
    assert ov.arcs["knee_flexion_deg"] == run.frames[c.frame].angles["knee_flexion_deg"]
    assert ov.arc_sides["shin_angle_deg"] == c.side
    mark = next(m for m in ov.marks if m.kind == "initial_contact")
    assert mark.side == c.side and mark.dt_s == 0.0
    # half a second later the contact angles are gone, the trunk stays
    later = review.index_at_time(run, c.t_s + 0.5)
    assert "trunk_lean_deg" in overlay_for_frame(run, later).arcs
    assert not any(
        m.kind == "initial_contact" and m.dt_s > review_overlay.MARK_SHOW_S
        for m in overlay_for_frame(run, later).marks
    )


def test_exercise_overlays_draw_joint_angles_not_tilts() -> None:
    pl = plank_report()
    i = 10
    f = pl.frames[i]
    pl.frames[i] = type(f)(f.frame, f.t_s, f.phase, f.form, {**f.angles, "trunk_tilt_deg": 3.0})
    ov = overlay_for_frame(pl, i)
    assert "hip_line_deg" in ov.arcs  # drawn on shoulder-hip-ankle
    assert "trunk_tilt_deg" not in ov.arcs  # may be from the horizontal: listed, not drawn
    assert ov.angles["trunk_tilt_deg"] == 3.0
