"""One trial through formcheck, compared with the lab's truth.

:func:`prepare` reads a trial and builds its truth once; :func:`run_condition`
films it with the virtual camera (:mod:`.camera`) at one condition, runs
formcheck's running analysis on each clip of it and pairs formcheck's steps with the force
plate's contacts (same foot, nearest initial contact within a quarter of the
median step time). Contacts within half a second of either end of the clip are
not counted as missed (formcheck needs the swing around a contact to find it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from benchmarks.validation import body as body_mod
from benchmarks.validation import rbds, truth
from benchmarks.validation.camera import Condition, film
from benchmarks.validation.stats import match_times

#: Per-step comparisons: name -> (formcheck's step-table column, the truth's per-contact
#: value). The strike angle is compared with the lab's on both references: the standing
#: trial's (Altman & Davis 2012, what the cut-offs assume) and the mid-stance foot's
#: (formcheck's own convention), which separates the convention from the timing.
STEP_PAIRS = {
    "contact_time_ms": ("contact_time_ms", "contact_time_ms"),
    "duty_factor_pct": ("duty_factor_pct", "duty_factor_pct"),
    "overstride_leg_lengths": ("overstride_leg_lengths", "overstride_leg_lengths"),
    "shin_angle_deg": ("shin_angle_deg", "shin_angle_deg"),
    "knee_flexion_deg": ("knee_flexion_deg", "knee_flexion_deg"),
    "foot_angle_deg": ("foot_angle_deg", "foot_angle_deg"),
    "foot_angle_vs_midstance_deg": ("foot_angle_deg", "foot_angle_midstance_deg"),
    "step_time_s": ("step_time_s", "step_time_s"),
}
#: The per-step values read at the contact's instant, whose errors follow its timing
#: (``foot_angle_vs_midstance_deg`` also gives the strike angle's by-timing table).
AT_CONTACT = (
    "overstride_leg_lengths",
    "shin_angle_deg",
    "knee_flexion_deg",
    "foot_angle_deg",
    "foot_angle_vs_midstance_deg",
)
#: Clip-level comparisons: name -> (formcheck's clip metric, the truth's per-contact value
#: whose median over the clip's contacts is the clip's truth).
CLIP_PAIRS = {
    "contact_time_ms": ("contact_time_ms", "contact_time_ms"),
    "duty_factor_pct": ("duty_factor_pct", "duty_factor_pct"),
    "overstride_leg_lengths": ("overstride_leg_lengths", "overstride_leg_lengths"),
    "shin_angle_at_contact_deg": ("shin_angle_at_contact_deg", "shin_angle_deg"),
    "knee_flexion_at_contact_deg": ("knee_flexion_at_contact_deg", "knee_flexion_deg"),
    "foot_strike_angle_deg": ("foot_strike_angle_deg", "foot_angle_deg"),
    "foot_strike_angle_vs_midstance_deg": ("foot_strike_angle_deg", "foot_angle_midstance_deg"),
    "step_time_s": ("step_time_s", "step_time_s"),
    "vertical_oscillation_leg_lengths": (
        "vertical_oscillation_leg_lengths",
        "vertical_oscillation_leg_lengths",
    ),
}
#: One clip per this many seconds of a 30 s trial: about a runner's clip (the bundled
#: sample is 12 s, the live window 10 s).
WINDOW_S = 10.0
EDGE_S = 0.5


@dataclass(frozen=True)
class Prepared:
    """A trial's points and truth, computed once for every condition."""

    trial: rbds.Trial
    body: body_mod.Body
    contacts: truth.Contacts
    values: dict[str, np.ndarray]
    labels: dict[tuple[str, str], str]
    #: per contact: heel stop minus the 50 N contact, and the 20 N contact minus it, ms
    heel_lead_ms: np.ndarray
    force20_shift_ms: np.ndarray
    #: per contact, from the markers alone (:func:`.truth.lab_gaps`), deg
    lab: dict[str, np.ndarray] = field(default_factory=dict)


def prepare(runner: str, speed: str, data_dir=rbds.DATA_DIR) -> Prepared:
    trial = rbds.load_trial(runner, speed, data_dir)
    b = body_mod.build_body(trial.markers, rbds.load_static(runner, data_dir))
    pts = truth.Points(trial.t_s, b)
    ic, to = truth.force_contacts(trial.force_t_s, trial.fy)
    c = truth.label_contacts(ic, to, pts)
    ic20, _ = truth.force_contacts(trial.force_t_s, trial.fy, 20.0)
    values = truth.step_values(c, pts, b)
    # the heel stop marks the contact only where the heel lands first (rearfoot angle)
    heel_first = np.array([strike_class_truth(a) == "rearfoot" for a in values["foot_angle_deg"]])
    lead = np.where(heel_first, truth.heel_stop_lead_ms(c, pts), np.nan)
    return Prepared(
        trial,
        b,
        c,
        values,
        rbds.strike_labels(runner, data_dir),
        lead,
        truth.paired_shift_ms(c.ic_s, ic20),
        truth.lab_gaps(c, pts, b, values),
    )


def strike_class_truth(angle_deg: float) -> str:
    """Altman & Davis (2012) classes of a strike angle (standing reference)."""
    from formcheck.gait.steps import strike_class

    return strike_class(angle_deg)


def _median(x: np.ndarray) -> float:
    return float(np.nanmedian(x)) if np.isfinite(x).any() else float("nan")


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


def _window(series, t0: float, t1: float):
    """The frames of ``series`` in [t0, t1) as a series of their own."""
    from formcheck.pose.series import PoseSeries

    sel = (series.t_s >= t0) & (series.t_s < t1)
    return PoseSeries(series.xyzv[sel], series.t_s[sel], series.width, series.height)


def run_condition(
    p: Prepared, cond: Condition, seed: int, window_s: float = WINDOW_S
) -> list[dict[str, object]]:
    """formcheck on the trial filmed at ``cond``, one clip per ``window_s`` of it (a
    runner's clip is about that long): matched steps, clip metrics, counts per clip."""
    full = film(p.trial.t_s, p.body, cond, seed)
    starts = np.arange(float(full.t_s[0]), float(full.t_s[-1]) - 0.5 * window_s, window_s)
    return [_clip(p, cond, _window(full, a, a + window_s), k) for k, a in enumerate(starts)]


def _clip(p: Prepared, cond: Condition, series, k: int) -> dict[str, object]:
    # the running analysis in its two steps (what formcheck.analyze_pose runs for "run"),
    # so the core also says whether the contacts were refined
    from formcheck.gait.analysis import result_from_core
    from formcheck.gait.core import run_core
    from formcheck.settings import Settings

    core = run_core(series, Settings())
    report = result_from_core(core, Settings())
    refined = core.events.refined
    steps = _steps_table(report)
    c, tv = p.contacts, p.values
    t0, t1 = float(series.t_s[0]), float(series.t_s[-1])
    inside = (c.ic_s > t0 + EDGE_S) & (c.to_s < t1 - EDGE_S)
    tol = 0.25 * float(np.nanmedian(tv["step_time_s"]))
    pairs: dict[str, list[tuple[float, float]]] = {k: [] for k in STEP_PAIRS}
    pairs["initial_contact_ms"] = []
    pairs["toe_off_ms"] = []
    # per value read at contact: (contact error ms, the value's error)
    timing: dict[str, list[tuple[float, float]]] = {k: [] for k in AT_CONTACT}
    missed = extra = 0
    if steps:
        for side in ("left", "right"):
            ti = np.flatnonzero((c.side == side) & (c.ic_s >= t0) & (c.ic_s <= t1))
            fi = np.flatnonzero((steps["side"] == side) & (steps["confidence"] != "low"))
            m = match_times(c.ic_s[ti], steps["t_s"][fi], tol)
            missed += int(np.sum((m < 0) & inside[ti]))
            claimed = set(int(x) for x in m[m >= 0])
            in_span = (steps["t_s"][fi] > t0 + EDGE_S) & (steps["t_s"][fi] < t1 - EDGE_S)
            extra += int(sum(1 for j in range(fi.size) if j not in claimed and in_span[j]))
            for q, j in zip(ti, m, strict=True):
                if j < 0:
                    continue
                row = fi[j]
                pairs["initial_contact_ms"].append((1000 * steps["t_s"][row], 1000 * c.ic_s[q]))
                pairs["toe_off_ms"].append((1000 * steps["toe_off_t_s"][row], 1000 * c.to_s[q]))
                for key, (fc, tc) in STEP_PAIRS.items():
                    pairs[key].append((steps[fc][row], tv[tc][q]))
                ic_ms = 1000 * (steps["t_s"][row] - c.ic_s[q])
                for key in AT_CONTACT:
                    fc, tc = STEP_PAIRS[key]
                    timing[key].append((ic_ms, steps[fc][row] - tv[tc][q]))
    else:
        missed = int(inside.sum())
    diffs = {
        k: [a - b for a, b in v if np.isfinite(a) and np.isfinite(b)] for k, v in pairs.items()
    }
    clip: dict[str, dict[str, float | None]] = {}
    for key, (metric, tc) in CLIP_PAIRS.items():
        m_ = report.metrics.get(metric)
        clip[key] = {
            "formcheck": None if m_ is None or m_.value is None else float(m_.value),
            "truth": _median(tv[tc][inside]),
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
        found = max(sorted(set(cls)), key=cls.count) if cls else ""  # ties: same every run
        ta = _median(tv["foot_angle_deg"][(c.side == side) & inside])
        strike[side] = {
            "formcheck": found,
            "angle_class": strike_class_truth(ta),
            "label": p.labels.get((side, p.trial.speed), ""),
        }
    return {
        "runner": p.trial.runner,
        "speed": p.trial.speed,
        "window": k,
        "t0_s": t0,
        "fps": cond.fps,
        "noise_px": cond.noise_px,
        "far_visibility": cond.far_visibility,
        "refined": bool(refined),
        "contacts": int(inside.sum()),
        "heel_lead_ms": _median(p.heel_lead_ms[inside]),
        "lab": {k: [float(x) for x in v[inside] if np.isfinite(x)] for k, v in p.lab.items()},
        "force20_shift_ms": _median(p.force20_shift_ms[inside]),
        "missed": missed,
        "extra": extra,
        "step_diffs": diffs,
        "at_contact_vs_timing": {
            k: [(a, b) for a, b in v if np.isfinite(a) and np.isfinite(b)]
            for k, v in timing.items()
        },
        "clip": clip,
        "strike": strike,
    }
