"""The report's charts, drawn with matplotlib as embedded SVG (no window, no pyplot).

Every chart reads values the analyzers already produced (``report.plots``,
``report.tables``, ``report.frames``, ``report.events``); nothing is
re-measured. Figures are made with matplotlib's object API (``Figure``), never
``pyplot``, so no GUI backend is touched and the global backend of a host
process (the Streamlit app) is left alone. Charts are returned as
``data:image/svg+xml;base64`` URIs so the HTML report stays one self-contained
file; text is stored as paths, so no font is needed (or fetched) to show it.

Which charts: for running, every time series the analyzer gives and each
per-step column over time with left and right told apart (cadence, trunk lean,
vertical oscillation, overstride ...); for exercises, rep-by-rep angles and
tempo, and hold form over time (angle with good / flagged stretches shaded).
A shaded band or dashed line marks formcheck's default target from
:mod:`formcheck.cues.thresholds` when the units agree.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import matplotlib

from formcheck.cues.judge import form_status
from formcheck.render.angles import pretty_name
from formcheck.render.style import SIDE_HEX, STATUS_HEX
from formcheck.report.cadence_plot import PER_STEP_CADENCE, per_step_dots
from formcheck.report.model import Report
from formcheck.report.plot_kit import (
    DENSE_POINTS,
    RC,
    Chart,
    default_target,
    draw_target,
    finite,
    new_figure,
    svg_uri,
    unit_label,
)
from formcheck.report.plot_stretches import shade_stretches
from formcheck.results import Table

#: Keywords in order of importance for a runner with a sore lower back.
_RUN_ORDER = (
    "cadence",
    "overstride",
    "shin",
    "knee",
    "trunk",
    "lean",
    "oscillation",
    "bounce",
    "vertical",
    "head",
    "contact_time",
    "step_time",
    "strike",
    "duty",
)
#: At most this many per-step charts.
MAX_STEP_CHARTS = 6


# ---------------------------------------------------------------------------------------
def series_charts(report: Report) -> list[Chart]:
    """Line charts of ``report.plots`` (name -> t_s, values, unit); left/right paired."""
    groups: dict[str, list[tuple[str, str | None]]] = {}
    for name in (n for n in report.plots if n != PER_STEP_CADENCE):  # dots: cadence chart
        base, side = name, None
        for s in ("left", "right"):
            for pat in (f"_{s}_", f"_{s}"):
                if pat in name and side is None:
                    base, side = name.replace(pat, "_", 1).rstrip("_"), s
        groups.setdefault(base, []).append((name, side))
    charts = []
    for base, members in sorted(groups.items(), key=lambda kv: _order(kv[0])):
        fig, ax = new_figure()
        unit = report.plots[members[0][0]][2]
        dots = per_step_dots(ax, report, base)
        drawn = False
        for name, side in members:
            t, v, _u = report.plots[name]
            vals = finite(list(v))
            if not any(x is not None for x in vals):
                continue
            xs = [a for a, b in zip(t, vals, strict=False) if b is not None]
            ys = [b for b in vals if b is not None]
            color = SIDE_HEX[side] if side else "#333333"
            ax.plot(
                xs,
                ys,
                color=color,
                lw=1.4,
                marker="o" if len(xs) < 80 and not dots else None,
                ms=3,
                label=side or None,
            )
            drawn = True
        if not drawn:
            continue
        cap = draw_target(ax, default_target(base, unit)) + shade_stretches(ax, report, base)
        title, _ = pretty_name(base)
        ax.set_xlabel("time (s)")
        ax.set_ylabel(unit_label(unit))
        ax.set_title(title)
        if any(s for _, s in members):
            ax.legend(loc="best", frameon=False)
        what = f"{title} over the clip.{dots}{cap}"
        charts.append(Chart(f"series_{base}", title, what, svg_uri(fig)))
    return charts


def _order(name: str) -> tuple[int, str]:
    low = name.lower()
    for i, k in enumerate(_RUN_ORDER):
        if k in low:
            return i, name
    return len(_RUN_ORDER), name


def _col(table: Table, name: str) -> int | None:
    cols = [c.lower() for c in table.columns]
    return cols.index(name) if name in cols else None


def step_charts(
    table: Table, key: str = "steps", skip: frozenset[str] = frozenset()
) -> list[Chart]:
    """Per-step values over time, one chart per column, left and right told apart."""
    tcol, scol = table.time_column(), _col(table, "side")
    if tcol is None:
        tcol = _col(table, "step")
    if tcol is None:
        return []
    xlabel = "time (s)" if table.columns[tcol].lower() != "step" else "step"
    cols = [
        j
        for j, c in enumerate(table.columns)
        if Table.is_measurement(c)
        and c not in skip
        and j not in (tcol, scol)
        and any(isinstance(r[j], (int, float)) for r in table.rows)
    ]
    cols.sort(key=lambda j: _order(table.columns[j]))
    charts = []
    for j in cols[:MAX_STEP_CHARTS]:
        name, unit = table.columns[j], table.units[j]
        fig, ax = new_figure()
        drawn = False
        for side in ("left", "right", None):
            pts = [
                (float(r[tcol]), float(r[j]))  # type: ignore[arg-type]
                for r in table.rows
                if isinstance(r[tcol], (int, float))
                and isinstance(r[j], (int, float))
                and math.isfinite(float(r[j]))
                and ((scol is None and side is None) or (scol is not None and r[scol] == side))
            ]
            if not pts:
                continue
            xs, ys = zip(*pts, strict=True)
            color = SIDE_HEX[side] if side else "#333333"
            marker = "o" if side != "right" else "s"
            dense = len(table.rows) > DENSE_POINTS
            ax.plot(xs, ys, color=color, lw=0.8, alpha=0.6, rasterized=dense)
            ax.scatter(
                xs,
                ys,
                color=color,
                s=14,
                marker=marker,
                label=side or None,
                zorder=3,
                rasterized=dense,
            )
            drawn = True
        if not drawn:
            continue
        cap = draw_target(ax, default_target(name, unit))
        title, _ = pretty_name(name)
        ax.set_title(f"{title}, step by step")
        ax.set_xlabel(xlabel)
        ax.set_ylabel(unit_label(unit))
        if scol is not None:
            ax.legend(loc="best", frameon=False, title="foot")
        charts.append(
            Chart(
                f"{key}_{name}",
                f"{title}, step by step",
                f"{title} at each step (left foot: circles, right foot: squares).{cap}",
                svg_uri(fig),
            )
        )
    return charts


def rep_charts(table: Table, key: str = "reps") -> list[Chart]:
    """Rep-by-rep (or hold-by-hold) bars: angles in one chart, durations (tempo) in another."""
    xname = next(
        (c for c in ("rep", "hold", "set", "side_rep") if _col(table, c) is not None), "rep"
    )
    rcol = _col(table, xname)
    n = len(table.rows)
    if n == 0:
        return []
    x = [
        int(r[rcol]) if rcol is not None and isinstance(r[rcol], (int, float)) else k + 1
        for k, r in enumerate(table.rows)
    ]
    groups = {
        "deg": [
            j
            for j, u in enumerate(table.units)
            if u in ("deg", "°") and Table.is_measurement(table.columns[j])
        ],
        "s": [
            j
            for j, u in enumerate(table.units)
            if u == "s" and Table.is_measurement(table.columns[j])
        ],
    }
    charts = []
    for unit, cols in groups.items():
        if not cols:
            continue
        fig, ax = new_figure()
        width = 0.8 / len(cols)
        palette = ["#2f7fd8", "#f08a24", "#2e9d55", "#8b5cf6", "#d43c3c", "#555555"]
        for k, j in enumerate(cols):
            ys = finite([r[j] for r in table.rows])
            xs = [xx + (k - (len(cols) - 1) / 2) * width for xx in x]
            ax.bar(
                [a for a, b in zip(xs, ys, strict=True) if b is not None],
                [b for b in ys if b is not None],
                width=width * 0.95,
                color=palette[k % len(palette)],
                label=pretty_name(table.columns[j])[0],
            )
        cap = ""
        if unit == "deg":
            lows = [
                v
                for j in cols
                for r in table.rows
                if isinstance((v := r[j]), (int, float)) and math.isfinite(float(v))
            ]
            if lows:
                ax.set_ylim(max(0.0, min(lows) - 15), min(200.0, max(lows) + 10))
            for j in cols:
                if "top" in table.columns[j].lower():
                    cap = draw_target(ax, default_target("shoulder_hip_knee_top", "deg"))
                    break
        ax.set_xticks(x)
        ax.set_xlabel(xname)
        ax.set_ylabel(unit_label(unit))
        what = "Angles" if unit == "deg" else ("Tempo" if xname == "rep" else "Times")
        title = f"{what}, {xname} by {xname}"
        ax.set_title(title)
        ax.legend(loc="best", frameon=False, fontsize=8)
        charts.append(Chart(f"{key}_{unit}", title, f"{title}.{cap}", svg_uri(fig)))
    return charts


@dataclass(frozen=True, slots=True)
class _Hold:
    chart: Chart
    title_key: str


def hold_chart(report: Report) -> _Hold | None:
    """Hold form over time: the body-line angle, flagged stretches shaded red."""
    frames = [f for f in report.frames if f.angles]
    if not frames or not any(f.form for f in report.frames):
        return None
    names: list[str] = []
    for f in frames:
        for n in f.angles:
            if n not in names:
                names.append(n)
    name = next(
        (n for n in names if any(k in n.lower() for k in ("line", "dev", "ankle"))), names[0]
    )
    pts = [(f.t_s, f.angles.get(name)) for f in frames]
    pts = [(t, v) for t, v in pts if v is not None and math.isfinite(v)]
    if not pts:
        return None
    fig, ax = new_figure()
    xs, ys = zip(*pts, strict=True)
    ax.plot(xs, ys, color="#333333", lw=1.3)
    ordered = sorted(report.frames, key=lambda f: f.t_s)
    start = None
    for k, f in enumerate(ordered):
        bad = form_status(f.form) == "work_on"
        if bad and start is None:
            start = f.t_s
        end_here = (not bad or k == len(ordered) - 1) and start is not None
        if end_here:
            ax.axvspan(start, f.t_s, color=STATUS_HEX["flag"], alpha=0.15, lw=0)
            start = None
    title, unit = pretty_name(name)
    ax.set_title(f"{title} during the hold")
    ax.set_xlabel("time (s)")
    ax.set_ylabel(unit_label("deg" if unit.strip() in ("", "°") else unit.strip()))
    chart = Chart(
        "hold_form",
        f"{title} during the hold",
        f"{title} over time; red stretches: form flagged.",
        svg_uri(fig),
    )
    return _Hold(chart, name)


def contact_chart(report: Report) -> Chart | None:
    """Foot contacts over time, left above and right below, with step times."""
    contacts = sorted(
        (e for e in report.events if e.kind == "initial_contact"), key=lambda e: e.t_s
    )
    if len(contacts) < 2:
        return None
    fig, ax = new_figure(height_in=1.6)
    dense = len(contacts) > DENSE_POINTS
    for side, y in (("left", 1), ("right", 0)):
        ts = [e.t_s for e in contacts if e.side == side]
        if ts:
            ax.scatter(
                ts,
                [y] * len(ts),
                color=SIDE_HEX[side],
                s=28,
                marker="|",
                linewidths=2.5,
                label=side,
                rasterized=dense,
            )
    other = [e.t_s for e in contacts if e.side not in ("left", "right")]
    if other:
        ax.scatter(other, [0.5] * len(other), color="#333333", s=28, marker="|", rasterized=dense)
    ax.set_yticks([0, 1], ["right", "left"])
    ax.set_ylim(-0.6, 1.6)
    ax.set_xlabel("time (s)")
    ax.set_title("Foot contacts")
    ax.grid(axis="y", visible=False)
    return Chart(
        "contacts", "Foot contacts", f"{len(contacts)} initial contacts detected.", svg_uri(fig)
    )


def _is_per_step(key: str, table: Table) -> bool:
    """A per-step table: named so, or with a side column holding left/right."""
    if key.startswith(("step", "contact")):
        return True
    scol = _col(table, "side")
    return (
        scol is not None
        and any(r[scol] in ("left", "right") for r in table.rows)
        and (_col(table, "rep") is None)
    )


#: ``rc_context`` sets matplotlib's process-wide settings and puts them back after:
#: one report's charts at a time (the app draws them in Streamlit's script threads,
#: and may export a report while another page draws its summary).
_RC_LOCK = threading.Lock()


def report_charts(report: Report) -> list[Chart]:
    """All charts for a report, most useful first; empty when there is nothing to plot."""
    with _RC_LOCK, matplotlib.rc_context(RC):
        charts: list[Chart] = []
        hold = None if report.activity == "run" else hold_chart(report)
        for c in series_charts(report):
            if hold is not None and c.key == f"series_{hold.title_key}":
                continue  # the hold chart shows the same angle with its flagged stretches
            charts.append(c)
        for key, table in report.tables.items():
            if not table.rows:
                continue
            if _is_per_step(key, table):
                done = frozenset(c.key.removeprefix("series_") for c in charts)
                charts += step_charts(table, key, skip=done)
            else:
                charts += rep_charts(table, key)
        if report.activity == "run":
            c = contact_chart(report)
            if c is not None:
                charts.append(c)
        elif hold is not None:
            charts.append(hold.chart)
    return charts
