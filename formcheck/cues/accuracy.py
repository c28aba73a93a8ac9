"""Each running metric's validated uncertainty, from the validation harness's output.

``python -m benchmarks.validation`` runs formcheck on lab runners (force plates and
motion capture; Fukuchi et al. 2017, CC BY 4.0) at 30, 60, 120 and 240 fps and writes
one file into the package, ``formcheck/cues/accuracy.json`` (schema
``formcheck-accuracy/1``): per metric and frame rate, the number of trials, the bias
(formcheck minus the lab), the mean absolute error, the 95 % Bland-Altman limits of
agreement and the worst case, all for the clip-level value (the clip's median) in the
metric's unit. This module reads that file once and is the only place that decides
what a metric's shown uncertainty is; the analysis sets it on the metrics
(:func:`attach_accuracy`) and every page shows what :func:`accuracy_label` says.

Choices:

* Frame rate: a clip uses the figures of the highest validated rate not above its
  own (a 50 fps clip gets the 30 fps figures: conservative); a clip below the lowest
  validated rate (24 fps) is not validated. A clip up to :data:`RATE_TOLERANCE` below
  a rate counts as that rate (29.97 fps phones, a variable-rate clip's median interval).
* View: the validation projected the markers into a side-view camera, so front and
  rear views are not validated, whatever the metric.
* Confidence: a validated metric's ``confidence`` becomes ``"validated"`` (the
  measured uncertainty replaces the hand-set "high"/"medium" guess), except that
  ``"low"`` stays low: it comes from this clip's own evidence (fewer than 4 steps,
  poorly visible landmarks, cadence methods that disagree), i.e. conditions worse
  than the validation's. Contact time and duty factor (:data:`RATE_ONLY`) are the
  exception: their confidence is set from the frame rate alone
  (:func:`formcheck.gait.side_metrics.add_side_metrics`), which is what the validation
  at that rate measured, so it is replaced even when "low".
* Not validated: derived figures have no validation of their own (centimetres from
  the profile's leg length, left-right differences, asymmetries, drifts, trends);
  every running number shown to the runner without figures says "not validated"
  (:func:`accuracy_label`), except the internal figures in :data:`INTERNAL`.
* The file missing (before the harness has run): nothing is validated, nothing breaks.
  A file that is there but malformed raises ``ValueError`` (a packaging mistake to fix,
  not something to hide).
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable

from formcheck.cues.words_accuracy import NOT_VALIDATED, accuracy_short
from formcheck.results import Accuracy, Metric

#: The schema name the harness writes.
SCHEMA = "formcheck-accuracy/1"
#: The harness's output, shipped in the package (tests point this elsewhere).
ACCURACY_FILE: Traversable = files("formcheck.cues").joinpath("accuracy.json")
#: A clip this far below a validated rate (relative) still counts as that rate.
RATE_TOLERANCE = 0.03
#: Running figures that are not numbers for the runner (a cross-check, a capture fact):
#: shown without a word on validation.
INTERNAL = frozenset({"cadence_spectral_spm", "slow_motion_factor"})
#: Metrics whose hand-set confidence reflects only the frame rate (see the module
#: docstring): a validation at the clip's rate replaces it even when it is "low".
RATE_ONLY = frozenset({"contact_time_ms", "duty_factor_pct"})
#: Fewer steps than this keep a rate-only "low" (formcheck.gait.side_metrics gives
#: "low" below 4 steps whatever the rate).
MIN_STEPS_FOR_RATE_ONLY = 4
#: The confidence of a validated metric (see the module docstring).
VALIDATED = "validated"
#: The hand-set confidence a metric falls back to when it loses its validation.
UNVALIDATED_CONFIDENCE = "medium"


@dataclass(frozen=True, slots=True)
class AccuracyTable:
    """The harness's file, read: per metric its unit and its figures by frame rate."""

    reference: str = ""
    source: str = ""
    noise: str = ""
    units: Mapping[str, str] = field(default_factory=dict)
    by_rate: Mapping[str, Mapping[int, Accuracy]] = field(default_factory=dict)
    #: The same with the far leg poorly seen (its contacts not refined, see
    #: :attr:`formcheck.gait.events.GaitEvents.refined`).
    by_rate_far_unclear: Mapping[str, Mapping[int, Accuracy]] = field(default_factory=dict)


def _finite(entry: Mapping[str, object], key: str, where: str) -> float | None:
    x = entry.get(key)
    if x is None:
        return None
    if isinstance(x, bool) or not isinstance(x, int | float):
        raise ValueError(f"{where}: {key} must be a number, got {x!r}")
    return float(x) if math.isfinite(x) else None


def _rates(
    metrics: Mapping[str, object], ref: str, src: str, noise: str, units: dict[str, str]
) -> dict[str, dict[int, Accuracy]]:
    by_rate: dict[str, dict[int, Accuracy]] = {}
    for name, m in metrics.items():
        if not isinstance(m, Mapping) or not isinstance(m.get("by_fps"), Mapping):
            raise ValueError(f"accuracy file: {name} needs 'unit' and 'by_fps'")
        units.setdefault(name, str(m.get("unit", "")))
        rates: dict[int, Accuracy] = {}
        for fps_key, e in m["by_fps"].items():  # type: ignore[union-attr]
            where = f"accuracy file: {name} at {fps_key} fps"
            if e is None:
                continue
            if not isinstance(e, Mapping):
                raise ValueError(f"{where}: expected an object")
            fps = int(fps_key)
            nums = [_finite(e, k, where) for k in ("bias", "mae", "loa_low", "loa_high", "worst")]
            n = int(e.get("n") or 0)
            if n < 1 or fps < 1 or any(x is None for x in nums):
                continue
            bias, mae, lo, hi, worst = nums
            rates[fps] = Accuracy(fps, n, bias, mae, lo, hi, worst, ref, src, noise)  # type: ignore[arg-type]
        by_rate[name] = rates
    return by_rate


def parse(data: Mapping[str, object]) -> AccuracyTable:
    """The table from the file's JSON. A rate whose entry lacks a figure (null, NaN) or
    has no trials is not validated at that rate. Raises ValueError on another schema.

    ``metrics`` holds the figures with both legs clearly seen; the optional
    ``metrics_far_leg_unclear`` (condition ``noise_far_leg_unclear``) those with the
    far leg poorly seen.
    """
    if not isinstance(data, Mapping) or data.get("schema") != SCHEMA:
        raise ValueError(f"accuracy file: expected schema {SCHEMA!r}")
    metrics = data.get("metrics")
    far = data.get("metrics_far_leg_unclear") or {}
    if not isinstance(metrics, Mapping) or not isinstance(far, Mapping):
        raise ValueError("accuracy file: 'metrics' must be an object")
    ref, src, noise = (str(data.get(k) or "") for k in ("reference", "source", "noise"))
    far_noise = str(data.get("noise_far_leg_unclear") or noise)
    units: dict[str, str] = {}
    by_rate = _rates(metrics, ref, src, noise, units)
    by_far = _rates(far, ref, src, far_noise, units)
    return AccuracyTable(ref, src, noise, units, by_rate, by_far)


@lru_cache(maxsize=1)
def table() -> AccuracyTable:
    """The package's accuracy file, read once (empty when it is not there)."""
    if not ACCURACY_FILE.is_file():
        return AccuracyTable()
    return parse(json.loads(ACCURACY_FILE.read_text(encoding="utf-8")))


def accuracy_for(name: str, fps: float, far_leg_clear: bool = True) -> Accuracy | None:
    """The figures for metric ``name`` in a clip of ``fps`` frames per second: those of
    the highest validated rate not above it; None when not validated at that rate.
    ``far_leg_clear`` False: the figures measured with the far leg poorly seen."""
    t = table()
    rates = (t.by_rate if far_leg_clear else t.by_rate_far_unclear).get(name)
    if not rates or not math.isfinite(fps) or fps <= 0:
        return None
    usable = [r for r in rates if r <= fps * (1.0 + RATE_TOLERANCE)]
    return rates[max(usable)] if usable else None


def with_accuracy(m: Metric, acc: Accuracy | None, keep_low: bool = True) -> Metric:
    """``m`` with ``acc`` as its uncertainty and the confidence it implies (see the
    module docstring); a metric without a value gets none. keep_low : a "low"
    confidence stays low (False: the validation replaces it too)."""
    if acc is None or m.value is None:
        conf = UNVALIDATED_CONFIDENCE if m.confidence == VALIDATED else m.confidence
        return dataclasses.replace(m, accuracy=None, confidence=conf)
    conf = "low" if keep_low and m.confidence == "low" else VALIDATED
    return dataclasses.replace(m, accuracy=acc, confidence=conf)


def attach_accuracy(
    metrics: Mapping[str, Metric],
    fps: float,
    *,
    side_view: bool = True,
    far_leg_clear: bool = True,
) -> dict[str, Metric]:
    """The running metrics with their validated uncertainty at ``fps`` (the analysis
    clock's rate: for slow motion of known capture rate, the capture rate) set where
    the validation covers them; the others unchanged (not validated).
    ``far_leg_clear``: both legs were seen clearly enough for the refined contacts
    (:attr:`formcheck.gait.events.GaitEvents.refined`); else the figures measured with
    the far leg poorly seen apply."""
    out = dict(metrics)
    units = table().units
    for name, m in metrics.items():
        ok = side_view and units.get(name) == m.unit
        acc = accuracy_for(name, fps, far_leg_clear) if ok else None
        if acc is not None or m.accuracy is not None:
            # a rate-only "low" is replaced, unless the clip also has too few steps
            rate_only = name in RATE_ONLY and m.n >= MIN_STEPS_FOR_RATE_ONLY
            out[name] = with_accuracy(m, acc, keep_low=not rate_only)
    return out


def wider(a: Accuracy | None, b: Accuracy | None) -> Accuracy | None:
    """The uncertainty of a value combined from two clips: the wider of theirs, or None
    when either clip was not validated (conservative)."""
    if a is None or b is None:
        return None
    return a if a.plus_minus >= b.plus_minus else b


def accuracy_label(activity: str, name: str, m: Metric, symbol: bool = False) -> str:
    """What a page shows beside a metric: ``"±20 ms at 30 fps"``, ``"not validated"``
    for a running number without figures, or nothing (exercises, internal figures,
    values not measured)."""
    if m.accuracy is not None:
        return accuracy_short(m.accuracy, m.unit, like=m.value, symbol=symbol)
    if activity == "run" and m.value is not None and name not in INTERNAL:
        return NOT_VALIDATED
    return ""
