"""An edit's cut to a new shot ends what is timed or counted at the cut.

After a cut the next shot's time is not the last one's (it may be filmed later or
from elsewhere), so a hold cannot run on through a cut, nor a rep be made of the
half before and the half after it, however short the gap
(:func:`formcheck.pose.shots.settle_after_cuts` leaves out only the first
:data:`~formcheck.pose.shots.SETTLE_S` of each shot). The same short gap without a
cut (someone lost for a moment) keeps the hold and the rep: each test checks both.

Tolerance: a hold's end is dated to a frame, so one frame at 30 fps.
"""

from __future__ import annotations

import pytest

from formcheck.exercises import glute_bridge, plank, stretch_moves
from formcheck.pose.shots import SETTLE_S, settle_after_cuts
from formcheck.settings import Settings
from tests.fixtures import synthetic_exercises as X
from tests.fixtures.synthetic_stretches import Phase, stretch_series

FPS = 30.0
T_TOL = 1 / FPS + 1e-9


def test_a_plank_hold_ends_at_a_cut() -> None:
    series, _ = X.plank_series(((20.0, 0.0),), fps=FPS)
    cut = 9.0
    gap_only = plank.analyze(X.with_absence(series, [(cut, cut + SETTLE_S)]), Settings())
    assert gap_only.metrics["holds"].value == 1
    res = plank.analyze(settle_after_cuts(series, (cut,)), Settings())
    rows = res.tables["holds"].rows
    assert len(rows) == 2
    assert rows[0][2] == pytest.approx(cut, abs=T_TOL)
    assert rows[0][3] == pytest.approx(cut - rows[0][1], abs=1e-9)
    assert res.metrics["hold_s"].value < gap_only.metrics["hold_s"].value
    assert next(e.t_s for e in res.events if e.kind == "hold_break") == pytest.approx(cut)


def test_a_stretch_hold_ends_at_a_cut() -> None:
    series, _ = stretch_series(
        "childs-pose", [Phase(1.0, "out"), Phase(12.0, side="left"), Phase(1.0, "out")]
    )
    cut = 6.0
    gap_only = stretch_moves.analyze(
        "childs-pose", X.with_absence(series, [(cut, cut + SETTLE_S)]), Settings()
    )
    res = stretch_moves.analyze("childs-pose", settle_after_cuts(series, (cut,)), Settings())
    assert gap_only.tables["holds"].rows[0][2] > cut + 1.0
    assert res.tables["holds"].rows[0][2] == pytest.approx(cut, abs=T_TOL)


@pytest.mark.parametrize("cut", [2.2, 3.3])  # rep 1: top 1.7-2.7 s, lowered 2.7-3.9 s
def test_a_clip_with_a_cut_counts_the_reps_of_its_shots_alone(cut: float) -> None:
    series, truth = X.bridge_series(5, fps=FPS)
    gap_only = glute_bridge.analyze(X.with_absence(series, [(cut, cut + SETTLE_S)]), Settings())
    assert gap_only.metrics["reps"].value == truth.reps
    t = series.t_s
    alone = sum(
        glute_bridge.analyze(part, Settings()).metrics["reps"].value
        for part in (series.between(0.0, cut), series.between(cut + SETTLE_S, t[-1] + 1.0))
    )
    res = glute_bridge.analyze(settle_after_cuts(series, (cut,)), Settings())
    assert res.metrics["reps"].value == alone
