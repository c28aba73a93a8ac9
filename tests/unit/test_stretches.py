"""Cool-down stretches on generated clips whose holds, sides and bouncing are set here
(tests/fixtures/synthetic_stretches.py).

Tolerances (why): a hold starts at its first frame in position, but the causal 4 Hz
smoothing takes a few frames to carry the body from one pose into the next, so a hold
may start or end up to 0.2 s off the set change. Bouncing is confirmed after three
swings (the first dated to its first turning point), so its start is within one
bounce period (1 s at 1 Hz) plus the settle of the set start.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from formcheck import activities
from formcheck.cues.thresholds import value
from formcheck.exercises import stretch_moves as sm
from formcheck.exercises.bounce import BounceDetector
from formcheck.settings import Settings
from tests.fixtures import synthetic_stretches as X
from tests.fixtures.synthetic_stretches import Phase

T_TOL = 0.2
NAMES = list(X.MOVES)


def _finding(res, cue):  # type: ignore[no-untyped-def]
    return next(f for f in res.findings if f.cue == cue)


def _holds(res) -> list[tuple[float, float, str | None]]:  # type: ignore[no-untyped-def]
    return [(r[1], r[2], r[4]) for r in res.tables["holds"].rows]


@pytest.mark.parametrize("name", NAMES)
def test_each_stretch_is_timed_per_side_and_only_by_its_own_analyzer(name: str) -> None:
    series = X.default_series(name)
    res = sm.analyze(name, series, Settings())
    per_side = X.MOVES[name][3]
    got = _holds(res)
    assert len(got) == (2 if per_side else 1)
    h = X.DEFAULT_HOLD_S
    left, right = (1.0, 1.0 + h, "left"), (2.0 + h, 2.0 + 2 * h, "right")
    want = [left, right] if per_side else [(1.0, 1.0 + h, None)]
    for (a, b, s), (wa, wb, ws) in zip(got, want, strict=True):
        assert a == pytest.approx(wa, abs=T_TOL) and b == pytest.approx(wb, abs=T_TOL)
        assert s == ws
    hold = res.metrics["hold_s"]
    assert hold.value == pytest.approx(h * len(want), abs=2 * T_TOL)
    if per_side:
        assert hold.left == pytest.approx(h, abs=T_TOL)
        assert hold.right == pytest.approx(h, abs=T_TOL)
    assert res.metrics["bouncing_n"].value == 0
    assert res.metrics["bouncing_n"].status == "good"
    assert _finding(res, "stretch_bouncing").status == "ok"
    assert set(activities.get(name).headline) <= set(res.metrics)
    # the other stretches do not see this one
    min_frac = value("classify_min_frac")
    for other in NAMES:
        share = sm.recognise(other, series, Settings())
        assert (share >= min_frac) == (other == name), (other, share)


def test_a_bouncing_stretch_is_flagged_with_when_and_how_much_and_spoken_live() -> None:
    phases = [
        Phase(1.0, "out"),
        Phase(6.0),
        Phase(6.0, angle=20.0, bounce_pp_deg=16.0, bounce_hz=1.0),
        Phase(8.0),
        Phase(1.0, "out"),
    ]
    series, truth = X.stretch_series("childs-pose", phases)
    live = sm.ChildsPoseAnalyzer(Settings())
    spoken, bouncing_metric = [], []
    for k in range(series.n_frames):
        up = live.update(series.xyzv[k], float(series.t_s[k]), series.width, series.height)
        spoken.append(up.cue)
        bouncing_metric.append((up.metrics or {}).get("bouncing", 0.0))
    res = live.result()
    ((t0, t1),) = truth.bounces
    rows = res.tables["bouncing"].rows
    assert len(rows) == 1
    _, start, end, _, swings, amp, rate = rows[0]
    assert t0 <= start <= t0 + 1.0 and t1 - 1.0 <= end <= t1
    assert amp == pytest.approx(16.0, abs=3.0)
    assert rate == pytest.approx(1.0, abs=0.2)
    assert swings >= value("stretch_bounce_min_swings")
    assert res.metrics["bouncing_n"].value == 1 and res.metrics["bouncing_n"].status == "work_on"
    f = _finding(res, "stretch_bouncing")
    assert f.status == "flag" and f.ranges_s == ((start, end),)
    # the cue is spoken while it bounces, the live metric says so
    t = series.t_s
    said = [t[k] for k, c in enumerate(spoken) if c and "bounce" in c.lower()]
    assert said and t0 <= said[0] <= t0 + 3.0
    assert max(bouncing_metric) == 1.0 and bouncing_metric[-1] == 0.0
    # one hold: bouncing does not break it; still time excludes the bounce
    assert len(res.tables["holds"].rows) == 1
    assert res.metrics["still_s"].value == pytest.approx(
        res.metrics["hold_s"].value - (end - start), abs=1e-6
    )
    assert {res.frames[k].form for k in range(len(res.frames)) if t0 + 1.5 < t[k] < t1 - 1.5} == {
        "bouncing"
    }


@pytest.mark.parametrize(
    ("pp_deg", "hz", "bounces"),
    [
        (7.0, 1.0, False),  # under the amplitude floor (pose jitter's size)
        (14.0, 1.0, True),  # over it
        (14.0, 0.3, False),  # a breath's pace, not a bounce
        (14.0, 1.5, True),
    ],
)
def test_noise_near_the_bounce_thresholds(pp_deg: float, hz: float, bounces: bool) -> None:
    phases = [Phase(1.0, "out"), Phase(20.0, angle=100.0, bounce_pp_deg=pp_deg, bounce_hz=hz)]
    series, _ = X.stretch_series("hamstring-stretch", phases, noise_px=1.5, seed=3)
    res = sm.analyze("hamstring-stretch", series, Settings())
    assert (res.metrics["bouncing_n"].value > 0) == bounces
    assert len(res.tables["holds"].rows) == 1


def test_a_slow_settle_into_the_stretch_is_not_bouncing() -> None:
    phases = [Phase(1.0, "out"), Phase(20.0, angle=55.0, settle_deg=30.0, settle_s=4.0)]
    series, truth = X.stretch_series("forward-fold", phases, noise_px=1.0)
    res = sm.analyze("forward-fold", series, Settings())
    assert res.metrics["bouncing_n"].value == 0
    assert _finding(res, "stretch_bouncing").status == "ok"
    # timed from when the fold is deep enough (past forward_fold_hip_max_deg), not before
    assert res.metrics["hold_s"].value <= truth.hold_s()
    assert res.metrics["hold_s"].value > truth.hold_s() - 4.0


def test_a_person_leaving_mid_hold_stops_the_clock() -> None:
    phases = [Phase(1.0, "out"), Phase(10.0), Phase(3.0, "absent"), Phase(12.0)]
    series, truth = X.stretch_series("knee-hug", phases)
    res = sm.analyze("knee-hug", series, Settings())
    got = _holds(res)
    assert [b - a for a, b, _ in got] == pytest.approx([10.0, 12.0], abs=T_TOL)
    assert res.metrics["hold_s"].value == pytest.approx(truth.hold_s(), abs=2 * T_TOL)
    assert "person_absent" in {n.code for n in res.notices}
    assert [e.kind for e in res.events if e.kind.startswith("hold_")][:3] == [
        "hold_start",
        "hold_break",
        "hold_start",
    ]


def test_the_wrong_side_first_is_timed_per_side_and_said_not_faulted() -> None:
    phases = [Phase(1.0, "out"), Phase(31.0, side="right"), Phase(2.0, "out"), Phase(12.0)]
    series, _ = X.stretch_series("hip-flexor-stretch", phases)
    live = sm.HipFlexorStretchAnalyzer(Settings())
    right_done = left_at_right_done = None
    cues = []
    for k in range(series.n_frames):
        up = live.update(series.xyzv[k], float(series.t_s[k]), series.width, series.height)
        m = up.metrics or {}
        cues.append(up.cue)
        if right_done is None and any(e.kind == "hold_target" for e in up.events):
            right_done = up.events[0].side
            left_at_right_done = m["hold_s_left"]
    assert right_done == "right" and left_at_right_done == 0.0
    assert any(c and "Switch sides" in c for c in cues)
    res = live.result()
    hold = res.metrics["hold_s"]
    assert hold.right == pytest.approx(31.0, abs=T_TOL)
    assert hold.left == pytest.approx(12.0, abs=T_TOL)
    f = _finding(res, "stretch_hold")
    assert f.status == "ok"
    assert "Started on the right side" in f.message and "left side at least 30 s" in f.message


def test_a_photo_has_no_hold_time() -> None:
    series, _ = X.stretch_series("childs-pose", [Phase(1.0)])
    res = sm.analyze("childs-pose", series.take(slice(10, 11)), Settings())
    assert res.metrics["hold_s"].value is None
    assert _finding(res, "stretch_hold").status == "not_measurable"


def test_never_in_position_says_so() -> None:
    series, _ = X.stretch_series("figure-4", [Phase(5.0, "out")])
    res = sm.analyze("figure-4", series, Settings())
    assert res.metrics["hold_s"].value == 0
    assert _finding(res, "stretch_bouncing").status == "not_measurable"
    assert "not_in_position" in {n.code for n in res.notices}


@pytest.mark.parametrize("name", sorted(X.MOVES))
def test_auto_recognises_the_stretch(name: str) -> None:
    """Also where the posture classifier names a position too (a seated fold is upright,
    a knee hug lies on the back with a knee up like the bridge)."""
    assert activities.classify(X.default_series(name))[0] == name


# ---------------------------------------------------------------------------------------
# the bounce detector alone
def _feed(xs: np.ndarray, t: np.ndarray) -> BounceDetector:
    d = BounceDetector(10.0, 1.0, 3)
    for k, (x, tt) in enumerate(zip(xs, t, strict=True)):
        d.update(float(x), float(tt), k)
    return d


def test_bounce_detector_on_set_signals() -> None:
    t = np.arange(0, 10, 1 / 30)
    sine = 60 + 8 * np.sin(2 * math.pi * 1.0 * t)  # 16 deg peak to peak, 1 Hz
    d = _feed(sine, t)
    assert len(d.episodes) == 1
    assert d.episodes[0].amplitude_deg == pytest.approx(16.0, abs=0.5)
    assert d.episodes[0].rate_hz == pytest.approx(1.0, abs=0.1)
    assert _feed(60 + 4.5 * np.sin(2 * math.pi * t), t).episodes == []  # 9 deg: under
    settle = 90 - 30 * np.clip(t / 3, 0, 1)  # one slow swing
    assert _feed(settle, t).episodes == []
    overshoot = np.where(t < 1, 90 - 40 * t, np.where(t < 2, 50 + 12 * (t - 1), 62))
    assert _feed(overshoot, t).episodes == []  # settle, overshoot and back: two swings
    nan = sine.copy()
    nan[::7] = np.nan  # missing angles are skipped, not read as swings
    assert len(_feed(nan, t).episodes) == 1
    assert _feed(np.array([]), np.array([])).episodes == []


@pytest.mark.parametrize("name", NAMES)
def test_each_stretch_watches_its_stretched_angle_for_bouncing(name: str) -> None:
    phases = [Phase(1.0, "out"), Phase(4.0), Phase(8.0, bounce_pp_deg=16.0), Phase(6.0)]
    series, truth = X.stretch_series(name, phases, noise_px=1.0, seed=1)
    res = sm.analyze(name, series, Settings())
    rows = res.tables["bouncing"].rows
    assert len(rows) == 1, rows
    ((t0, t1),) = truth.bounces
    assert t0 <= rows[0][1] <= t0 + 1.0 and t1 - 1.0 <= rows[0][2] <= t1
    # the 4 Hz smoothing takes a little off a 1 Hz bounce
    assert rows[0][5] == pytest.approx(16.0, abs=3.0)
    assert len(res.tables["holds"].rows) == 1
