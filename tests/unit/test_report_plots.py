"""report/plots.py: charts of long runs stay small (markers go into a bitmap)."""

from __future__ import annotations

import base64
from types import SimpleNamespace

import numpy as np

from formcheck.gait.cadence import PER_STEP_CADENCE
from formcheck.report.plots import DENSE_POINTS, series_charts, step_charts
from formcheck.results import Table


def _steps(n: int) -> Table:
    rng = np.random.default_rng(0)
    rows = tuple(
        (0.36 * i, "left" if i % 2 == 0 else "right", float(170 + rng.normal(0, 4)))
        for i in range(n)
    )
    return Table(("t_s", "side", "knee_flexion_deg"), ("s", "", "deg"), rows)


def _svg(n: int) -> str:
    (chart,) = step_charts(_steps(n))
    return base64.b64decode(chart.uri.split(",", 1)[1]).decode("utf-8")


def test_a_few_steps_are_vector_markers() -> None:
    svg = _svg(40)
    assert "<image" not in svg


def test_many_steps_do_not_grow_the_chart() -> None:
    """A 10-minute run (about 1700 steps) and a 20-minute one give charts of about
    the same size; drawn as vector markers they grew by about 200 bytes a step."""
    a, b = _svg(1700), _svg(3400)
    assert "<image" in a and "<image" in b
    assert len(b) < 1.2 * len(a)
    assert len(a) < 300_000  # a bitmap of the plot area, not 1700 paths
    assert DENSE_POINTS < 1700


def test_cadence_chart_is_a_windowed_line_with_faint_step_dots() -> None:
    """Issue 20 item 8: per-step cadence zig-zags by a frame's worth (here 160/180)
    around the fitted 170; the chart's line is the windowed cadence, the steps faint
    dots on the same chart (not a chart of their own)."""
    t = tuple(0.35 * np.arange(60))
    steps = tuple(170.0 + np.where(np.arange(60) % 2, 10.0, -10.0))
    plots = {
        "cadence_spm": (t, (170.0,) * 60, "steps/min"),
        PER_STEP_CADENCE: (t, steps, "steps/min"),
    }
    charts = series_charts(SimpleNamespace(plots=plots, findings=[]))  # type: ignore[arg-type]
    assert [c.key for c in charts] == ["series_cadence_spm"]
    assert "faint dots: each step" in charts[0].caption
    svg = base64.b64decode(charts[0].uri.split(",", 1)[1]).decode("utf-8")
    assert "fill-opacity: 0.25" in svg  # the dots
