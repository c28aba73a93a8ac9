"""A virtual side-view camera: the markers as the landmarks a pose model would give.

Choices (each one a stand-in for a real recording; ACCURACY.md lists what they hide):

* **Camera**: a pinhole 3 m from the runner's mid-plane on the runner's right (the
  right leg is the near one), its axis level at 1.0 m, centred on the runner's
  mean position, focal length 1000 px, 1280x720 frame: the runner stands about
  580 px tall, as in a phone video of a treadmill from the side. Perspective is
  kept (the near leg is nearer, so it looks about 3 % larger).
* **Landmarks**: MediaPipe's 33-point order. Hips, knees and ankles are the joint
  centres of :mod:`.body`, heel and foot index its heel and forefoot points.
  There are no trunk, arm or head markers, so the upper body is **synthetic**: a
  rigid trunk on the hip-centre midpoint leaning 5 deg forward, shoulders 0.259
  and trunk 0.288 of the stature, head above, arms swinging against the thighs
  with the elbow at 90 deg (segment proportions from Winter DA (2009)
  Biomechanics and Motor Control of Human Movement, table 4.1; stature from the
  leg length, leg = 0.49 stature). Trunk and head numbers are therefore not
  validated here.
* **Visibility** 0.95 everywhere: nothing is occluded. The "far leg unclear"
  condition gives the far leg's hip, knee, ankle, heel and foot index a visibility of
  0.6 (what MediaPipe reports for a leg hidden at times, e.g. 0.56 for the bundled
  sample's far knee): formcheck then keeps both feet's contacts on its event series
  (threshold ``clear_visibility``, :mod:`formcheck.gait.events`), and that path is measured
  here. The landmarks themselves stay where the markers are: a pose model's wrong
  guesses for a hidden leg are not simulated.
* **Sampling**: the 150 Hz projected paths are read at the camera's own frame
  times (a natural cubic spline through the samples: 30 fps takes every fifth
  sample, 60, 120 and 240 fps fall between samples), starting at a random
  sub-frame offset so camera frames do not line up with the force plate.
  Nothing is smoothed.
* **Noise** (the "noisy" condition): independent Gaussian noise of 4 px on every
  coordinate of every landmark and frame, about 0.7 % of the runner's height,
  the size of BlazePose's frame-to-frame jitter on a still person in our clips;
  pose-model errors that persist over frames (a heel placed above the sole, a
  swapped leg) are not simulated.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.interpolate import CubicSpline

from benchmarks.validation.body import Body
from formcheck.pose.landmarks import Landmark
from formcheck.pose.series import PoseSeries

WIDTH, HEIGHT = 1280, 720
FOCAL_PX = 1000.0
DISTANCE_MM = 3000.0
CAMERA_HEIGHT_MM = 1000.0
VISIBILITY = 0.95
LEAN_DEG = 5.0


@dataclass(frozen=True)
class Condition:
    """A recording condition: frame rate (fps), landmark noise (px, 0 = clean) and the
    far (left) leg's visibility (:data:`VISIBILITY` = seen as well as the near one)."""

    fps: float
    noise_px: float = 0.0
    far_visibility: float = VISIBILITY

    @property
    def far_clear(self) -> bool:
        return self.far_visibility >= VISIBILITY

    @property
    def label(self) -> str:
        text = "clean" if self.noise_px == 0 else f"noise {self.noise_px:g} px"
        return text if self.far_clear else f"{text}, far leg unclear"


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def _sag_from_vertical(upper: np.ndarray, lower: np.ndarray) -> np.ndarray:
    """Angle of upper->lower from straight down in X-Y, radians (forward positive)."""
    d = lower - upper
    return np.arctan2(d[..., 0], -d[..., 1])


def landmarks_3d(body: Body) -> np.ndarray:
    """All 33 landmarks per frame in lab mm, shape (frames, 33, 3) (see the module docstring)."""
    p = body.points
    n = p["pelvis_mid"].shape[0]
    out = np.full((n, 33, 3), np.nan)
    stature = body.leg_mm / 0.49
    for side in ("left", "right"):
        up = side.upper()
        for part in ("hip", "knee", "ankle", "heel"):
            out[:, Landmark[f"{up}_{part.upper()}"]] = p[f"{part}_{side}"]
        out[:, Landmark[f"{up}_FOOT_INDEX"]] = p[f"toe_{side}"]
    hip_mid = 0.5 * (p["hip_left"] + p["hip_right"])
    lean = np.radians(LEAN_DEG)
    trunk = np.array([np.sin(lean), np.cos(lean), 0.0])
    sh_mid = hip_mid + 0.288 * stature * trunk
    zhat = np.array([0.0, 0.0, 1.0])
    yhat = np.array([0.0, 1.0, 0.0])
    xhat = np.array([1.0, 0.0, 0.0])
    ear_mid = sh_mid + 0.11 * stature * yhat
    for side, sgn in (("left", -1.0), ("right", 1.0)):
        up = side.upper()
        sh = sh_mid + sgn * 0.13 * stature * zhat
        out[:, Landmark[f"{up}_SHOULDER"]] = sh
        phi = -0.6 * _sag_from_vertical(p[f"hip_{side}"], p[f"knee_{side}"])
        upper = np.stack([np.sin(phi), -np.cos(phi), np.zeros(n)], axis=1)
        fore = np.stack([np.cos(phi), np.sin(phi), np.zeros(n)], axis=1)
        elbow = sh + 0.186 * stature * upper
        wrist = elbow + 0.146 * stature * fore
        out[:, Landmark[f"{up}_ELBOW"]] = elbow
        out[:, Landmark[f"{up}_WRIST"]] = wrist
        for hand in ("PINKY", "INDEX", "THUMB"):
            out[:, Landmark[f"{up}_{hand}"]] = wrist + 0.05 * stature * fore
        out[:, Landmark[f"{up}_EAR"]] = ear_mid + sgn * 0.07 * stature * zhat
        eye = ear_mid + 0.045 * stature * xhat + 0.01 * stature * yhat + sgn * 0.03 * stature * zhat
        for k in ("EYE_INNER", "EYE", "EYE_OUTER"):
            out[:, Landmark[f"{up}_{k}"]] = eye
        out[:, Landmark[f"MOUTH_{side.upper()}"]] = (
            ear_mid + 0.05 * stature * xhat - 0.04 * stature * yhat + sgn * 0.02 * stature * zhat
        )
    out[:, Landmark.NOSE] = ear_mid + 0.06 * stature * xhat - 0.01 * stature * yhat
    return out


def project(points_mm: np.ndarray, centre_mm: np.ndarray) -> np.ndarray:
    """Pixels (..., 3) = (u, v, z) of lab points (..., 3) seen from the runner's right.

    ``centre_mm`` : the runner's mean mid-plane position (X, Z used). u grows
    forward, v downward; z is depth relative to the mid-plane in pixels
    (negative = nearer the camera), MediaPipe's convention.
    """
    depth = DISTANCE_MM - (points_mm[..., 2] - centre_mm[2])
    scale = FOCAL_PX / depth
    u = WIDTH / 2 + scale * (points_mm[..., 0] - centre_mm[0])
    v = HEIGHT / 2 - scale * (points_mm[..., 1] - CAMERA_HEIGHT_MM)
    z = -(points_mm[..., 2] - centre_mm[2]) * FOCAL_PX / DISTANCE_MM
    return np.stack([u, v, z], axis=-1)


def _fill(t: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Linear fill of NaN runs (frames,) for the spline; all-NaN stays NaN."""
    ok = np.isfinite(x)
    if ok.all() or not ok.any():
        return x
    return np.interp(t, t[ok], x[ok])


def camera_times(t_s: np.ndarray, fps: float, rng: np.random.Generator) -> np.ndarray:
    """Frame times of a camera at ``fps`` over the markers' span, random start offset."""
    t0 = float(t_s[0]) + rng.uniform(0.0, 1.0 / fps)
    return np.arange(t0, float(t_s[-1]), 1.0 / fps)


def resample(t_s: np.ndarray, values: np.ndarray, t_new: np.ndarray) -> np.ndarray:
    """Cubic-spline values (frames, ...) at ``t_new``; NaN where the source has a gap."""
    flat = values.reshape(values.shape[0], -1)
    out = np.full((t_new.size, flat.shape[1]), np.nan)
    gap = ~np.isfinite(flat)
    for j in range(flat.shape[1]):
        col = _fill(t_s, flat[:, j])
        if not np.isfinite(col).all():
            continue
        out[:, j] = CubicSpline(t_s, col, bc_type="natural")(t_new)
        if gap[:, j].any():
            near = np.clip(
                np.round((t_new - t_s[0]) / (t_s[1] - t_s[0])).astype(int), 0, t_s.size - 1
            )
            out[gap[near, j], j] = np.nan
    return out.reshape((t_new.size, *values.shape[1:]))


def film(t_s: np.ndarray, body: Body, cond: Condition, seed: int) -> PoseSeries:
    """The landmark series a side-view camera at ``cond`` would give (module docstring)."""
    rng = np.random.default_rng(seed)
    pts = landmarks_3d(body)
    centre = np.nanmean(body.points["pelvis_mid"], axis=0)
    pix = project(pts, centre)
    t_cam = camera_times(t_s, cond.fps, rng)
    xyz = resample(t_s, pix, t_cam)
    if cond.noise_px > 0:
        xyz[..., :2] += rng.normal(0.0, cond.noise_px, xyz[..., :2].shape)
    vis = np.where(np.isfinite(xyz[..., :1]), VISIBILITY, np.nan)
    if not cond.far_clear:
        for part in ("HIP", "KNEE", "ANKLE", "HEEL", "FOOT_INDEX"):
            j = Landmark[f"LEFT_{part}"]
            vis[:, j] = np.where(np.isfinite(vis[:, j]), cond.far_visibility, np.nan)
    xyzv = np.concatenate([xyz, vis], axis=-1).astype(np.float32)
    return PoseSeries(xyzv, t_cam, WIDTH, HEIGHT)
