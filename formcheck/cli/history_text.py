"""The text ``formcheck history`` prints: tables, times, numbers, one session in full."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from formcheck.cues.format import fmt_metric, fmt_ranges, fmt_value, local_time
from formcheck.cues.words import FINDING_STATUS_MARKS, METRIC_STATUS_WORDS, STRETCHES_LABEL
from formcheck.io import clip_label, clip_name
from formcheck.store.records import SessionRecord, SessionSummary


def seconds_text(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f} s"


def print_table(rows: Sequence[Sequence[str]], out: TextIO) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip(), file=out)


def summary_row(s: SessionSummary) -> list[str]:
    return [
        str(s.id),
        local_time(s.when),
        s.activity,
        s.status,
        s.view or "-",
        seconds_text(s.analysed_s),
        str(s.flags),
        clip_name(s.source_path) if s.source_path else "-",
    ]


def format_session(rec: SessionRecord, files: bool = False) -> list[str]:
    """The ``history show`` text for one session; ``files``: where its files are (paths
    inside the data folder are shown only when asked for)."""
    lines = [f"Session {rec.id}: {rec.activity}, {rec.status}"]
    when = local_time(rec.when) + (" (recorded)" if rec.recorded_at else "")
    lines.append(f"  when       {when}; analysed {local_time(rec.created_at)}")
    if rec.source_path or rec.source_sha256:
        sha = f" (sha256 {rec.source_sha256[:12]})" if rec.source_sha256 else ""
        lines.append(f"  clip       {clip_label(rec.source_path)}{sha}")
    facts = [f"view {rec.view or '-'}"]
    if rec.fps:
        facts.append(f"{rec.fps:.3g} fps")
    if rec.duration_s is not None:
        facts.append(f"{rec.duration_s:.1f} s long")
    if rec.analysed_s is not None:
        facts.append(f"{rec.analysed_s:.1f} s analysed")
    if rec.frames_total:
        facts.append(f"pose in {rec.frames_with_pose}/{rec.frames_total} frames")
    lines.append("  capture    " + ", ".join(facts))
    lines.append(
        f"  versions   formcheck {rec.formcheck_version or '?'}, model "
        f"{(rec.model_sha256 or '?')[:12]}"
    )
    if rec.profile:
        prof = ", ".join(f"{k} {v}" for k, v in rec.profile.items() if v is not None)
        lines.append(f"  profile    {prof or 'none given'}")
    if rec.note:
        lines.append(f"  note       {rec.note}")
    if rec.findings:
        lines += ["", "Findings (most important first):"]
        for f in rec.findings:
            val = "" if f.value is None else f" [{fmt_value(f.value, f.unit)}]"
            mark = FINDING_STATUS_MARKS.get(f.status, "  ")  # type: ignore[call-overload]
            lines.append(f"  {mark} {f.cue}: {f.message}{val}")
            lines.append(f"       target {f.target}; source {f.source}")
            if f.ranges_s:
                lines.append(f"       {STRETCHES_LABEL}: {fmt_ranges(f.ranges_s, 4)}")
    if rec.metrics:
        lines += ["", "Measurements:"]
        width = max(len(k) for k in rec.metrics)
        status_w = max(len(w) for w in METRIC_STATUS_WORDS.values())
        for name, m in rec.metrics.items():
            status = METRIC_STATUS_WORDS[m.status] if m.status is not None else ""
            n = f"  n={m.n}" if m.value is not None else ""
            lines.append(f"  {name.ljust(width)}  {status.ljust(status_w)}  {fmt_metric(m)}{n}")
    for name, t in rec.tables.items():
        lines += ["", f"Table {name}: {len(t.rows)} rows; columns {', '.join(t.columns)}"]
    if rec.notices:
        lines += ["", "About this recording:"]
        lines += [f"  - {n.message}" for n in rec.notices]
    if rec.artefacts and files:
        lines += ["", "Files:"]
        width = max(len(k) for k in rec.artefacts)
        lines += [f"  {k.ljust(width)}  {p}" for k, p in rec.artefacts.items()]
    elif rec.artefacts:
        kinds = ", ".join(k.replace("_", " ") for k in rec.artefacts)
        lines += ["", f"Files: {kinds} (add --files to see where they are)."]
    return lines
