"""The sustained stretches a finding flagged, shaded on its metric's chart.

A finding judged over time (:class:`formcheck.results.Stretch`) carries the time
ranges where its metric's moving-window median stayed past the flag
(``Finding.ranges_s``); the chart of that metric shades them.
"""

from __future__ import annotations

from formcheck.cues.words import STRETCHES_LABEL
from formcheck.render.style import STATUS_HEX
from formcheck.report.model import Report


def shade_stretches(ax: object, report: Report, base: str) -> str:
    """Shade the ranges of the findings on metric ``base``; the caption's sentence."""
    ranges = [r for f in report.findings if f.metric == base for r in f.ranges_s]
    for a, b in ranges:
        ax.axvspan(a, b, color=STATUS_HEX["flag"], alpha=0.15, lw=0)  # type: ignore[attr-defined]
    if not ranges:
        return ""
    shown = ", ".join(f"{a:.1f}-{b:.1f} s" for a, b in ranges[:4])
    more = f" and {len(ranges) - 4} more" if len(ranges) > 4 else ""
    return f" Red bands: {STRETCHES_LABEL} ({shown}{more})."
