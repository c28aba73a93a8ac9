"""The human summary printed by ``formcheck analyze``: reads the Report, computes nothing.

Numbers are formatted by :mod:`formcheck.cues.format` (the same decimals as the HTML
and the app), statuses are the ones :mod:`formcheck.cues.judge` gave, words come
from :mod:`formcheck.cues.words`.
"""

from __future__ import annotations

import formcheck.activities as activities
from formcheck.cues.accuracy import accuracy_label
from formcheck.cues.format import fmt, fmt_metric, fmt_ranges
from formcheck.cues.words import (
    FINDING_STATUS_MARKS,
    METRIC_STATUS_WORDS,
    NOT_MEDICAL_ADVICE,
    STRETCHES_LABEL,
    stretch_worst,
)
from formcheck.cues.words_accuracy import (
    ACCURACY_CAVEAT,
    ACCURACY_HINT,
    ACCURACY_TAG,
    VALIDATION_DATA,
    citation,
)
from formcheck.report.model import Report

#: Width of the status column of the measurements ("work on").
_STATUS_W = max(len(w) for w in METRIC_STATUS_WORDS.values())


def format_summary(report: Report) -> str:
    """A plain-text stride/posture (or set/hold) report for the terminal."""
    src = report.source
    lines = [f"{activities.report_title(report.activity)}  -  {src.path or 'landmarks'}"]
    facts = [f"activity {report.activity}"]
    if report.activity_requested == "auto":
        facts[-1] += f" (detected: {report.activity_reason})"
    facts.append(f"view {report.view}")
    if src.analysed_s is not None:  # stopped early: the stretches analysed, together
        facts.append(f"{src.analysed_s:.1f} s analysed")
    elif src.decoded_s is not None:
        facts.append(f"{src.decoded_s:.1f} s")
    if src.fps:
        facts.append(f"{src.fps:.3g} fps{' (variable)' if src.vfr else ''}")
    facts.append(f"pose in {report.pose.frames_with_pose}/{report.pose.frames_total} frames")
    lines.append("  " + ", ".join(facts))
    if report.partial:
        lines.append("  PARTIAL: the analysis was interrupted; this covers what was analysed.")
    lines.append("")
    if report.findings:
        lines.append("What to work on (most important first):")
        for f in report.findings:
            val = "" if f.value is None else f" [{fmt(f.value, f.unit)} {f.unit}]"
            tag = " (heuristic)" if f.heuristic and f.status != "not_measurable" else ""
            lines.append(f"  {FINDING_STATUS_MARKS[f.status]} {f.message}{val}")
            if f.ranges_s:
                lines.append(f"       {STRETCHES_LABEL}: {fmt_ranges(f.ranges_s, 4)}")
            if (s := f.stretch) is not None:
                worst = fmt(s.value, f.unit)
                a, b = s.range_s
                lines.append(f"       {stretch_worst(worst, f.unit, a, b, s.key_t_s, s.window_s)}")
            lines.append(f"       target: {f.target}; source: {f.source}{tag}")
        lines.append("")
    if report.metrics:
        lines.append("Measurements:")
        width = max(len(k) for k in report.metrics)
        labelled = False
        for name, m in report.metrics.items():
            status = METRIC_STATUS_WORDS[m.status] if m.status else ""
            acc = accuracy_label(report.activity, name, m)
            labelled |= bool(acc)
            line = f"  {name.ljust(width)}  {status.ljust(_STATUS_W)}  {fmt_metric(m)}"
            tag = f"{ACCURACY_TAG}: {acc}" if m.accuracy is not None else acc
            lines.append(f"{line}  [{tag}]" if acc else line)
        if labelled:
            lines.append(f"  {ACCURACY_HINT}")
            lines.append(f"  {ACCURACY_CAVEAT}")
            cites = sorted({citation(m.accuracy) for m in report.metrics.values() if m.accuracy})
            lines.extend(f"  {VALIDATION_DATA}: {c}." for c in cites if c)
        lines.append("")
    if report.warnings:
        lines.append("About this recording:")
        for w in report.warnings:
            ranges = ""
            if w.ranges_s:
                ranges = f" [{fmt_ranges(w.ranges_s, 4)}]"
            lines.append(f"  - {w.message}{ranges}")
        lines.append("")
    lines.append(NOT_MEDICAL_ADVICE)
    return "\n".join(lines)
