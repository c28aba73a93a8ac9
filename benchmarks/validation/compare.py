"""One trial through formcheck, compared with the lab's truth.

:func:`prepare` reads a trial and builds its truth once; :func:`run_condition`
films it with the virtual camera (:mod:`.camera`) at one condition, runs
:func:`formcheck.analyze_pose` and pairs formcheck's steps with the force
plate's contacts (same foot, nearest initial contact within a quarter of the
median step time). Contacts within half a second of either end of the clip are
not counted as missed (formcheck needs the swing around a contact to find it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from benchmarks.validation import body as body_mod
from benchmarks.validation import rbds, truth
from benchmarks.validation.camera import Condition, film
from benchmarks.validation.stats import match_times

#: formcheck's step-table column -> the truth's per-contact value.
STEP_PAIRS = {
    "contact_time_ms": "contact_time_ms",
    "duty_factor_pct": "duty_factor_pct",
    "overstride_leg_lengths": "overstride_leg_lengths",
    "shin_angle_deg": "shin_angle_deg",
    "knee_flexion_deg": "knee_flexion_deg",
    "foot_angle_deg": "foot_angle_deg",
    "step_time_s": "step_time_s",
}
#: formcheck's clip metric -> the truth's per-contact value (its median is the clip's truth).
CLIP_PAIRS = {
    "contact_time_ms": "contact_time_ms",
    "duty_factor_pct": "duty_factor_pct",
    "overstride_leg_lengths": "overstride_leg_lengths",
    "shin_angle_at_contact_deg": "shin_angle_deg",
    "knee_flexion_at_contact_deg": "knee_flexion_deg",
    "foot_strike_angle_deg": "foot_angle_deg",
    "step_time_s": "step_time_s",
    "vertical_oscillation_leg_lengths": "vertical_oscillation_leg_lengths",
}
EDGE_S = 0.5


@dataclass(frozen=True)
class Prepared:
    """A trial's points and truth, computed once for every condition."""

    trial: rbds.Trial
    body: body_mod.Body
    contacts: truth.Contacts
    values: dict[str, np.ndarray]
    labels: dict[tuple[str, str], str]


def prepare(runner: str, speed: str, data_dir=rbds.DATA_DIR) -> Prepared:
    trial = rbds.load_trial(runner, speed, data_dir)
    b = body_mod.build_body(trial.markers, rbds.load_static(runner, data_dir))
    pts = truth.Points(trial.t_s, b)
    ic, to = truth.force_contacts(trial.force_t_s, trial.fy)
    c = truth.label_contacts(ic, to, pts)
    return Prepared(trial, b, c, truth.step_values(c, pts, b), rbds.strike_labels(runner, data_dir))


def strike_class_truth(angle_deg: float) -> str:
    """Altman & Davis (2012) classes of a strike angle (standing reference)."""
    from formcheck.gait.steps import strike_class

    return strike_class(angle_deg)


def _refined(series) -> bool:
    """Whether formcheck refined the contacts (both legs clearly seen)."""
    from formcheck.gait.core import run_core
    from formcheck.settings import Settings

    return bool(run_core(series, Settings()).events.refined)


def _steps_table(report) -> dict[str, np.ndarray]:
    tab = report.tables.get("steps")
    if tab is None:
        return {}
    cols = {c: np.array([r[j] for r in tab.rows], object) for j, c in enumerate(tab.columns)}
    out = {}
    for c, v in cols.items():
        if c in ("side", "foot_strike", "confidence"):
            out[c] = v.astype(str)
        else:
            out[c] = np.array([np.nan if x is None else float(x) for x in v])
    return out


def run_condition(p: Prepared, cond: Condition, seed: int) -> dict[str, object]:
    """formcheck on the trial filmed at ``cond``: matched steps, clip metrics, counts."""
    import formcheck

    series = film(p.trial.t_s, p.body, cond, seed)
    report = formcheck.analyze_pose(series, "run")
    refined = _refined(series)
    steps = _steps_table(report)
    c, tv = p.contacts, p.values
    t0, t1 = float(series.t_s[0]), float(series.t_s[-1])
    inside = (c.ic_s > t0 + EDGE_S) & (c.to_s < t1 - EDGE_S)
    tol = 0.25 * float(np.nanmedian(tv["step_time_s"]))
    pairs: dict[str, list[tuple[float, float]]] = {k: [] for k in STEP_PAIRS}
    pairs["initial_contact_ms"] = []
    pairs["toe_off_ms"] = []
    missed = extra = 0
    if steps:
        for side in ("left", "right"):
            ts = c.side == side
            fs = (steps["side"] == side) & (steps["confidence"] != "low")
            fi = np.flatnonzero(fs)
            ti = np.flatnonzero(ts)
            m = match_times(c.ic_s[ti], steps["t_s"][fi], tol)
            missed += int(np.sum((m < 0) & inside[ti]))
            claimed = set(int(x) for x in m[m >= 0])
            in_span = (steps["t_s"][fi] > t0 + EDGE_S) & (steps["t_s"][fi] < t1 - EDGE_S)
            extra += int(sum(1 for j in range(fi.size) if j not in claimed and in_span[j]))
            for k, j in zip(ti, m, strict=True):
                if j < 0:
                    continue
                row = fi[j]
                pairs["initial_contact_ms"].append((1000 * steps["t_s"][row], 1000 * c.ic_s[k]))
                pairs["toe_off_ms"].append((1000 * steps["toe_off_t_s"][row], 1000 * c.to_s[k]))
                for fc, tc in STEP_PAIRS.items():
                    pairs[fc].append((steps[fc][row], tv[tc][k]))
    else:
        missed = int(inside.sum())
    diffs = {
        k: [a - b for a, b in v if np.isfinite(a) and np.isfinite(b)] for k, v in pairs.items()
    }
    clip: dict[str, dict[str, float | None]] = {}
    sel = inside
    for metric, tc in CLIP_PAIRS.items():
        m_ = report.metrics.get(metric)
        clip[metric] = {
            "formcheck": None if m_ is None or m_.value is None else float(m_.value),
            "truth": float(np.nanmedian(tv[tc][sel])),
        }
    cad = report.metrics.get("cadence_spm")
    clip["cadence_spm"] = {
        "formcheck": None if cad is None or cad.value is None else float(cad.value),
        "truth": truth.cadence_spm(c.ic_s[(c.ic_s >= t0) & (c.ic_s <= t1)]),
    }
    strike = {}
    for side in ("left", "right"):
        cls = [
            s
            for s, sd in zip(steps.get("foot_strike", []), steps.get("side", []), strict=True)
            if sd == side and s
        ]
        found = max(set(cls), key=cls.count) if cls else ""
        ta = float(np.nanmedian(tv["foot_angle_deg"][c.side == side]))
        strike[side] = {
            "formcheck": found,
            "angle_class": strike_class_truth(ta),
            "label": p.labels.get((side, p.trial.speed), ""),
        }
    return {
        "runner": p.trial.runner,
        "speed": p.trial.speed,
        "fps": cond.fps,
        "noise_px": cond.noise_px,
        "far_visibility": cond.far_visibility,
        "refined": bool(refined),
        "contacts": int(inside.sum()),
        "missed": missed,
        "extra": extra,
        "step_diffs": diffs,
        "clip": clip,
        "strike": strike,
    }
