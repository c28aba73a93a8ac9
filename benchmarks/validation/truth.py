"""The lab's truth: contacts from the force plate, values at contact from the markers.

* **Contacts**: one plate under the belt and a flight phase between steps, so each
  run of vertical force above 50 N is one foot's stance (50 N: the top of the
  20-50 N of common practice, above the plate's isolated 15-50 N flight spikes;
  the README of the data set measures initial contact 2 ms earlier and toe-off
  7 ms later at 20 N). Crossings are interpolated between the 300 Hz samples.
  Runs shorter than 80 ms are not running stances and are dropped.
* **Foot**: the one whose heel is lower at mid-contact.
* **Values at contact**, in the sagittal plane (X forward, Y up) at the force
  plate's initial contact, the 150 Hz points interpolated with a cubic spline:
  overstride = ankle centre ahead of the hip-centre midpoint over the leg length
  (static trial); shin angle = knee->ankle centre from vertical, ankle ahead
  positive; knee flexion = 180 deg minus the hip-knee-ankle angle; strike angle =
  heel->forefoot angle above the horizontal minus the standing trial's (Altman AR,
  Davis IS (2012) Gait Posture 35:298-300), toe up positive.
* **Between contacts**, counted as formcheck counts them: step time (from the
  other foot's previous contact to this one), stride time (from this foot's
  previous contact, else to its next), duty factor (contact time over stride time)
  and vertical oscillation (hip-centre midpoint's range from this contact to the
  next, over the leg length).
* **Strike angle on formcheck's reference**: the same heel-forefoot angle at
  contact minus its median over 33-67 % of the force contact (the foot flat in
  mid-stance, formcheck's reference for want of a standing trial on video).
* **What any kinematic contact can reach** (:func:`lab_gaps`, from the markers alone,
  no camera): the strike angle at the markers' own touch-down against the angle at the
  force contact, formcheck's mid-stance reference against the standing one, and the
  two together at their best: the angle at the touch-down on the stillest part of the
  stance (a reference a clip can give) against the lab's strike angle.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.interpolate import CubicSpline

from benchmarks.validation.body import Body, sagittal_angle_deg

CONTACT_N = 50.0
MIN_CONTACT_S = 0.08
#: The markers' touch-down (:func:`touchdown_s`): heights are fitted within this many
#: seconds of the force contact, the knot searched within half of it.
TOUCHDOWN_WINDOW_S = 0.04


@dataclass(frozen=True)
class Contacts:
    """Force-plate stances; arrays of shape (contacts,). Times in s, side "left"/"right"."""

    ic_s: np.ndarray
    to_s: np.ndarray
    side: np.ndarray

    @property
    def n(self) -> int:
        return int(self.ic_s.size)


def _crossing(t: np.ndarray, f: np.ndarray, i: int, level: float) -> float:
    """Time where f crosses ``level`` between samples i and i + 1 (linear)."""
    a, b = f[i], f[i + 1]
    return float(t[i] + (level - a) / (b - a) * (t[i + 1] - t[i]))


def force_contacts(
    t_s: np.ndarray, fy: np.ndarray, level: float = CONTACT_N
) -> tuple[np.ndarray, np.ndarray]:
    """(initial contacts, toe-offs) of complete stances above ``level`` N, seconds."""
    f = np.nan_to_num(fy, nan=0.0)
    above = f > level
    d = np.diff(above.astype(int))
    rise = np.flatnonzero(d == 1)
    fall = np.flatnonzero(d == -1)
    ics, tos = [], []
    for r in rise:
        after = fall[fall > r]
        if after.size == 0:
            break
        q = int(after[0])
        ic, to = _crossing(t_s, f, int(r), level), _crossing(t_s, f, q, level)
        if to - ic >= MIN_CONTACT_S:
            ics.append(ic)
            tos.append(to)
    return np.array(ics), np.array(tos)


class Points:
    """Cubic-spline access to a body's 150 Hz points at any time (mm)."""

    def __init__(self, t_s: np.ndarray, body: Body) -> None:
        self._splines = {}
        for k, v in body.points.items():
            ok = np.isfinite(v).all(axis=1)
            self._splines[k] = CubicSpline(t_s[ok], v[ok], axis=0)

    def at(self, name: str, t: np.ndarray | float) -> np.ndarray:
        return self._splines[name](t)


def label_contacts(ic: np.ndarray, to: np.ndarray, pts: Points) -> Contacts:
    """Which foot each stance is: the one with the lower heel at mid-contact."""
    mid = 0.5 * (ic + to)
    left = pts.at("heel_left", mid)[:, 1]
    right = pts.at("heel_right", mid)[:, 1]
    return Contacts(ic, to, np.where(left < right, "left", "right"))


def knee_flexion_deg(hip: np.ndarray, knee: np.ndarray, ankle: np.ndarray) -> np.ndarray:
    """180 minus the hip-knee-ankle angle in the X-Y plane, degrees."""
    u = hip[..., :2] - knee[..., :2]
    w = ankle[..., :2] - knee[..., :2]
    cos = np.sum(u * w, axis=-1) / (np.linalg.norm(u, axis=-1) * np.linalg.norm(w, axis=-1))
    return 180.0 - np.degrees(np.arccos(np.clip(cos, -1, 1)))


def step_values(c: Contacts, pts: Points, body: Body) -> dict[str, np.ndarray]:
    """Per contact (shape (contacts,)): the values of the module docstring; NaN if undefined."""
    n = c.n
    out = {
        k: np.full(n, np.nan)
        for k in (
            "overstride_leg_lengths",
            "shin_angle_deg",
            "knee_flexion_deg",
            "foot_angle_deg",
            "foot_angle_midstance_deg",
            "contact_time_ms",
            "step_time_s",
            "stride_time_s",
            "duty_factor_pct",
            "vertical_oscillation_leg_lengths",
        )
    }
    for i in range(n):
        s, t = str(c.side[i]), float(c.ic_s[i])
        hip_mid = 0.5 * (pts.at("hip_left", t) + pts.at("hip_right", t))
        hip, knee, ankle = (pts.at(f"{p}_{s}", t) for p in ("hip", "knee", "ankle"))
        out["overstride_leg_lengths"][i] = (ankle[0] - hip_mid[0]) / body.leg_mm
        out["shin_angle_deg"][i] = np.degrees(np.arctan2(ankle[0] - knee[0], knee[1] - ankle[1]))
        out["knee_flexion_deg"][i] = knee_flexion_deg(hip, knee, ankle)
        out["foot_angle_deg"][i] = (
            sagittal_angle_deg(pts.at(f"heel_{s}", t), pts.at(f"toe_{s}", t))
            - body.static_foot_deg[s]
        )
        mid = np.linspace(t + 0.33 * (c.to_s[i] - t), t + 0.67 * (c.to_s[i] - t), 9)
        flat = np.median(sagittal_angle_deg(pts.at(f"heel_{s}", mid), pts.at(f"toe_{s}", mid)))
        out["foot_angle_midstance_deg"][i] = (
            sagittal_angle_deg(pts.at(f"heel_{s}", t), pts.at(f"toe_{s}", t)) - flat
        )
        out["contact_time_ms"][i] = 1000.0 * (c.to_s[i] - c.ic_s[i])
        # step and stride end at this contact, as formcheck counts them
        # (formcheck.gait.steps): the previous contact of the other foot, of the same foot
        if i >= 1 and c.side[i - 1] != s:
            out["step_time_s"][i] = t - c.ic_s[i - 1]
        if i >= 2 and c.side[i - 2] == s and c.side[i - 1] != s:
            out["stride_time_s"][i] = t - c.ic_s[i - 2]
        elif i + 2 < n and c.side[i + 2] == s and c.side[i + 1] != s:
            out["stride_time_s"][i] = c.ic_s[i + 2] - t  # formcheck's fallback: the next
        if np.isfinite(out["stride_time_s"][i]):
            out["duty_factor_pct"][i] = 100.0 * (c.to_s[i] - t) / out["stride_time_s"][i]
        # bounce: from this contact to the next (either foot)
        if i + 1 < n and c.side[i + 1] != s:
            tt = np.linspace(t, c.ic_s[i + 1], 60)
            y = 0.5 * (pts.at("hip_left", tt)[:, 1] + pts.at("hip_right", tt)[:, 1])
            out["vertical_oscillation_leg_lengths"][i] = (y.max() - y.min()) / body.leg_mm
    return out


def heel_stop_lead_ms(c: Contacts, pts: Points) -> np.ndarray:
    """Per contact, when the stance heel stops coming down (its lowest point within 60 ms
    before to 30 ms after the force's initial contact) minus that contact, ms; NaN for
    contacts where the heel is still falling at the end of the window (forefoot first).

    The force plate reads a contact once the force passes its threshold; the heel is on
    the belt a little earlier, more so when the load builds slowly (slow running).
    """
    out = np.full(c.n, np.nan)
    offs = np.arange(-0.060, 0.0301, 0.001)
    for i in range(c.n):
        y = pts.at(f"heel_{c.side[i]}", c.ic_s[i] + offs)[:, 1]
        k = int(np.argmin(y))
        if 0 < k < offs.size - 1:
            out[i] = 1000.0 * offs[k]
    return out


def touchdown_s(c: Contacts, pts: Points) -> np.ndarray:
    """Per contact, when the foot meets the belt by its markers (s; NaN where neither fits).

    The earlier of the heel's and the forefoot's touch-down, each the knot of a two-slope
    line fitted to the point's height (falling, then no longer: under half its falling
    speed; :func:`formcheck.gait.fits.knot`) on the 150 Hz spline within
    :data:`TOUCHDOWN_WINDOW_S` of the force's contact, the knot searched within half of
    that. A kinematic contact, as a video can see one, independent of the force plate.
    """
    from formcheck.gait.fits import knot

    out = np.full(c.n, np.nan)
    w = TOUCHDOWN_WINDOW_S
    for i in range(c.n):
        ic = float(c.ic_s[i])
        t = ic + np.arange(-w, w + 1e-9, 1.0 / 150.0)
        knots = []
        for part in ("heel", "toe"):
            y = pts.at(f"{part}_{c.side[i]}", t)[:, 1]
            k = knot(t, y, ic - 0.5 * w, ic + 0.5 * w)
            if np.isfinite(k) and _stops(t, y, k):
                knots.append(k)
        if knots:
            out[i] = min(knots)
    return out


def _stops(t: np.ndarray, y: np.ndarray, k: float) -> bool:
    """Whether a height falls before ``k`` and then at under half that speed, or rises (the
    back of the heel rolls up as the foot slaps down): a point still falling through the
    window has a knot anywhere on its line."""
    before, after = t <= k, t >= k
    if before.sum() < 2 or after.sum() < 2:
        return False
    s1 = np.polyfit(t[before], y[before], 1)[0]
    s2 = np.polyfit(t[after], y[after], 1)[0]
    return bool(s1 < 0 and s2 > 0.5 * s1)


#: The stillest part of a stance (:func:`stillest_angle_deg`): this fraction of the
#: stance, searched from 5 to 65 % of it (after the strike's roll, before the heel rises).
STILL_FRACTION = 0.10
STILL_SPAN = (0.05, 0.65)


def stillest_angle_deg(angle_deg: np.ndarray) -> float:
    """Mean of a stance's foot angle (shape (101,): 0-100 % of the stance) over the
    :data:`STILL_FRACTION` of it where the angle varies least (foot flat): a reference a
    clip gives without a standing trial."""
    k = round(STILL_FRACTION * (angle_deg.size - 1))
    lo, hi = (round(f * (angle_deg.size - 1)) for f in STILL_SPAN)
    spans = [angle_deg[j : j + k + 1] for j in range(lo, hi - k + 1)]
    return float(np.mean(min(spans, key=np.ptp)))


def lab_gaps(c: Contacts, pts: Points, body: Body, values: dict[str, np.ndarray]):
    """Per contact (shape (contacts,)), deg, from the markers alone: what bounds the strike
    angle of any method that finds the contact from the feet's motion.

    ``touchdown_angle_deg``: the strike angle at the markers' own touch-down
    (:func:`touchdown_s`) minus the angle at the force contact (the reference cancels);
    ``midstance_reference_deg``: the foot at 33-67 % of the force contact (formcheck's
    reference) minus the standing foot (Altman and Davis 2012's);
    ``clip_bound_deg``: the angle at the touch-down minus the foot's stillest part of
    the stance from the touch-down to the force's toe-off (:func:`stillest_angle_deg`),
    minus the lab's strike angle: perfect points and a perfect kinematic contact,
    referenced to the foot in the clip itself as video must be.
    """
    td = touchdown_s(c, pts)
    gap = np.full(c.n, np.nan)
    bound = np.full(c.n, np.nan)
    for i in range(c.n):
        if np.isfinite(td[i]):
            s, t = str(c.side[i]), np.array([td[i], c.ic_s[i]])
            a = sagittal_angle_deg(pts.at(f"heel_{s}", t), pts.at(f"toe_{s}", t))
            gap[i] = a[0] - a[1]
            st = np.linspace(td[i], c.to_s[i], 101)
            flat = stillest_angle_deg(
                sagittal_angle_deg(pts.at(f"heel_{s}", st), pts.at(f"toe_{s}", st))
            )
            bound[i] = a[0] - flat - values["foot_angle_deg"][i]
    ref = values["foot_angle_deg"] - values["foot_angle_midstance_deg"]
    return {"touchdown_angle_deg": gap, "midstance_reference_deg": ref, "clip_bound_deg": bound}


def paired_shift_ms(a_s: np.ndarray, b_s: np.ndarray, tol_s: float = 0.05) -> np.ndarray:
    """For each time in ``a_s``, the nearest of ``b_s`` minus it, ms (NaN beyond tol)."""
    out = np.full(a_s.size, np.nan)
    if b_s.size == 0:
        return out
    for i, t in enumerate(a_s):
        j = int(np.argmin(np.abs(b_s - t)))
        if abs(b_s[j] - t) <= tol_s:
            out[i] = 1000.0 * (b_s[j] - t)
    return out


def cadence_spm(ic_s: np.ndarray) -> float:
    """Steps per minute of a run of contacts: a line fitted to contact time vs number."""
    if ic_s.size < 3:
        return float("nan")
    slope = np.polyfit(np.arange(ic_s.size), np.sort(ic_s), 1)[0]
    return 60.0 / float(slope)
