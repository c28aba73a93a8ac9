"""The benchmark's summary (targets met or not) and its printed table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    pass

from benchmarks.bench_setup import TARGETS, TRUTHS


def summarize(results: dict[str, object]) -> dict[str, object]:
    """Headline figures (medians over clips) and each target met / not met."""
    rows = [r for r in results.get("clips", []) if isinstance(r, dict)]  # type: ignore[union-attr]

    def med(key: str) -> float | None:
        vals = [float(r[key]) for r in rows if isinstance(r.get(key), int | float)]
        return float(np.median(vals)) if vals else None

    fig: dict[str, float | None] = {
        "analyze_over_landmarker": med("analyze_over_landmarker"),
        "end_to_end_over_landmarker": med("end_to_end_over_landmarker"),
        "default_end_to_end_over_landmarker": med("default_end_to_end_over_landmarker"),
        "analyze_over_decode": med("analyze_over_decode"),
        "parallel_speedup": med("parallel_speedup"),
        "parallel_speedup_single_shots": med("parallel_speedup"),
        "realtime_factor": med("realtime_factor"),
    }
    ab = results.get("parallel_ab")
    if isinstance(ab, dict) and ab.get("median_ratio") is not None:
        fig["parallel_speedup"] = ab["median_ratio"]
    for lv in results.get("live", []) or []:  # type: ignore[union-attr]
        if lv.get("size") == "640x480":
            fig["live_p95_ms_640x480"] = lv["p95_ms"]
    mem = results.get("memory")
    if (
        isinstance(mem, dict)
        and "rss_mb" in mem.get("long", {})
        and "rss_mb" in mem.get("short", {})
    ):
        lo, sh = mem["long"], mem["short"]
        fig["peak_rss_mb"] = max(lo["rss_mb"], sh["rss_mb"])
        fig["rss_long_over_short"] = lo["rss_mb"] / sh["rss_mb"]
    b = results.get("batch")
    if isinstance(b, dict):
        fig["batch_scaling"] = b.get("batch_scaling")
    targets = {}
    for name, (key, op, limit) in TARGETS.items():
        v = fig.get(key)
        if v is None:
            targets[name] = {"value": None, "met": None}
        else:
            ok = v >= limit if op == ">=" else v < limit if op == "<" else v <= limit
            targets[name] = {"value": round(v, 3), "met": bool(ok)}
    return {"figures": fig, "targets": targets}


def write_json(results: dict[str, object], path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1, default=_jsonable))
    return path


def _jsonable(x: object) -> object:
    if isinstance(x, np.generic):
        return x.item()
    return str(x)


# ---------------------------------------------------------------------------------------
def _f(x: object, nd: int = 1) -> str:
    if x is None:
        return "n/a"
    if isinstance(x, int | float):
        return f"{x:.{nd}f}"
    return str(x)


def format_table(results: dict[str, object]) -> str:
    """The human-readable table of a run."""
    m = results["machine"]  # type: ignore[index]
    lines = [
        f"formcheck bench ({results['mode']}) on {m['cpu']}, {m['cores']} cores, "  # type: ignore[index]
        f"{m['memory_gb']} GB; load {m['load_at_start']} -> {results.get('load_at_end')}",  # type: ignore[index]
        "",
        f"{'clip':36} {'frames':>6} {'size':>9} {'decode':>7} {'lmk':>6} {'analyze':>7} "
        f"{'an/dec':>6} {'an/lmk':>6} {'2cores':>6} {'e2e':>5} {'e2e2c':>5} {'rtf':>5} "
        f"{'dec_s':>6} {'pose_s':>6} {'anal_s':>6} {'report':>6} {'draw+w':>6} {'load':>5}",
    ]
    for r in results.get("clips", []):  # type: ignore[union-attr]
        lines.append(
            f"{r['clip'][:36]:36} {r['frames']:>6} {r.get('resolution', ''):>9} "
            f"{_f(r.get('decode_fps'), 0):>7} {_f(r.get('landmarker_fps'), 0):>6} "
            f"{_f(r.get('analyze_fps', r.get('pose_pass_fps')), 0):>7} "
            f"{_f(r.get('analyze_over_decode'), 3):>6} "
            f"{_f(r.get('analyze_over_landmarker'), 2):>6} "
            f"{_f(r.get('parallel_speedup'), 2):>6} "
            f"{_f(r.get('end_to_end_over_landmarker'), 2):>5} "
            f"{_f(r.get('default_end_to_end_over_landmarker'), 2):>5} "
            f"{_f(r.get('realtime_factor'), 2):>5} "
            f"{_f(r.get('decode_s'), 2):>6} {_f(r.get('pose_s'), 2):>6} "
            f"{_f(r.get('analysis_s'), 3):>6} "
            f"{_f(r.get('report_files_s'), 2):>6} {_f(r.get('draw_write_s'), 2):>6} "
            f"{_f((r.get('load_before') or [None])[0], 1):>5}"
        )
    lines.append(
        "(fps columns: frames/s; an/dec, an/lmk: analyze throughput over decode-only / "
        "landmarker-only; 2cores: speed-up with 2 pose threads; e2e / e2e2c: analyze + export\n"
        " (annotated video, report files) with 1 / 2 pose threads over landmarker-only on one\n"
        " core; rtf: clip s per wall s (1 thread);\n"
        " stage times in s: dec = decoding, pose = landmarker, anal = signal + analysis,\n"
        " report = report files, draw+w = drawing + video writing; load = 1-min load average)"
    )
    for lv in results.get("live", []) or []:  # type: ignore[union-attr]
        lines.append(
            f"live {lv['size']:>9}: p50 {lv['p50_ms']:.1f} ms, p95 {lv['p95_ms']:.1f} ms, "
            f"{lv['sustained_fps']:.1f} fps sustained ({lv['frames']} frames) {lv['note']}"
        )
    ab = results.get("parallel_ab")
    if isinstance(ab, dict):
        for p in ab["pairs"]:
            pin = (
                f"; 1 worker on 1 core {p['one_s_pinned']:.2f} s = {p['ratio_pinned']:.2f}x"
                if "ratio_pinned" in p
                else ""
            )
            lines.append(
                f"1 vs 2 pose workers {p['clip']}: {p['one_s']:.2f} s vs {p['two_s']:.2f} s "
                f"= {p['ratio']:.2f}x{pin} (load {p['load'][0]})"
            )
        lines.append(f"  median speed-up {_f(ab.get('median_ratio'), 2)}x")
        if ab.get("median_ratio_pinned") is not None:
            lines.append(
                f"  against one worker held to one core: {_f(ab['median_ratio_pinned'], 2)}x "
                "(not the target's figure: unpinned, one worker already uses ~1.06 cores)"
            )
    for row in results.get("parallel_by_length", []) or []:  # type: ignore[union-attr]
        pairs = ", ".join(f"{p['one_s']:.1f} vs {p['two_s']:.1f} s" for p in row["pairs"])
        lines.append(
            f"1 vs 2 pose workers, {row['clip']} looped to {row['seconds']:.0f} s: {pairs}, "
            f"median {_f(row.get('median_ratio'), 2)}x (not in the target's median)"
        )
    mem = results.get("memory")
    if isinstance(mem, dict):
        if mem.get("from_earlier_run"):
            e = mem["from_earlier_run"]
            lines.append(
                f"memory figures from the full run of {e.get('started_at')} "
                f"(load {e.get('load_at_start')}); this run skipped the long clip"
            )
        for k in ("short", "long"):
            v = mem.get(k, {})
            lines.append(
                f"memory {k:14}: peak RSS {_f(v.get('rss_mb'), 0)} MB, "
                f"{v.get('frames')} frames, {_f(v.get('wall_s'), 1)} s {v.get('error', '')}"
            )
    b = results.get("batch")
    if isinstance(b, dict):
        lines.append(
            f"batch ({len(b['clips'])} clips): {b['clips_per_min_1']:.1f} clips/min with 1 "
            f"worker, {b['clips_per_min_2']:.1f} with 2, scaling {b['batch_scaling']:.2f}x"
        )
        if b.get("clips_per_min_default") is not None:
            lines.append(
                f"  one after another on the default settings (both cores on each clip, "
                f"as `formcheck analyze a b c d`): {b['clips_per_min_default']:.1f} clips/min, "
                f"{b['default_scaling']:.2f}x 1 worker"
            )
    acc = [r for r in results.get("clips", []) if "measured" in r]  # type: ignore[union-attr]
    if acc:
        lines.append("accuracy:")
        for r in acc:
            t = TRUTHS[r["clip"].split(" ")[0]]
            v, v2 = r.get("measured"), r.get("measured_2workers")
            err = None if v is None else v - float(t["truth"])  # type: ignore[arg-type]
            lines.append(
                f"  {r['clip']:36} {t['metric']}: truth {t['truth']} ± {t['tolerance']} "
                f"{t['unit']}, measured {_f(v, 1)} (error {_f(err, 1)}), "
                f"with 2 workers {_f(v2, 1)}"
            )
    summ = results.get("summary")
    if isinstance(summ, dict):
        lines.append("targets:")
        for name, t in summ["targets"].items():
            met = "n/a" if t["met"] is None else ("met" if t["met"] else "NOT met")
            lines.append(f"  {name}: {_f(t['value'], 3)} -> {met}")
    return "\n".join(lines)
