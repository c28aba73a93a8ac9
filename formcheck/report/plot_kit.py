"""What every report chart is made of: the figure, its SVG data URI, units, and
formcheck's default target drawn as a band or a dashed line.

Matplotlib's object API only (``Figure``, never ``pyplot``): no GUI backend is
touched. Text is stored as paths, so no font is needed (or fetched) to show it.
"""

from __future__ import annotations

import base64
import io
import math
from dataclasses import dataclass

from matplotlib.figure import Figure

from formcheck.cues import thresholds as th
from formcheck.render.style import STATUS_HEX

#: Above this many markers in one chart (a long run has thousands of steps) the
#: markers and lines are drawn into an embedded bitmap instead of one SVG path
#: each: the chart looks the same, but its size stops growing with the clip (a
#: 10-minute run's step chart was about 330 KB of SVG, its HTML report 4.3 MB).
DENSE_POINTS = 300

#: Resolution (dots per inch) of those bitmaps: 1.5x the 100-dpi figure, sharp
#: enough on a high-density screen; 120-180 KB for a step chart of any length.
DENSE_DPI = 150

RC = {
    "svg.fonttype": "path",
    "svg.hashsalt": "formcheck",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "figure.dpi": 100,
}


@dataclass(frozen=True, slots=True)
class Chart:
    """One chart: a stable key, a title, a caption and the SVG as a data URI."""

    key: str
    title: str
    caption: str
    uri: str


def svg_uri(fig: Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None}, dpi=DENSE_DPI)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def new_figure(width_in: float = 5.6, height_in: float = 2.5) -> tuple[Figure, object]:
    fig = Figure(figsize=(width_in, height_in))
    ax = fig.add_subplot(1, 1, 1)
    return fig, ax


def unit_label(unit: str) -> str:
    return {"deg": "degrees", "°": "degrees", "steps/min": "steps/min"}.get(unit, unit)


def same_unit(a: str, b: str) -> bool:
    norm = {"°": "deg", "degrees": "deg", "spm": "steps/min", "leglen": "leg lengths"}
    return norm.get(a.strip(), a.strip()) == norm.get(b.strip(), b.strip())


def default_target(name: str, unit: str) -> tuple[float | None, float | None, str] | None:
    """Default target (low, high, label) for a metric name, from the thresholds table."""
    low = name.lower()

    def val(key: str) -> tuple[float, str]:
        t = th.THRESHOLDS[key]
        return float(t.value), t.unit

    rules: list[tuple[tuple[str, ...], str | None, str | None, str]] = [
        (("cadence",), "cadence_low_spm", "cadence_high_spm", "target"),
        (("overstride",), None, "overstride_ok_leglen", "good up to"),
        (("shin",), None, "shin_angle_flag_deg", "flagged above"),
        (("trunk",), None, "trunk_lean_good_max_deg", "suggest taller above"),
        (("waist",), None, "waist_bend_flag_deg", "flagged above"),
        (("head_forward",), None, "head_forward_flag_deg", "flagged above"),
        (("oscillation",), None, "bounce_flag_leglen", "flagged above"),
        (("bounce",), None, "bounce_flag_leglen", "flagged above"),
        (("vertical_ratio",), None, "vertical_ratio_flag_pct", "flagged above"),
        (("contact_time",), None, "contact_time_flag_ms", "flagged above"),
        (("shoulder", "hip", "knee"), "bridge_top_min_deg", None, "top target from"),
    ]
    for keys, lo_k, hi_k, label in rules:
        if all(k in low for k in keys):
            lo = hi = None
            for k, which in ((lo_k, "lo"), (hi_k, "hi")):
                if k is None:
                    continue
                v, u = val(k)
                if not same_unit(u, unit):
                    return None
                if which == "lo":
                    lo = v
                else:
                    hi = v
            return lo, hi, label
    return None


def draw_target(ax: object, target: tuple[float | None, float | None, str] | None) -> str:
    if target is None:
        return ""
    lo, hi, label = target
    if lo is not None and hi is not None:
        ax.axhspan(lo, hi, color=STATUS_HEX["ok"], alpha=0.12, lw=0)  # type: ignore[attr-defined]
        return f" Shaded: formcheck's default target ({lo:g}-{hi:g})."
    v = hi if hi is not None else lo
    ax.axhline(v, color=STATUS_HEX["flag"], lw=1, ls="--", alpha=0.8)  # type: ignore[attr-defined]
    return f" Dashed line: {label} {v:g} (formcheck's default)."


def finite(xs: list[object]) -> list[float | None]:
    out: list[float | None] = []
    for x in xs:
        if isinstance(x, (int, float)) and math.isfinite(float(x)):
            out.append(float(x))
        else:
            out.append(None)
    return out
