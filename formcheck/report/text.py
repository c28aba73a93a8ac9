"""The human summary printed by ``formcheck analyze``: reads the Report, computes nothing."""

from __future__ import annotations

from formcheck.report.model import NOT_MEDICAL_ADVICE, Report
from formcheck.results import Metric

_TITLES = {
    "run": "Stride and posture report",
    "glute-bridge": "Glute bridge set",
    "plank": "Plank hold",
    "side-plank": "Side plank hold",
    "bird-dog": "Bird dog set",
}

_MARK = {"flag": "!!", "ok": "ok", "not_measurable": "--"}


def _fmt_num(x: float | None, unit: str) -> str:
    if x is None:
        return "n/a"
    if unit in ("reps", "steps", "count"):
        return f"{x:.0f}"
    return f"{x:.2f}" if abs(x) < 1 else f"{x:.1f}"


def format_metric(m: Metric) -> str:
    """``'168.9 ±1.2 steps/min (L 169.0 / R 168.8)'`` or ``'n/a: reason'``."""
    if m.value is None:
        return f"n/a ({m.note})" if m.note else "n/a"
    s = f"{_fmt_num(m.value, m.unit)}"
    if m.spread is not None:
        s += f" ±{_fmt_num(m.spread, m.unit)}"
    s += f" {m.unit}"
    if m.left is not None or m.right is not None:
        s += f"  (L {_fmt_num(m.left, m.unit)} / R {_fmt_num(m.right, m.unit)})"
    if m.confidence not in ("high", ""):
        s += f"  [{m.confidence} confidence]"
    return s


def format_summary(report: Report) -> str:
    """A plain-text stride/posture (or set/hold) report for the terminal."""
    src = report.source
    lines = [f"{_TITLES.get(report.activity, report.activity)}  -  {src.path or 'landmarks'}"]
    facts = [f"activity {report.activity}"]
    if report.activity_requested == "auto":
        facts[-1] += f" (detected: {report.activity_reason})"
    facts.append(f"view {report.view}")
    if src.decoded_s is not None:
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
            val = "" if f.value is None else f" [{_fmt_num(f.value, f.unit)} {f.unit}]"
            tag = " (heuristic)" if f.heuristic and f.status != "not_measurable" else ""
            lines.append(f"  {_MARK[f.status]} {f.message}{val}")
            lines.append(f"       target: {f.target}; source: {f.source}{tag}")
        lines.append("")
    if report.metrics:
        lines.append("Measurements:")
        width = max(len(k) for k in report.metrics)
        for name, m in report.metrics.items():
            lines.append(f"  {name.ljust(width)}  {format_metric(m)}")
        lines.append("")
    if report.warnings:
        lines.append("About this recording:")
        for w in report.warnings:
            ranges = ""
            if w.ranges_s:
                shown = ", ".join(f"{a:.1f}-{b:.1f} s" for a, b in w.ranges_s[:4])
                more = f" (+{len(w.ranges_s) - 4} more)" if len(w.ranges_s) > 4 else ""
                ranges = f" [{shown}{more}]"
            lines.append(f"  - {w.message}{ranges}")
        lines.append("")
    lines.append(NOT_MEDICAL_ADVICE)
    return "\n".join(lines)
