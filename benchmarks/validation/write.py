"""The harness's outputs: results.json, the package's accuracy.json, ACCURACY.md.

Every number in ACCURACY.md is formatted here from the pooled results; none is typed.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from benchmarks.validation.camera import VISIBILITY, Condition
from benchmarks.validation.checks import label, targets
from benchmarks.validation.compare import AT_CONTACT

REPO = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results.json"
ACCURACY_JSON = REPO / "formcheck" / "cues" / "accuracy.json"
ACCURACY_MD = REPO / "benchmarks" / "ACCURACY.md"
COMMAND = "python -m benchmarks.validation"
CITATION = (
    "Fukuchi RK, Fukuchi CA, Duarte M (2017) A public dataset of running biomechanics and "
    "the effects of running speed on lower extremity kinematics and kinetics. PeerJ 5:e3298, "
    "doi:10.7717/peerj.3298 (data CC BY 4.0)"
)
#: Clip-level metrics shown to the runner: name -> (unit as formcheck gives it, decimals).
CLIP_METRICS = {
    "cadence_spm": ("steps/min", 2),
    "step_time_s": ("s", 4),
    "contact_time_ms": ("ms", 1),
    "duty_factor_pct": ("%", 2),
    "overstride_leg_lengths": ("leg lengths", 4),
    "shin_angle_at_contact_deg": ("deg", 2),
    "knee_flexion_at_contact_deg": ("deg", 2),
    "foot_strike_angle_deg": ("deg", 2),
    "vertical_oscillation_leg_lengths": ("leg lengths", 4),
}
#: Clip-level rows of ACCURACY.md: the shipped metrics and the strike angle on
#: formcheck's own (mid-stance) reference.
CLIP_ROWS = {
    **CLIP_METRICS,
    "foot_strike_angle_vs_midstance_deg": ("deg", 2),
}
STEP_METRICS = {
    "initial_contact_ms": ("ms", 1),
    "toe_off_ms": ("ms", 1),
    "contact_time_ms": ("ms", 1),
    "duty_factor_pct": ("%", 2),
    "step_time_s": ("s", 4),
    "overstride_leg_lengths": ("leg lengths", 4),
    "shin_angle_deg": ("deg", 2),
    "knee_flexion_deg": ("deg", 2),
    "foot_angle_deg": ("deg", 2),
    "foot_angle_vs_midstance_deg": ("deg", 2),
}
#: The condition whose clip-level figures formcheck shows beside its numbers.
SHOWN_NOISE_PX = 4.0


def _clean(x: object) -> object:
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, dict):
        return {str(k): _clean(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_clean(v) for v in x]
    if hasattr(x, "item"):
        return _clean(x.item())
    return x


def write_results(runs: list[dict], pooled: list[dict], version: str, path: Path = RESULTS) -> Path:
    # the per-step lists are pooled; a run keeps its clip figures
    per_step = ("step_diffs", "lab", "at_contact_vs_timing")
    slim = [{k: v for k, v in r.items() if k not in per_step} for r in runs]
    path.write_text(
        json.dumps(
            _clean(
                {
                    "generated_by": COMMAND,
                    "formcheck_version": version,
                    "source": CITATION,
                    "pooled": pooled,
                    "runs": slim,
                }
            ),
            indent=1,
        )
        + "\n"
    )
    return path


def _clip_figures(pooled: list[dict], far_clear: bool) -> dict[str, dict[str, object]]:
    metrics: dict[str, dict[str, object]] = {}
    for name, (unit, _) in CLIP_METRICS.items():
        by_fps = {}
        for p in pooled:
            cond = Condition(p["fps"], p["noise_px"], p["far_visibility"])
            if p["noise_px"] != SHOWN_NOISE_PX or cond.far_clear != far_clear:
                continue
            a = p["clip"].get(name)
            ok = a is not None and a["n"] >= 2 and a["sd"] is not None and math.isfinite(a["sd"])
            by_fps[str(int(p["fps"]))] = (
                {k: a[k] for k in ("n", "bias", "mae", "loa_low", "loa_high", "worst")}
                if ok
                else None
            )
        metrics[name] = {"unit": unit, "by_fps": by_fps}
    return metrics


def accuracy_table(pooled: list[dict], version: str) -> dict[str, object]:
    """The package file (schema ``formcheck-accuracy/1``): clip level, noisy condition,
    both legs clearly seen (``metrics``) and the far leg poorly seen
    (``metrics_far_leg_unclear``)."""
    return _clean(
        {
            "schema": "formcheck-accuracy/1",
            "generated_by": COMMAND,
            "formcheck_version": version,
            "reference": "force plates and motion capture",
            "source": "Fukuchi RK, Fukuchi CA, Duarte M (2017) PeerJ 5:e3298",
            "noise": f"pose-like noise {SHOWN_NOISE_PX:g} px",
            "noise_far_leg_unclear": f"pose-like noise {SHOWN_NOISE_PX:g} px, far leg poorly seen",
            "metrics": _clip_figures(pooled, True),
            "metrics_far_leg_unclear": _clip_figures(pooled, False),
        }
    )


def write_accuracy(pooled: list[dict], version: str, path: Path = ACCURACY_JSON) -> Path:
    path.write_text(json.dumps(accuracy_table(pooled, version), indent=1) + "\n")
    return path


def _f(x: float | None, nd: int) -> str:
    if x is None or not math.isfinite(x):
        return "-"
    return f"{x:+.{nd}f}" if nd >= 0 else f"{x:g}"


def _agreement_rows(pooled: list[dict], level: str, names: dict[str, tuple[str, int]]) -> list[str]:
    rows = [
        "| metric | unit | condition | n | bias | MAE | 95 % limits of agreement "
        "| +- on each limit | worst |",
        "| --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for name, (unit, nd) in names.items():
        for p in pooled:
            a = p[level].get(name)
            if a is None:
                continue
            rows.append(
                f"| {name} | {unit} | {label(p)} | {a['n']} | "
                f"{_f(a['bias'], nd)} | {_f(a['mae'], nd).lstrip('+')} | "
                f"{_f(a['loa_low'], nd)} to {_f(a['loa_high'], nd)} | "
                f"{_f(a.get('loa_ci'), nd).lstrip('+')} | {_f(a['worst'], nd)} |"
            )
    return rows


def _event_rows(pooled: list[dict]) -> list[str]:
    rows = [
        "| condition | runners | trials | clips | clips refined | force-plate contacts "
        "| missed | extra "
        "| initial contact bias (ms) | IC MAE (ms) | IC 95 % LoA (ms) | cadence MAE (steps/min) "
        "| cadence worst |",
        "| --- |" + " ---: |" * 9 + " --- | ---: | ---: |",
    ]
    for p in pooled:
        ic = p["step"].get("initial_contact_ms")
        cad = p["clip"]["cadence_spm"]
        rows.append(
            f"| {label(p)} | {p['runners']} | {p['trials']} | {p['clips']} | {p['refined']} | "
            f"{p['contacts']} | "
            f"{p['missed']} | {p['extra']} | {_f(ic['bias'], 1)} | "
            f"{_f(ic['mae'], 1).lstrip('+')} | "
            f"{_f(ic['loa_low'], 1)} to {_f(ic['loa_high'], 1)} | "
            f"{_f(cad['mae'], 2).lstrip('+')} | {_f(cad['worst'], 2)} |"
        )
    return rows


def _at_60_clear(pooled: list[dict]) -> list[dict]:
    """The 60 fps conditions with both legs clearly seen (the by-speed and timing tables)."""
    return [p for p in pooled if p["fps"] == 60.0 and p["far_visibility"] >= VISIBILITY]


def _speed_rows(pooled: list[dict]) -> list[str]:
    rows = [
        "| condition | speed (m/s) | IC bias (ms) | IC MAE (ms) | strike angle bias (deg) "
        "| contact time bias (ms) | heel stop - 50 N contact (ms) | 20 N - 50 N contact (ms) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for p in _at_60_clear(pooled):
        for sp, v in sorted(p["by_speed"].items()):
            ic, fa, ct = v["initial_contact_ms"], v["foot_angle_deg"], v["contact_time_ms"]
            rows.append(
                f"| {label(p)} | {int(sp) / 10:.1f} | {_f(ic['bias'], 1)} | "
                f"{_f(ic['mae'], 1).lstrip('+')} | {_f(fa['bias'], 2)} | {_f(ct['bias'], 1)} | "
                f"{_f(v['heel_lead_ms'], 1)} | {_f(v['force20_shift_ms'], 1)} |"
            )
    return rows


def _timing_rows(pooled: list[dict]) -> list[str]:
    rows = [
        "| condition | initial-contact error (ms) | steps | strike angle error, mean (deg) "
        "| SD (deg) |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for p in _at_60_clear(pooled):
        for b in p["strike_by_timing"]:
            rows.append(
                f"| {label(p)} | {b['lo_ms']:+.0f} to {b['hi_ms']:+.0f} | {b['n']} | "
                f"{_f(b['bias'], 2)} | {_f(b['sd'], 2).lstrip('+')} |"
            )
    return rows


def _timing_share_rows(pooled: list[dict]) -> list[str]:
    rows = [
        "| value at contact | unit | condition | steps | contact timing SD (ms) | MAE "
        "| change per ms of late contact | MAE with the contact on the force plate's |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name in AT_CONTACT:
        unit, nd = STEP_METRICS[name]
        for p in _at_60_clear(pooled):
            s = p["timing_share"][name]
            rows.append(
                f"| {name} | {unit} | {label(p)} | {s['n']} | "
                f"{_f(s['timing_sd_ms'], 1).lstrip('+')} | {_f(s['mae'], nd).lstrip('+')} | "
                f"{_f(s['per_ms'], nd + 1)} | {_f(s['mae_without_timing'], nd).lstrip('+')} |"
            )
    return rows


def _strike_rows(pooled: list[dict]) -> list[str]:
    rows = [
        "| condition | feet x clips | formcheck = strike-angle class | formcheck = data set's "
        "label | data set's label -> formcheck |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for p in pooled:
        s = p["strike"]
        pairs = ", ".join(f"{k}: {v}" for k, v in sorted(s["by_label"].items()))
        rows.append(
            f"| {label(p)} | {s['n']} | {s['agree_angle']} | {s['agree_label']} | {pairs} |"
        )
    return rows


def _runners_text(runners: list[str]) -> str:
    """ "6 runners (RBDS005, ...)": the runners a run covered."""
    return f"{len(runners)} runner{'s' * (len(runners) != 1)} ({', '.join(runners)})"


def write_markdown(
    pooled: list[dict],
    version: str,
    method: str,
    caveats: str,
    anchors: str,
    clips: list[str],
    runners: list[str],
    path: Path = ACCURACY_MD,
    elapsed_s: float | None = None,
) -> Path:
    lines = [
        "# How accurate are formcheck's running numbers?",
        "",
        f"Made by `{COMMAND}`"
        + (f" ({elapsed_s / 60:.0f} min on the machine that made it)" if elapsed_s else "")
        + "; do not edit by hand. "
        f"formcheck {version}. Raw figures: `benchmarks/validation/results.json`; the "
        "clip-level figures formcheck shows beside each number: `formcheck/cues/accuracy.json`.",
        "",
        f"Lab data: {CITATION}. {_runners_text(runners)} at 2.5, 3.5 and 4.5 m/s on a "
        "force-instrumented treadmill (30 s each), markers at 150 Hz, vertical force at "
        "300 Hz. Other runners of the same data set are kept apart by the project to check "
        "that these figures hold for runners not seen (`--data` their folder, `--out` "
        "another folder, so the shipped figures stay the shared runners').",
        "",
        "Each 30 s trial is cut into three 10 s clips, about a runner's clip, and each clip is "
        "analysed on its own. Differences are formcheck minus the lab. *Per step*: each "
        "formcheck step (of medium or high confidence) paired with its force-plate contact. "
        "*Per clip*: formcheck's clip value (the median over its steps) against the median "
        "of the lab's values over the same contacts; this is the figure shown to the runner. "
        "95 % limits of agreement: bias -/+ 1.96 SD (Bland and Altman 1986), with the 95 % "
        "interval of each limit (Bland and Altman 1999). Steps and clips of one runner are not "
        f"independent, so with {len(runners)} runners these intervals are optimistic.",
        "",
        "## The issue's checks",
        "",
        "| check | met | figure |",
        "| --- | --- | --- |",
        *[
            f"| {w} | {'-' if ok is None else 'yes' if ok else '**no**'} | {fig} |"
            for w, ok, fig in targets(pooled)
        ],
        "",
        "The strike angle at contact is read while the foot turns fastest (a heel striker's "
        "foot slaps down at several hundred degrees per second just after contact), so a few "
        "milliseconds of contact timing are a few degrees; the by-speed table shows the "
        "contact's timing drifting with speed, and the per-step table compares the angle on "
        "both references (standing, and formcheck's own mid-stance foot). The first row "
        "for information takes the contact's timing away from formcheck's own angle (the "
        "table of values at contact, below, shows how): even with its contact on the force "
        "plate's, formcheck's angle would be off by that much. Its contact's per-step "
        "timing (the SD in that row) is about as precise as published kinematic methods on "
        "250 Hz markers (Handsaker et al. 2016, below: a 95 % range 30 ms wide, an SD near "
        "7.6 ms). The next three rows bound the angle from the markers alone: read at the "
        "foot's own "
        "touch-down (the knot of the heel's or forefoot's height), the angle already "
        "differs from the angle at the force plate's contact by the first figure, before "
        "any camera, frame rate or smoothing; formcheck's mid-stance foot is not the "
        "standing foot (the heel starts to rise in that part of the stance) by the second; "
        "and the third puts the two together at their best (a perfect kinematic contact, "
        "and the flat foot taken where it turns least, the closest to the standing foot of "
        "the references tried): a video, which has no standing trial, cannot be expected "
        "to come closer to the lab's strike angle than that figure without a standing "
        "reference of its own.",
        "",
        "## Steps and cadence",
        "",
        *_event_rows(pooled),
        "",
        "### By running speed",
        "",
        "The force plate's contact is itself a convention. The last two columns are "
        "the lab's own: when the stance heel marker stops coming down, and where a 20 N "
        "threshold would put the contact, both against the 50 N contact used here (medians "
        "over trials; a heel that lands after the forefoot has no heel stop). formcheck's "
        "contact comes from the foot's path, so at slow speeds, where the load builds "
        "slowly, it is expected earlier than a force threshold.",
        "",
        *_speed_rows(pooled),
        "",
        "## Per clip (what formcheck shows)",
        "",
        *_agreement_rows(pooled, "clip", CLIP_ROWS),
        "",
        "## Per step",
        "",
        *_agreement_rows(pooled, "step", STEP_METRICS),
        "",
        "### The strike angle and the contact's timing",
        "",
        "formcheck's strike angle against the lab's on formcheck's own (mid-stance) "
        "reference, by how far formcheck's contact is from the force plate's: the angle's "
        "error follows the contact's timing, because the foot turns fast just after contact.",
        "",
        *_timing_rows(pooled),
        "",
        "Every value formcheck reads at the contact's instant carries the contact's timing. "
        "Per step, each value's error against the lab fitted by a line in formcheck's contact "
        "error (least squares), and the error left when that line's part is taken away: "
        "what the value would show, on formcheck's own landmarks, with a contact exactly on "
        "the force plate's. Most of the error of the values at contact is the contact's "
        "timing; what is left is the landmarks and, for the strike angle, the reference.",
        "",
        *_timing_share_rows(pooled),
        "",
        "## Foot strike class",
        "",
        "formcheck's class of each foot in each trial (its most common step class) against "
        "the class of the lab's strike angle (Altman and Davis 2012: the heel-forefoot angle "
        "at contact minus the standing trial's; rearfoot above 8 deg, forefoot below -1.6 deg) "
        "and against the data set's labels, which come from the strike index (where the centre "
        "of pressure lies along the foot at contact, Cavanagh and Lafortune 1980): a different "
        "convention, so disagreement with the labels is expected where a flat landing puts the "
        "pressure mid-foot.",
        "",
        *_strike_rows(pooled),
        "",
        "## Real clips with known truths",
        "",
        *clips,
        "",
        "## How the comparison was made",
        "",
        method,
        "",
        "## What this can and cannot show",
        "",
        caveats,
        "",
        "## Published figures beside these",
        "",
        anchors,
        "",
    ]
    path.write_text("\n".join(lines))
    return path
