"""Slow motion: is the clip's clock real time? Checked against gravity.

A phone's slow-motion clip is filmed at 120-960 fps and played at 30: its
timestamps run k times slower than the real run, so every per-second figure
(cadence, contact time) is off by k. Cadence cannot tell (real runners range
from about 100 to over 200 steps/min), but gravity can. The body's centre of
mass is in free fall while both feet are off the ground, and during a step its
vertical acceleration averages to zero. For a spring-mass runner whose stance
lasts a fraction ``beta`` of the step, the fundamental (step-frequency)
component of that acceleration has an amplitude ``c(beta) * g`` with ``c``
falling from 2 (impulsive stance) to about 0.68 (no flight); ``c`` is computed
here for a half-sine ground force (Blickhan 1989; Cavagna 1988). The hip
midpoint's vertical path has amplitude ``A`` (leg lengths) at step frequency
``f`` (playback Hz), so its apparent acceleration is ``A (2 pi f)^2`` leg
lengths/s^2, while gravity is ``g / leg_m`` leg lengths/s^2 with the leg
length in metres from the runner's height (or 0.491 x 1.70 m, Winter 2009, when
not given). Slow motion by k divides the apparent acceleration by k^2:

    k = sqrt(c(beta) * g / leg_m / (A (2 pi f)^2))

``beta`` (contact time / step time) is dimensionless, so it is read from the
clip's own events whatever its clock. With no flight phase (beta >= 1, e.g.
walking) the free-fall argument does not hold and nothing is claimed.

References
----------
Blickhan R (1989) The spring-mass model for running and hopping. J Biomech
22:1217-1227. Cavagna GA et al. (1988) The determinants of the step frequency
in running, trotting and hopping in man and other vertebrates. J Physiol
399:81-92. Winter DA (2009) Biomechanics and Motor Control of Human Movement.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from formcheck.cues import words_running_notes as words

G_M_S2 = 9.81
#: Hip joint to ankle joint over standing height (Winter 2009: thigh 0.245 H +
#: shank 0.246 H), the length MediaPipe's hip-knee-ankle chain measures.
HIP_TO_ANKLE_PER_HEIGHT = 0.491
#: Height assumed when the runner gives none (between adult male and female means).
DEFAULT_HEIGHT_M = 1.70
#: Trochanter-to-floor leg length over height (Winter 2009), for Profile.leg_length_cm.
TROCHANTER_PER_HEIGHT = 0.530


#: A given capture rate within this (relative) of the clip's own rate changes nothing.
CAPTURE_SAME_RATE = 0.02


def capture_factor(capture_fps: float | None, t_s: np.ndarray) -> float:
    """How many times slower than real time the clip plays, from the true capture rate
    the user gave (``capture_fps``) and the clip's timestamps ``t_s`` (s, shape
    (frames,)): capture rate times the median frame interval. 1.0 when no rate is
    given, the clip has fewer than two frames, or the two rates agree within
    :data:`CAPTURE_SAME_RATE`."""
    if not capture_fps or t_s.size < 2:
        return 1.0
    dt = float(np.median(np.diff(t_s)))
    if not np.isfinite(dt) or dt <= 0:
        return 1.0
    factor = float(capture_fps * dt)
    return factor if abs(factor - 1.0) > CAPTURE_SAME_RATE else 1.0


def leg_length_m(height_cm: float | None, leg_length_cm: float | None) -> tuple[float, bool]:
    """Hip-to-ankle length in metres, and whether it came from the runner's profile.

    ``leg_length_cm`` (greater trochanter to floor) is converted to hip-to-ankle
    by the ratio 0.491 / 0.530 (the ankle joint sits 0.039 H above the floor).
    """
    if leg_length_cm:
        return float(leg_length_cm) / 100.0 * HIP_TO_ANKLE_PER_HEIGHT / TROCHANTER_PER_HEIGHT, True
    if height_cm:
        return float(height_cm) / 100.0 * HIP_TO_ANKLE_PER_HEIGHT, True
    return DEFAULT_HEIGHT_M * HIP_TO_ANKLE_PER_HEIGHT, False


@lru_cache(maxsize=256)
def _c_of_beta(beta_milli: int) -> float:
    beta = beta_milli / 1000.0
    n = 4000
    t = (np.arange(n) + 0.5) / n
    acc = -np.ones(n)
    st = t < beta
    acc[st] += (np.pi / (2 * beta)) * np.sin(np.pi * t[st] / beta)
    return float(2 * np.abs(np.mean(acc * np.exp(-2j * np.pi * t))))


def fundamental_accel_ratio(beta: float) -> float:
    """c(beta): step-frequency acceleration amplitude over g for stance fraction beta.

    Half-sine vertical ground force over a stance of ``beta`` of the step,
    free fall otherwise; ``beta`` in (0, 1]. c(0.5) = pi/2, c(1) ~ 0.68.
    """
    b = float(np.clip(beta, 0.05, 1.0))
    return _c_of_beta(round(b * 1000))


@dataclass(frozen=True, slots=True)
class TimeScale:
    """How much slower than real time the clip plays.

    factor : estimated k (1 = real time); NaN when it could not be judged.
    stance_fraction : beta used (contact time / step time), NaN if assumed.
    accel_ratio : apparent step acceleration over the expected one (1/k^2).
    reason : why not judged, or how.
    """

    factor: float
    stance_fraction: float
    accel_ratio: float
    reason: str

    @property
    def judged(self) -> bool:
        return bool(np.isfinite(self.factor))


def estimate_time_scale(
    hip_amplitude_leglen: float,
    step_freq_hz: float,
    stance_fraction: float | None,
    leg_m: float,
) -> TimeScale:
    """The slow-motion factor k from the hip bounce (see the module docstring).

    Parameters
    ----------
    hip_amplitude_leglen : amplitude (half peak-to-peak of the fundamental) of
        the hip midpoint's vertical path at step frequency, leg lengths.
    step_freq_hz : step frequency on the clip's clock, Hz.
    stance_fraction : contact time / step time (None or NaN: 0.6 assumed, the
        middle of recreational running, which widens the uncertainty).
    leg_m : hip-to-ankle length in metres.
    """
    nan = float("nan")
    if not (np.isfinite(hip_amplitude_leglen) and hip_amplitude_leglen > 0):
        return TimeScale(nan, nan, nan, words.TIME_SCALE_NO_BOUNCE)
    if not (np.isfinite(step_freq_hz) and step_freq_hz > 0):
        return TimeScale(nan, nan, nan, words.TIME_SCALE_NO_RHYTHM)
    beta = stance_fraction if stance_fraction is not None else nan
    if np.isfinite(beta) and beta >= 0.98:
        return TimeScale(nan, beta, nan, words.TIME_SCALE_NO_FLIGHT)
    c = fundamental_accel_ratio(beta if np.isfinite(beta) else 0.6)
    apparent = hip_amplitude_leglen * (2 * np.pi * step_freq_hz) ** 2
    expected = c * G_M_S2 / leg_m
    ratio = apparent / expected
    return TimeScale(float(np.sqrt(1.0 / ratio)), beta, float(ratio), words.TIME_SCALE_HOW)
