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

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

import formcheck.activities as activities
from formcheck.cues.format import fmt, fmt_ranges
from formcheck.cues.words import (
    FINDING_STATUS_WORDS,
    METRIC_STATUS_WORDS,
    NOT_MEDICAL_ADVICE,
    OVER_TIME,
    STRETCHES_LABEL,
    report_video_missing,
    stretch_worst,
)
from formcheck.cues.words_accuracy import HOW_ACCURATE, HOW_ACCURATE_NOTE
from formcheck.io import clip_name
from formcheck.render.angles import pretty_name
from formcheck.report.html_accuracy import accuracy_cell, accuracy_section, any_label
from formcheck.report.html_kit import CSS, JS, esc, figure, img_uri, num, with_unit
from formcheck.report.html_tables import charts as charts_section
from formcheck.report.html_tables import gallery, tables
from formcheck.report.model import Report
from formcheck.report.plot_kit import Chart
from formcheck.report.plots import report_charts
from formcheck.results import Finding, Metric

if TYPE_CHECKING:
    from formcheck.report.keyframes import KeyFrame


_STATUS_ORDER = {"flag": 0, "ok": 1, "not_measurable": 2}


# ---------------------------------------------------------------------------------------
def _header(report: Report) -> str:
    src = report.source
    title = activities.report_title(report.activity)
    name = clip_name(src.path) if src.path else "landmarks"
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
        fig = figure(k, "key") if k is not None else ""
        stretches = (
            f"<dt>{esc(STRETCHES_LABEL.capitalize())}</dt>"
            f"<dd>{esc(_fmt_ranges(f.ranges_s).strip(' ()'))}</dd>"
            if f.ranges_s
            else ""
        )
        if (s := f.stretch) is not None:
            worst = stretch_worst(fmt(s.value, f.unit), f.unit, *s.range_s, s.key_t_s, s.window_s)
            stretches += f"<dt>{esc(OVER_TIME)}</dt><dd>{esc(worst)}</dd>"
        parts.append(
            f'<article class="finding {esc(f.status)}" data-cue="{esc(f.cue)}" '
            f'data-index="{i}"><div>'
            f'<span class="badge {esc(f.status)}">'
            f"{esc(FINDING_STATUS_WORDS.get(f.status, f.status))}</span>"
            f"<h3>{esc(f.message)}</h3><dl>"
            f"<dt>Measured</dt><dd>{measured}</dd>"
            f"<dt>Target</dt><dd>{esc(f.target) or '—'}</dd>"
            f"{stretches}"
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
    poster = f' poster="{img_uri(shown[0].embed_jpeg or b"")}"' if shown else ""
    return (
        '<section id="annotated"><h2>Annotated video</h2>'
        f'<video id="video" controls preload="metadata" playsinline{poster} '
        f'src="{esc(video_href)}">'
        "</video>"
        f'<p class="partial" id="video-missing" hidden>{esc(report_video_missing(video_href))}</p>'
        '<p class="hint">Click a key frame, a step or a rep to jump to that moment.</p></section>'
    )


def _metric_row(
    report: Report, name: str, m: Metric, at: KeyFrame | None = None, how: bool = False
) -> str:
    label, _ = pretty_name(name)
    key = f"metrics.{name}"
    value = with_unit(m.value, m.unit, f"{key}.value") if m.value is not None else "n/a"
    v = m.value
    spread = f" ± {num(m.spread, m.unit, f'{key}.spread', v)}" if m.spread is not None else ""
    sides = ""
    if m.left is not None or m.right is not None:
        sides = (
            f'<span class="side-left">L</span> {num(m.left, m.unit, f"{key}.left")} / '
            f'<span class="side-right">R</span> {num(m.right, m.unit, f"{key}.right")}'
        )
    note = esc(m.note) if m.note else ""
    conf = esc(m.confidence)
    seek = f' data-t="{at.t_s:.3f}" title="{esc(at.caption)}"' if at is not None else ""
    status = (
        f'<span class="badge {esc(m.status)}" data-status="{esc(m.status)}">'
        f"{esc(METRIC_STATUS_WORDS[m.status])}</span>"
        if m.status
        else ""
    )
    return (
        f'<tr data-metric="{esc(name)}"{seek}><td>{esc(label)}</td>'
        f'<td class="n">{value}{spread}</td><td>{status}</td>'
        f'<td>{sides}</td><td class="n">{m.n}</td><td>{conf}</td>'
        f"{accuracy_cell(report, name, m) if how else ''}<td>{note}</td></tr>"
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
    with_how = any_label(report)
    rows = "".join(
        _metric_row(report, n, m, shown_at.get(n), with_how) for n, m in report.metrics.items()
    )
    how = (
        (
            f"<th>{esc(HOW_ACCURATE)}</th>",
            f' <a href="#accuracy">{esc(HOW_ACCURATE_NOTE)}</a>',
        )
        if with_how
        else ("", "")
    )
    return (
        '<section id="metrics"><h2>Measurements</h2>'
        '<p class="hint">Median over steps or reps; ± is half the interquartile range; '
        f"L/R are the left and right foot or side.{how[1]}</p>"
        '<div class="tablewrap"><table><thead><tr><th>measure</th><th class="n">value</th>'
        '<th>status</th><th>left / right</th><th class="n">n</th><th>confidence</th>'
        f"{how[0]}<th>note</th></tr>"
        f"</thead><tbody>{rows}</tbody></table></div></section>"
    )


def _fmt_ranges(ranges: Sequence[tuple[float, float]]) -> str:
    shown = fmt_ranges(ranges)
    return f" ({shown})" if shown else ""


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
    if src.analysed_s is not None and src.duration_s is not None:
        notes.append(
            f"Analysed {with_unit(src.analysed_s, 's', 'source.analysed_s')} of a file that "
            f"states {with_unit(src.duration_s, 's', 'source.duration_s')}."
        )
    elif src.decoded_s is not None and src.duration_s is not None:
        notes.append(
            f"Analysed {with_unit(src.decoded_s, 's', 'source.decoded_s')} of a file that "
            f"states {with_unit(src.duration_s, 's', 'source.duration_s')}."
        )
    if src.rotation_deg:
        notes.append(f"The phone's rotation ({src.rotation_deg}°) was applied.")
    if report.activity_requested == "auto" and report.activity_reason:
        notes.append(
            f"Activity recognised as {esc(activities.plain_label(report.activity).lower())}: "
            f"{esc(report.activity_reason)}."
        )
    elif report.activity_requested != "auto":
        notes.append(
            f"Activity: {esc(activities.plain_label(report.activity).lower())}, as chosen."
        )
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
    title = activities.report_title(report.activity)
    name = clip_name(report.source.path) if report.source.path else "landmarks"
    head = (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src data:; media-src 'self' file: blob:; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'\">"
        f"<title>{esc(title)} · {esc(name)} · formcheck</title>"
        f"<style>{CSS}</style></head><body><main>"
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
            accuracy_section(report),
            charts_section(charts),
            tables(report),
            gallery(keyframes),
            _capture(report),
            _training(report),
            _footer(report),
            f"</main><script>{JS}</script></body></html>\n",
        ]
    )
