"""The HTML report a runner reads: one self-contained file that opens offline.

Everything is inside the file: CSS, a few lines of JavaScript, the charts (SVG
data URIs) and the key frames (JPEG data URIs); fonts are the reader's own
system fonts (nothing fetched). The annotated video is linked by relative path
(``annotated.mp4`` beside the report) when it was written; clicking a key
frame, a step or a rep jumps the video to that moment.

It renders the :class:`Report` and computes nothing: every number shown is a
value of ``report.to_dict()`` (the JSON twin), marked up as
``<span class="num" data-key="metrics.cadence_spm.value" data-value="168.9">``
so tests (and curious readers) can check them against ``report.json``.
"""

from __future__ import annotations

import base64
import html
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from formcheck.render.angles import pretty_name
from formcheck.render.style import SIDE_HEX, STATUS_HEX
from formcheck.report import review
from formcheck.report.model import NOT_MEDICAL_ADVICE, Report
from formcheck.report.plots import Chart, report_charts
from formcheck.results import Finding, Metric, Table, _num

if TYPE_CHECKING:
    from formcheck.report.keyframes import KeyFrame

#: Longest per-step/per-rep table shown in full (the JSON always has every row).
MAX_TABLE_ROWS = 400

TITLES = {
    "run": "Stride and posture report",
    "glute-bridge": "Glute bridge set",
    "plank": "Plank hold",
    "side-plank": "Side plank hold",
    "bird-dog": "Bird dog set",
}

_STATUS_WORDS = {"flag": "Work on this", "ok": "On target", "not_measurable": "Not measured"}
_STATUS_ORDER = {"flag": 0, "ok": 1, "not_measurable": 2}
_COUNT_UNITS = {"reps", "steps", "count", "contacts", "frames", "holds"}
#: Table columns that number things (shown without decimals).
_INDEX_COLS = {"frame", "step", "rep", "hold", "set", "index", "n", "top_frame", "contact_frame"}
_TABLE_TITLES = {
    "steps": "Step by step",
    "contacts": "Contact by contact",
    "reps": "Rep by rep",
    "holds": "Hold by hold",
}


_CSS_VARS = (
    f":root {{ --ok: {STATUS_HEX['ok']}; --flag: {STATUS_HEX['flag']}; "
    f"--na: {STATUS_HEX['not_measurable']}; --left: {SIDE_HEX['left']}; "
    f"--right: {SIDE_HEX['right']};"
)
_CSS = (
    _CSS_VARS
    + """
  --ink: #1d2330; --muted: #5b6472; --line: #dde1e7; --bg: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); line-height: 1.45;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 24px 20px 48px; }
header h1 { margin: 0 0 4px; font-size: 1.7rem; }
.sub { color: var(--muted); margin: 0 0 10px; word-break: break-all; }
.facts { display: flex; flex-wrap: wrap; gap: 6px; margin: 8px 0 0; padding: 0; list-style: none; }
.facts li { background: #fff; border: 1px solid var(--line); border-radius: 14px;
  padding: 2px 10px; font-size: .85rem; }
section { background: #fff; border: 1px solid var(--line); border-radius: 10px;
  padding: 16px 18px; margin: 18px 0; }
section h2 { margin: 0 0 10px; font-size: 1.2rem; }
.empty { color: var(--muted); font-style: italic; }
.partial { background: #fff4e0; border: 1px solid #f0b45a; padding: 8px 12px; border-radius: 8px; }
.finding { display: grid; grid-template-columns: 1fr auto; gap: 14px; padding: 12px 0;
  border-top: 1px solid var(--line); }
.finding:first-of-type { border-top: 0; }
.finding h3 { margin: 2px 0 6px; font-size: 1.05rem; }
.badge { display: inline-block; color: #fff; border-radius: 4px; padding: 1px 8px;
  font-size: .75rem; font-weight: 600; letter-spacing: .02em; text-transform: uppercase; }
.badge.flag { background: var(--flag); } .badge.ok { background: var(--ok); }
.badge.not_measurable { background: var(--na); }
.finding.flag { border-left: 4px solid var(--flag); padding-left: 12px; }
.finding dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 0;
  font-size: .92rem; }
.finding dt { color: var(--muted); } .finding dd { margin: 0; }
.heur { color: var(--muted); font-size: .85rem; }
.num { font-variant-numeric: tabular-nums; font-weight: 600; }
figure { margin: 0; }
figure.key img { display: block; max-height: 260px; max-width: 220px; border-radius: 6px;
  border: 1px solid var(--line); cursor: pointer; }
figure.key figcaption, .gallery figcaption { font-size: .8rem; color: var(--muted);
  max-width: 220px; }
.gallery { display: flex; flex-wrap: wrap; gap: 14px; }
.gallery img { display: block; max-height: 300px; max-width: 100%; border-radius: 6px;
  border: 1px solid var(--line); cursor: pointer; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { background: #f0f2f5; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr[data-t] { cursor: pointer; } tr[data-t]:hover { background: #eef5ff; }
.side-left { color: var(--left); font-weight: 600; }
.side-right { color: var(--right); font-weight: 600; }
.tablewrap { overflow-x: auto; max-height: 520px; overflow-y: auto; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(400px, 1fr));
  gap: 10px 18px; }
.chart { margin: 4px 0 8px; } .chart img { width: 100%; height: auto; }
.chart figcaption { font-size: .82rem; color: var(--muted); }
video { width: 100%; max-height: 70vh; background: #000; border-radius: 8px; }
.hint { font-size: .85rem; color: var(--muted); }
ul.notes { margin: 0; padding-left: 20px; } ul.notes li { margin: 4px 0; }
.disclaimer { font-weight: 600; }
footer { color: var(--muted); font-size: .78rem; margin-top: 24px; }
@media (max-width: 640px) { .finding { grid-template-columns: 1fr; } }
@media print {
  body { background: #fff; font-size: 11pt; } main { max-width: none; padding: 0; }
  section { border: 0; padding: 0; margin: 14px 0; break-inside: auto; }
  .finding, figure, .chart, tr { break-inside: avoid; }
  #video, .hint { display: none; } .tablewrap { max-height: none; overflow: visible; }
}
"""
)

_JS = """
(function () {
  var v = document.getElementById('video');
  document.addEventListener('click', function (ev) {
    var el = ev.target.closest('[data-t]');
    if (!el || !v) return;
    var t = parseFloat(el.getAttribute('data-t'));
    if (!isFinite(t)) return;
    ev.preventDefault();
    v.pause();
    v.currentTime = t;
    v.scrollIntoView({behavior: 'smooth', block: 'center'});
  });
})();
"""


# ---------------------------------------------------------------------------------------
def esc(s: object) -> str:
    return html.escape(str(s), quote=True)


def decimals(value: float, unit: str) -> int:
    """Decimals shown: none for counts and ms, 2 for seconds, else 1 from 1 up and two
    significant digits below (at most 4)."""
    u = unit.strip()
    if u in _COUNT_UNITS or u == "ms":
        return 0
    if u == "s":
        return 2 if abs(value) < 100 else 1
    a = abs(value)
    if a >= 1:
        return 1
    if a == 0:
        return 2
    return int(min(4, max(2, 1 - math.floor(math.log10(a)))))


def fmt(value: float | None, unit: str) -> str:
    if value is None or not math.isfinite(value):
        return "n/a"
    return f"{value:.{decimals(value, unit)}f}"


def unit_text(unit: str) -> str:
    return {"deg": "°", "pct": "%"}.get(unit, unit)


def num(value: float | None, unit: str, key: str) -> str:
    """A number as shown, tagged with its JSON path and its JSON value."""
    jv = _num(value)
    data = "null" if jv is None else repr(jv)
    return (
        f'<span class="num" data-key="{esc(key)}" data-value="{esc(data)}">{fmt(jv, unit)}</span>'
    )


def with_unit(value: float | None, unit: str, key: str) -> str:
    if value is None:
        return num(value, unit, key)
    u = unit_text(unit)
    sep = "" if u in ("°", "%") else " "
    return f"{num(value, unit, key)}{sep}{esc(u)}"


def _img_uri(jpeg: bytes) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")


# ---------------------------------------------------------------------------------------
def _header(report: Report) -> str:
    src = report.source
    title = TITLES.get(report.activity, report.activity.replace("-", " ").capitalize())
    name = Path(src.path).name if src.path else "landmarks"
    facts = []
    act = f"activity: {report.activity}"
    if report.activity_requested == "auto" and report.activity_reason:
        act += f" (recognised: {report.activity_reason})"
    facts.append(act)
    facts.append(f"view: {report.view}")
    if src.decoded_s is not None:
        facts.append(f"length: {with_unit(src.decoded_s, 's', 'source.decoded_s')}")
    if src.fps:
        vfr = " (variable)" if src.vfr else ""
        facts.append(f"frame rate: {with_unit(src.fps, 'fps', 'source.fps')}{vfr}")
    if src.width and src.height:
        facts.append(f"{src.width}x{src.height}")
    p = report.pose
    facts.append(
        f'pose found in <span class="num" data-key="pose.frames_with_pose" '
        f'data-value="{p.frames_with_pose}">{p.frames_with_pose}</span> of '
        f'<span class="num" data-key="pose.frames_total" data-value="{p.frames_total}">'
        f"{p.frames_total}</span> frames"
    )
    items = "".join(f"<li>{f if '<span' in f else esc(f)}</li>" for f in facts)
    partial = ""
    if report.partial:
        partial = (
            '<p class="partial"><strong>Partial:</strong> the analysis was interrupted; '
            "this report covers the part that was analysed.</p>"
        )
    return (
        f"<header><h1>{esc(title)}</h1>"
        f'<p class="sub">{esc(name)} · analysed {esc(report.created_at)}</p>'
        f'<ul class="facts">{items}</ul>{partial}</header>'
    )


def _finding_keyframe(f: Finding, keyframes: Sequence[KeyFrame]) -> KeyFrame | None:
    with_img = [k for k in keyframes if k.embed_jpeg is not None]
    for k in with_img:
        if k.kind == "finding" and k.cue == f.cue:
            return k
    for k in with_img:
        if k.cue == f.cue and k.name.endswith("worst"):
            return k
    for k in with_img:
        if f.frame is not None and k.index == f.frame:
            return k
    return None


def _figure(k: KeyFrame, cls: str) -> str:
    return (
        f'<figure class="{cls}"><img src="{_img_uri(k.embed_jpeg or b"")}" '
        f'alt="{esc(k.caption)}" data-t="{k.t_s:.3f}" data-frame="{k.index}" '
        f'data-keyframe="{esc(k.name)}">'
        f"<figcaption>{esc(k.caption)} · {k.t_s:.2f} s</figcaption></figure>"
    )


def _findings(report: Report, keyframes: Sequence[KeyFrame]) -> str:
    if not report.findings:
        return (
            '<section id="findings"><h2>What to work on</h2><p class="empty">'
            "No findings for this clip: the analysis produced no cue to check "
            "(see the notes about the recording below).</p></section>"
        )
    order = sorted(
        enumerate(report.findings),
        key=lambda kv: (_STATUS_ORDER.get(kv[1].status, 3), kv[1].priority, kv[0]),
    )
    parts = []
    for i, f in order:
        k = _finding_keyframe(f, keyframes)
        measured = (
            with_unit(f.value, f.unit, f"findings.{i}.value")
            if f.value is not None
            else '<span class="empty">not measured</span>'
        )
        heur = (
            ' <span class="heur">(a heuristic: no validated cut-off exists)</span>'
            if f.heuristic and f.status != "not_measurable"
            else ""
        )
        fig = _figure(k, "key") if k is not None else ""
        parts.append(
            f'<article class="finding {esc(f.status)}" data-cue="{esc(f.cue)}" '
            f'data-index="{i}"><div>'
            f'<span class="badge {esc(f.status)}">{esc(_STATUS_WORDS.get(f.status, f.status))}'
            f"</span><h3>{esc(f.message)}</h3><dl>"
            f"<dt>Measured</dt><dd>{measured}</dd>"
            f"<dt>Target</dt><dd>{esc(f.target) or '—'}</dd>"
            f"<dt>Source</dt><dd>{esc(f.source)}{heur}</dd>"
            f"</dl></div>{fig}</article>"
        )
    n_flag = sum(1 for f in report.findings if f.status == "flag")
    lead = (
        f"<p>{n_flag} thing{'s' if n_flag != 1 else ''} to work on, most important first.</p>"
        if n_flag
        else "<p>Nothing flagged: every cue that could be measured is on target.</p>"
    )
    return f'<section id="findings"><h2>What to work on</h2>{lead}{"".join(parts)}</section>'


def _video(video_href: str | None, keyframes: Sequence[KeyFrame]) -> str:
    if not video_href:
        return ""
    shown = [k for k in keyframes if k.embed_jpeg is not None]
    poster = f' poster="{_img_uri(shown[0].embed_jpeg or b"")}"' if shown else ""
    return (
        '<section id="annotated"><h2>Annotated video</h2>'
        f'<video id="video" controls preload="metadata" playsinline{poster} '
        f'src="{esc(video_href)}">'
        "</video>"
        '<p class="hint">Click a key frame, a step or a rep to jump to that moment.</p></section>'
    )


def _metric_row(name: str, m: Metric, at: KeyFrame | None = None) -> str:
    label, _ = pretty_name(name)
    key = f"metrics.{name}"
    value = with_unit(m.value, m.unit, f"{key}.value") if m.value is not None else "n/a"
    spread = f" ± {num(m.spread, m.unit, f'{key}.spread')}" if m.spread is not None else ""
    sides = ""
    if m.left is not None or m.right is not None:
        sides = (
            f'<span class="side-left">L</span> {num(m.left, m.unit, f"{key}.left")} / '
            f'<span class="side-right">R</span> {num(m.right, m.unit, f"{key}.right")}'
        )
    note = esc(m.note) if m.note else ""
    conf = esc(m.confidence)
    seek = f' data-t="{at.t_s:.3f}" title="{esc(at.caption)}"' if at is not None else ""
    return (
        f'<tr data-metric="{esc(name)}"{seek}><td>{esc(label)}</td>'
        f'<td class="n">{value}{spread}</td>'
        f'<td>{sides}</td><td class="n">{m.n}</td><td>{conf}</td><td>{note}</td></tr>'
    )


def _metrics(report: Report, keyframes: Sequence[KeyFrame] = ()) -> str:
    if not report.metrics:
        return (
            '<section id="metrics"><h2>Measurements</h2><p class="empty">No measurements '
            "for this clip.</p></section>"
        )
    shown_at: dict[str, KeyFrame] = {}
    for f in report.findings:
        k = _finding_keyframe(f, keyframes) if f.metric else None
        if k is not None and f.metric not in shown_at:
            shown_at[f.metric] = k  # type: ignore[index]
    rows = "".join(_metric_row(n, m, shown_at.get(n)) for n, m in report.metrics.items())
    return (
        '<section id="metrics"><h2>Measurements</h2>'
        '<p class="hint">Median over steps or reps; ± is half the interquartile range; '
        "L/R are the left and right foot or side.</p>"
        '<div class="tablewrap"><table><thead><tr><th>measure</th><th class="n">value</th>'
        '<th>left / right</th><th class="n">n</th><th>confidence</th><th>note</th></tr>'
        f"</thead><tbody>{rows}</tbody></table></div></section>"
    )


def _charts(charts: Sequence[Chart]) -> str:
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


def _tables(report: Report) -> str:
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


def _gallery(keyframes: Sequence[KeyFrame]) -> str:
    shown = [k for k in keyframes if k.embed_jpeg is not None]
    if not shown:
        return ""
    figs = "".join(_figure(k, "kf") for k in shown)
    return (
        '<section id="keyframes"><h2>Key frames</h2><p class="hint">Each picture is the '
        "annotated frame the number was measured on; files are in the keyframes folder."
        f'</p><div class="gallery">{figs}</div></section>'
    )


def _fmt_ranges(ranges: Sequence[tuple[float, float]]) -> str:
    shown = ", ".join(
        f"{a:.1f} s" if abs(b - a) < 0.05 else f"{a:.1f}-{b:.1f} s" for a, b in ranges[:6]
    )
    more = f" and {len(ranges) - 6} more" if len(ranges) > 6 else ""
    return f" ({shown}{more})" if shown else ""


def _capture(report: Report) -> str:
    src = report.source
    notes = []
    notes.append(f"Camera view: {esc(report.view)}.")
    if src.fps:
        fps_txt = with_unit(src.fps, "fps", "source.fps")
        vfr = " (variable: every time uses the frame's own timestamp)" if src.vfr else ""
        notes.append(f"Frame rate {fps_txt}{vfr}.")
        if report.activity == "run" and not any(w.code == "frame_rate" for w in report.warnings):
            notes.append(
                "At this frame rate one frame lasts "
                f"{1000.0 / src.fps:.0f} ms: foot-contact times are only as fine as that "
                "(a stance is only a few frames at 30 fps)."
            )
    if src.decoded_s is not None and src.duration_s is not None:
        notes.append(
            f"Analysed {with_unit(src.decoded_s, 's', 'source.decoded_s')} of a file that "
            f"states {with_unit(src.duration_s, 's', 'source.duration_s')}."
        )
    if src.rotation_deg:
        notes.append(f"The phone's rotation ({src.rotation_deg}°) was applied.")
    if report.activity_requested == "auto" and report.activity_reason:
        notes.append(
            f"Activity recognised as {esc(report.activity)}: {esc(report.activity_reason)}."
        )
    elif report.activity_requested != "auto":
        notes.append(f"Activity {esc(report.activity)}, as chosen.")
    for w in report.warnings:
        notes.append(
            f'<span data-warning="{esc(w.code)}">{esc(w.message)}'
            f"{esc(_fmt_ranges(w.ranges_s))}</span>"
        )
    if not report.warnings:
        notes.append("No problems with the recording were found.")
    items = "".join(f"<li>{n}</li>" for n in notes)
    return (
        '<section id="capture"><h2>About this recording</h2>'
        f'<ul class="notes">{items}</ul></section>'
    )


def _training(report: Report) -> str:
    tips = report.context
    items = "".join(f"<li>{esc(t)}</li>" for t in tips)
    lst = f'<ul class="notes">{items}</ul>' if items else ""
    return (
        '<section id="training"><h2>Training context</h2>'
        f'{lst}<p class="disclaimer">{esc(NOT_MEDICAL_ADVICE)}</p></section>'
    )


def _footer(report: Report) -> str:
    versions = ", ".join(f"{esc(k)} {esc(v)}" for k, v in sorted(report.versions.items()))
    data = json.dumps(report.to_dict(include_frames=False), allow_nan=False)
    data = data.replace("</", "<\\/")
    return (
        f"<footer>Made on this computer by formcheck; nothing was uploaded. "
        f"Report schema formcheck.report/1. {versions}</footer>"
        f'<script type="application/json" id="formcheck-report">{data}</script>'
    )


def render_html(
    report: Report,
    keyframes: Sequence[KeyFrame] = (),
    video_href: str | None = None,
    charts: Sequence[Chart] | None = None,
) -> str:
    """The report as one HTML document (a string).

    keyframes : rendered key frames (with ``embed_jpeg``) from
        :func:`formcheck.pipeline.export.export_artifacts`; frames without an image
        are left out. video_href : relative link to the annotated video, or None.
    charts : precomputed charts (default: :func:`formcheck.report.plots.report_charts`).
    """
    charts = report_charts(report) if charts is None else charts
    title = TITLES.get(report.activity, report.activity)
    name = Path(report.source.path).name if report.source.path else "landmarks"
    head = (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src data:; media-src 'self' file: blob:; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'\">"
        f"<title>{esc(title)} · {esc(name)} · formcheck</title>"
        f"<style>{_CSS}</style></head><body><main>"
    )
    # joined once: the charts of a long run are megabytes of SVG, so the body is
    # not first joined and then copied again into the page
    return "".join(
        [
            head,
            _header(report),
            _findings(report, keyframes),
            _video(video_href, keyframes),
            _metrics(report, keyframes),
            _charts(charts),
            _tables(report),
            _gallery(keyframes),
            _capture(report),
            _training(report),
            _footer(report),
            f"</main><script>{_JS}</script></body></html>\n",
        ]
    )
