"""The HTML report's charts, per-step / per-rep tables and key-frame gallery."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from formcheck.cues.format import unit_text
from formcheck.render.angles import pretty_name
from formcheck.report import review
from formcheck.report.html_kit import esc, figure, num
from formcheck.report.model import Report
from formcheck.report.plot_kit import Chart
from formcheck.results import Table

if TYPE_CHECKING:
    from formcheck.report.keyframes import KeyFrame

#: Longest per-step/per-rep table shown in full (the JSON always has every row).
MAX_TABLE_ROWS = 400
#: Table columns that number things (shown without decimals).
_INDEX_COLS = {"frame", "step", "rep", "hold", "set", "index", "n", "top_frame", "contact_frame"}
_TABLE_TITLES = {
    "steps": "Step by step",
    "contacts": "Contact by contact",
    "reps": "Rep by rep",
    "holds": "Hold by hold",
}


def charts(charts: Sequence[Chart]) -> str:
    if not charts:
        return (
            '<section id="charts"><h2>Over time</h2><p class="empty">Nothing to plot for this '
            "clip.</p></section>"
        )
    figs = "".join(
        f'<figure class="chart" data-chart="{esc(c.key)}"><img src="{c.uri}" '
        f'alt="{esc(c.title)}"><figcaption>{esc(c.caption)}</figcaption></figure>'
        for c in charts
    )
    return f'<section id="charts"><h2>Over time</h2><div class="charts">{figs}</div></section>'


def _row_time(report: Report, table: Table, row: tuple[object, ...]) -> float | None:
    cols = [c.lower() for c in table.columns]
    for name in ("t_s", "time_s", "t_start_s", "start_s"):
        if name in cols:
            v = row[cols.index(name)]
            if isinstance(v, (int, float)) and math.isfinite(v):
                return float(v)
    for name in ("frame", "top_frame", "contact_frame"):
        if name in cols:
            v = row[cols.index(name)]
            if isinstance(v, (int, float)) and 0 <= int(v) < review.n_frames(report):
                return review.frame_time(report, int(v))
    return None


def _col_label(col: str, unit: str) -> str:
    label, _ = pretty_name(col)
    if col.lower() == "t_s":
        label = "Time"
    elif label.endswith(" t") and unit == "s":
        label = label[:-2]  # "toe_off_t_s": the time of the toe-off
    for suffix in (" leg lengths", " ms", " s"):
        if unit and label.endswith(suffix.strip()):
            label = label[: -len(suffix.strip())].rstrip()
    return f"{label} ({unit_text(unit)})" if unit else label


def _table(report: Report, key: str, table: Table, heading: bool = True) -> str:
    head = "".join(
        f'<th class="{"n" if u else ""}" data-col="{esc(c)}">{esc(_col_label(c, u))}</th>'
        for c, u in zip(table.columns, table.units, strict=True)
    )
    rows = []
    for r, row in enumerate(table.rows[:MAX_TABLE_ROWS]):
        cells = []
        for j, (v, u) in enumerate(zip(row, table.units, strict=True)):
            if isinstance(v, str):
                cls = f' class="side-{esc(v)}"' if v in ("left", "right") else ""
                cells.append(f"<td{cls}>{esc(v)}</td>")
            elif v is None or (isinstance(v, float) and not math.isfinite(v)):
                cells.append('<td class="n">—</td>')
            else:
                unit = "count" if table.columns[j].lower() in _INDEX_COLS else u
                cells.append(
                    f'<td class="n">{num(float(v), unit, f"tables.{key}.rows.{r}.{j}")}</td>'
                )
        t = _row_time(report, table, row)
        attr = f' data-t="{t:.3f}"' if t is not None else ""
        rows.append(f"<tr{attr}>{''.join(cells)}</tr>")
    more = ""
    if len(table.rows) > MAX_TABLE_ROWS:
        more = (
            f'<p class="hint">First {MAX_TABLE_ROWS} of {len(table.rows)} rows; '
            "report.json has them all.</p>"
        )
    name = _TABLE_TITLES.get(key, pretty_name(key)[0])
    return (
        f'<div class="tbl" data-table="{esc(key)}">{f"<h3>{esc(name)}</h3>" if heading else ""}'
        f'<div class="tablewrap"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>{more}</div>"
    )


def tables(report: Report) -> str:
    tables = [(k, t) for k, t in report.tables.items() if t.rows]
    if not tables:
        return (
            '<section id="tables"><h2>Step by step</h2><p class="empty">No per-step or '
            "per-rep table for this clip.</p></section>"
        )
    if len(tables) == 1:
        heading = _TABLE_TITLES.get(tables[0][0], pretty_name(tables[0][0])[0])
    else:
        heading = "Step by step" if report.activity == "run" else "Rep by rep"
    body = "".join(_table(report, k, t, heading=len(tables) > 1) for k, t in tables)
    return (
        f'<section id="tables"><h2>{heading}</h2><p class="hint">Click a row to see that '
        f"moment in the annotated video.</p>{body}</section>"
    )


def gallery(keyframes: Sequence[KeyFrame]) -> str:
    shown = [k for k in keyframes if k.embed_jpeg is not None]
    if not shown:
        return ""
    figs = "".join(figure(k, "kf") for k in shown)
    return (
        '<section id="keyframes"><h2>Key frames</h2><p class="hint">Each picture is the '
        "annotated frame the number was measured on; files are in the keyframes folder."
        f'</p><div class="gallery">{figs}</div></section>'
    )
