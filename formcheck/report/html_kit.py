"""The HTML report's building blocks: style, script, escaping and tagged numbers.

Numbers are formatted by :mod:`formcheck.cues.format` (the same decimals as the
text summary and the app) and tagged with their JSON path and value, so tests
can check every number shown against ``report.json``.
"""

from __future__ import annotations

import base64
import html
from typing import TYPE_CHECKING

from formcheck.cues.format import fmt, unit_text
from formcheck.render.style import SIDE_HEX, STATUS_HEX
from formcheck.results import _num

if TYPE_CHECKING:
    from formcheck.report.keyframes import KeyFrame

CSS_VARS = (
    f":root {{ --ok: {STATUS_HEX['ok']}; --flag: {STATUS_HEX['flag']}; "
    f"--na: {STATUS_HEX['not_measurable']}; --watch: {STATUS_HEX['watch']}; "
    f"--left: {SIDE_HEX['left']}; "
    f"--right: {SIDE_HEX['right']};"
)
CSS = (
    CSS_VARS
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
.badge.good { background: var(--ok); } .badge.watch { background: var(--watch); }
.badge.work_on { background: var(--flag); }
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
.widewrap { overflow-x: auto; } td.accuracy { white-space: nowrap; }
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

JS = """
(function () {
  var v = document.getElementById('video');
  var missing = document.getElementById('video-missing');
  function gone() {
    // the video is not beside the report (saved alone): say so, keep the key frames
    if (!v || !missing) return;
    missing.hidden = false;
    v.style.display = 'none';
  }
  if (v) {
    v.addEventListener('error', gone);
    if (v.error) gone();
  }
  document.addEventListener('click', function (ev) {
    var el = ev.target.closest('[data-t]');
    if (!el || !v) return;
    if (v.error) { gone(); missing.scrollIntoView({block: 'center'}); return; }
    var t = parseFloat(el.getAttribute('data-t'));
    if (!isFinite(t)) return;
    ev.preventDefault();
    v.pause();
    v.currentTime = t;
    v.scrollIntoView({behavior: 'smooth', block: 'center'});
  });
})();
"""


def esc(s: object) -> str:
    return html.escape(str(s), quote=True)


def num(value: float | None, unit: str, key: str, like: float | None = None) -> str:
    """A number as shown, tagged with its JSON path and its JSON value (``like``: see
    :func:`formcheck.cues.format.fmt`)."""
    jv = _num(value)
    data = "null" if jv is None else repr(jv)
    shown = fmt(jv, unit, like=_num(like))
    return f'<span class="num" data-key="{esc(key)}" data-value="{esc(data)}">{shown}</span>'


def with_unit(value: float | None, unit: str, key: str) -> str:
    if value is None:
        return num(value, unit, key)
    u = unit_text(unit)
    sep = "" if u in ("°", "%") else " "
    return f"{num(value, unit, key)}{sep}{esc(u)}"


def img_uri(jpeg: bytes) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")


# ---------------------------------------------------------------------------------------
def figure(k: KeyFrame, cls: str) -> str:
    return (
        f'<figure class="{cls}"><img src="{img_uri(k.embed_jpeg or b"")}" '
        f'alt="{esc(k.caption)}" data-t="{k.t_s:.3f}" data-frame="{k.index}" '
        f'data-keyframe="{esc(k.name)}">'
        f"<figcaption>{esc(k.caption)} · {k.t_s:.2f} s</figcaption></figure>"
    )
