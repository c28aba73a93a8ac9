"""Running every trial at every condition, and pooling the differences.

Each 30 s trial is cut into 10 s clips (:data:`.compare.WINDOW_S`). Pooled per
condition (frame rate x noise x far-leg visibility): per-step agreement of every
paired step (:data:`.compare.STEP_PAIRS`, initial contact and toe-off), clip-level
agreement (formcheck's clip value against the median of the lab's values over the
same contacts; cadence against a line fitted to the force-plate contacts), the
contacts missed and extra, the foot-strike classes, the initial contact by
running speed, and how much of each value-at-contact's error follows the contact's
timing (:data:`.compare.AT_CONTACT`, :func:`.stats.timing_share`).
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from benchmarks.validation import compare, rbds
from benchmarks.validation.camera import Condition
from benchmarks.validation.compare import AT_CONTACT
from benchmarks.validation.stats import agreement, timing_share

RATES = (30.0, 60.0, 120.0, 240.0)
#: Bins of initial-contact error (ms) for the strike angle's error by contact timing.
TIMING_BINS_MS = ((-60.0, -10.0), (-10.0, -3.0), (-3.0, 3.0), (3.0, 10.0), (10.0, 60.0))
NOISES = (0.0, 4.0)
#: The far leg's visibility in the "far leg unclear" condition (see :mod:`.camera`).
FAR_UNCLEAR = 0.6
CONDITIONS = (
    *(Condition(f, n) for n in NOISES for f in RATES),
    *(Condition(f, NOISES[-1], FAR_UNCLEAR) for f in RATES),
)


def _trial(args: tuple[str, str, str, tuple[Condition, ...]]) -> list[dict[str, object]]:
    runner, speed, data_dir, conds = args
    p = compare.prepare(runner, speed, Path(data_dir))
    out = []
    for k, cond in enumerate(conds):
        out.extend(compare.run_condition(p, cond, trial_seed(runner, speed, k)))
    return out


def trial_seed(runner: str, speed: str, k: int) -> int:
    """The noise and camera-offset seed of a trial's k-th condition (reproducible runs)."""
    return int(runner[4:]) * 1000 + int(speed) * 10 + k


def run_all(
    trials: list[tuple[str, str]] | None = None,
    conditions: tuple[Condition, ...] = CONDITIONS,
    data_dir: Path = rbds.DATA_DIR,
    jobs: int = 2,
) -> list[dict[str, object]]:
    """Every (runner, speed) of ``trials`` (all when None) at every condition."""
    if trials is None:
        trials = [(r, s) for r in rbds.runners(data_dir) for s in rbds.SPEEDS]
    work = [(r, s, str(data_dir), conditions) for r, s in trials]
    if jobs <= 1:
        parts = [_trial(w) for w in work]
    else:
        with ProcessPoolExecutor(jobs) as ex:
            parts = list(ex.map(_trial, work))
    return [r for part in parts for r in part]


def pooled(runs: list[dict[str, object]]) -> list[dict[str, object]]:
    """One summary per condition (see the module docstring)."""
    out = []
    keys = sorted(
        {(r["fps"], r["noise_px"], r["far_visibility"]) for r in runs},
        key=lambda k: (-k[2], k[1], k[0]),
    )
    for fps, noise, far in keys:
        rs = [
            r for r in runs if (r["fps"], r["noise_px"], r["far_visibility"]) == (fps, noise, far)
        ]
        steps: dict[str, list[float]] = {}
        clips: dict[str, list[float]] = {}
        for r in rs:
            for k, v in r["step_diffs"].items():
                steps.setdefault(k, []).extend(v)
            for k, v in r["clip"].items():
                f, t = v["formcheck"], v["truth"]
                clips.setdefault(k, []).append(np.nan if f is None else f - t)
        strike = {"n": 0, "agree_angle": 0, "agree_label": 0, "by_label": {}}
        for r in rs:
            for s in r["strike"].values():
                if not s["formcheck"]:
                    continue
                strike["n"] += 1
                strike["agree_angle"] += int(s["formcheck"] == s["angle_class"])
                strike["agree_label"] += int(s["formcheck"] == s["label"])
                key = f"{s['label']} -> {s['formcheck']}"
                strike["by_label"][key] = strike["by_label"].get(key, 0) + 1
        by_speed = {}
        for sp in sorted({r["speed"] for r in rs}):
            rsp = [r for r in rs if r["speed"] == sp]
            by_speed[sp] = {
                k: agreement(np.array([x for r in rsp for x in r["step_diffs"][k]]))
                for k in ("initial_contact_ms", "foot_angle_deg", "contact_time_ms")
            }
            leads = np.array([r["heel_lead_ms"] for r in rsp], float)
            by_speed[sp]["heel_lead_ms"] = (
                float(np.nanmedian(leads)) if np.isfinite(leads).any() else float("nan")
            )
            by_speed[sp]["force20_shift_ms"] = float(
                np.nanmedian([r["force20_shift_ms"] for r in rsp])
            )
        timed = {
            k: np.array([x for r in rs for x in r["at_contact_vs_timing"][k]], float).reshape(-1, 2)
            for k in AT_CONTACT
        }
        pairs = timed["foot_angle_vs_midstance_deg"]
        by_timing = []
        for lo, hi in TIMING_BINS_MS:
            sel = (pairs[:, 0] >= lo) & (pairs[:, 0] < hi)
            by_timing.append({"lo_ms": lo, "hi_ms": hi, **agreement(pairs[sel, 1])})
        out.append(
            {
                "fps": fps,
                "by_speed": by_speed,
                "strike_by_timing": by_timing,
                "timing_share": {k: timing_share(v[:, 0], v[:, 1]) for k, v in timed.items()},
                "noise_px": noise,
                "far_visibility": far,
                "refined": int(sum(r["refined"] for r in rs)),
                "clips": len(rs),
                "trials": len({(r["runner"], r["speed"]) for r in rs}),
                "runners": len({r["runner"] for r in rs}),
                "contacts": int(sum(r["contacts"] for r in rs)),
                "missed": int(sum(r["missed"] for r in rs)),
                "extra": int(sum(r["extra"] for r in rs)),
                "step": {k: agreement(np.array(v)) for k, v in steps.items()},
                "clip": {k: agreement(np.array(v)) for k, v in clips.items()},
                "clip_missing": {k: int(np.isnan(v).sum()) for k, v in clips.items()},
                "strike": strike,
                "lab": {
                    k: agreement(np.array([x for r in rs for x in r.get("lab", {}).get(k, [])]))
                    for k in sorted({k for r in rs for k in r.get("lab", {})})
                },
            }
        )
    return out
