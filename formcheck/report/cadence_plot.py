"""The cadence chart's dots: each step's own cadence under the windowed cadence line.

A single step's rate (60 / step time) jumps by a frame's worth at 25-30 fps (164 or
180 steps/min for the same runner), so the chart's line is the windowed cadence
(a stride fit over a few seconds, :func:`formcheck.gait.cadence.windowed_cadence`)
and the steps are faint dots beside it.
"""

from __future__ import annotations

import math

from formcheck.gait.cadence import CADENCE_WINDOW_S, PER_STEP_CADENCE
from formcheck.report.model import Report

__all__ = ["PER_STEP_CADENCE", "per_step_dots"]


def _finite(xs: object) -> list[float | None]:
    return [
        float(x) if isinstance(x, (int, float)) and math.isfinite(float(x)) else None
        for x in xs  # type: ignore[attr-defined]
    ]


def per_step_dots(ax: object, report: Report, base: str) -> str:
    """Draw each step's cadence as faint dots on the ``cadence_spm`` chart; the y axis
    spans the line and the middle 90 % of the dots. Returns the caption's words for
    them ("" when there are none, or for another chart)."""
    if base != "cadence_spm" or PER_STEP_CADENCE not in report.plots:
        return ""
    t, v, _u = report.plots[PER_STEP_CADENCE]
    pts = [(a, b) for a, b in zip(t, _finite(v), strict=False) if b is not None]
    if not pts:
        return ""
    xs, ys = zip(*pts, strict=True)
    ax.scatter(xs, ys, color="#333333", s=9, alpha=0.25, lw=0, zorder=1)  # type: ignore[attr-defined]
    line = [b for b in _finite(report.plots[base][1]) if b is not None]
    ordered = sorted(ys)
    lo = min([ordered[int(0.05 * (len(ordered) - 1))], *line])
    hi = max([ordered[int(0.95 * (len(ordered) - 1))], *line])
    ax.set_ylim(lo - 5.0, hi + 5.0)  # type: ignore[attr-defined]
    return (
        f" Line: cadence from the steps of about {CADENCE_WINDOW_S:g} s around each moment; "
        "faint dots: each step on its own."
    )
