"""Joint centres and foot points from the RBDS markers (lab frame, mm).

* **Knee and ankle centres**: the midpoints of the static trial's femoral
  epicondyles (``Knee``, ``Knee.Medial``) and malleoli (``Ankle``,
  ``Ankle.Medial``), carried into every running frame with the shank's
  four-marker cluster by a least-squares rigid fit (Soderkvist I, Wedin PA
  (1993) J Biomech 26:1473; the SVD solution of Arun et al. 1987), as the data
  set's README suggests.
* **Hip centres**: Harrington ME et al. (2007) J Biomech 40:595-602, the
  regression on pelvis width (PW, inter-ASIS distance) and depth (PD,
  mid-ASIS to mid-PSIS): in the pelvis frame (origin mid-ASIS, x anterior, y
  superior, z right) x = -0.24 PD - 9.9, y = -0.30 PW - 10.9, z = +-(0.33 PW + 7.3) mm.
* **Foot**: the heel is ``Heel.Bottom`` (the back of the heel counter, where
  MediaPipe's heel point sits); the toe is the midpoint of the first and fifth
  metatarsal heads (there is no toe-tip marker: the forefoot point is about a
  toe's length behind MediaPipe's ``foot index``; either head alone where the
  other is missing).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SIDES = {"left": "L", "right": "R"}
_SHANK = ("Shank.Top.Lateral", "Shank.Bottom.Lateral", "Shank.Top.Medial", "Shank.Bottom.Medial")


@dataclass(frozen=True)
class Body:
    """Per-frame points of one trial, name -> (frames, 3), mm, lab axes.

    Names: ``hip_left`` ... ``ankle_right``, ``heel_left``, ``toe_left`` (and right),
    ``pelvis_mid`` (mid-ASIS). ``leg_mm`` : the runner's leg length (hip-knee plus
    knee-ankle centre distances of the static trial, mean of both legs).
    ``static_foot_deg`` : side -> the standing trial's heel-toe angle (sagittal,
    toe up positive), the reference of the strike angle (Altman & Davis 2012).
    """

    points: dict[str, np.ndarray]
    leg_mm: float
    static_foot_deg: dict[str, float]


def rigid_fit(ref: np.ndarray, cur: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rotation R (frames, 3, 3) and translation d (frames, 3) taking ``ref`` to ``cur``.

    ref : (markers, 3) in the static trial; cur : (frames, markers, 3). Markers
    missing in a frame (NaN) are left out of that frame's fit; fewer than three
    leave the frame NaN.
    """
    n = cur.shape[0]
    rot = np.full((n, 3, 3), np.nan)
    trans = np.full((n, 3), np.nan)
    ok = np.isfinite(cur).all(axis=2)
    for pattern in {tuple(r) for r in ok}:
        sel = np.flatnonzero((ok == pattern).all(axis=1))
        use = np.array(pattern)
        if use.sum() < 3:
            continue
        a = ref[use]
        b = cur[sel][:, use]
        ca, cb = a.mean(axis=0), b.mean(axis=1)
        h = np.einsum("mi,fmj->fij", a - ca, b - cb[:, None])
        u, _, vt = np.linalg.svd(h)
        det = np.sign(np.linalg.det(np.einsum("fji,fkj->fik", vt, u)))
        fix = np.broadcast_to(np.eye(3), (sel.size, 3, 3)).copy()
        fix[:, 2, 2] = det
        r = np.einsum("fji,fjk,flk->fil", vt, fix, u)
        rot[sel] = r
        trans[sel] = cb - np.einsum("fij,j->fi", r, ca)
    return rot, trans


def carry(ref_cluster: np.ndarray, cur_cluster: np.ndarray, ref_points: np.ndarray) -> np.ndarray:
    """Static points (points, 3) carried by a cluster into each frame: (frames, points, 3)."""
    rot, trans = rigid_fit(ref_cluster, cur_cluster)
    return np.einsum("fij,pj->fpi", rot, ref_points) + trans[:, None, :]


def pelvis_frame(rasis, lasis, rpsis, lpsis) -> tuple[np.ndarray, np.ndarray]:
    """Origin (..., 3) and axes (..., 3, 3) (rows x anterior, y superior, z right)."""
    origin = 0.5 * (rasis + lasis)
    z = rasis - lasis
    z = z / np.linalg.norm(z, axis=-1, keepdims=True)
    xt = origin - 0.5 * (rpsis + lpsis)
    y = np.cross(z, xt)
    y = y / np.linalg.norm(y, axis=-1, keepdims=True)
    x = np.cross(y, z)
    return origin, np.stack([x, y, z], axis=-2)


def harrington_hjc(pw_mm: float, pd_mm: float) -> dict[str, np.ndarray]:
    """Hip centres in the pelvis frame, mm (Harrington et al. 2007, PW/PD regression)."""
    x = -0.24 * pd_mm - 9.9
    y = -0.30 * pw_mm - 10.9
    z = 0.33 * pw_mm + 7.3
    return {"right": np.array([x, y, z]), "left": np.array([x, y, -z])}


def sagittal_angle_deg(back: np.ndarray, front: np.ndarray) -> np.ndarray:
    """Angle of back->front above the horizontal in the X-Y plane, degrees (up positive)."""
    d = front - back
    return np.degrees(np.arctan2(d[..., 1], d[..., 0]))


def _toe(m: dict[str, np.ndarray], s: str) -> np.ndarray:
    a, b = m[f"{s}.MT1"], m[f"{s}.MT5"]
    return np.where(np.isfinite(a) & np.isfinite(b), 0.5 * (a + b), np.where(np.isfinite(a), a, b))


def build_body(markers: dict[str, np.ndarray], static: dict[str, np.ndarray]) -> Body:
    """Joint centres and foot points of every running frame (see the module docstring)."""
    pts: dict[str, np.ndarray] = {}
    pel = [markers[k] for k in ("R.ASIS", "L.ASIS", "R.PSIS", "L.PSIS")]
    spel = [static[k] for k in ("R.ASIS", "L.ASIS", "R.PSIS", "L.PSIS")]
    pw = float(np.linalg.norm(spel[0] - spel[1]))
    pd = float(np.linalg.norm(0.5 * (spel[0] + spel[1]) - 0.5 * (spel[2] + spel[3])))
    hjc = harrington_hjc(pw, pd)
    origin, axes = pelvis_frame(*pel)
    s_origin, s_axes = pelvis_frame(*spel)
    pts["pelvis_mid"] = origin
    static_joint: dict[str, np.ndarray] = {}
    static_foot: dict[str, float] = {}
    legs = []
    for side, s in SIDES.items():
        pts[f"hip_{side}"] = origin + np.einsum("fij,i->fj", axes, hjc[side])
        cluster = np.stack([markers[f"{s}.{k}"] for k in _SHANK], axis=1)
        ref = np.stack([static[f"{s}.{k}"] for k in _SHANK])
        joint_ref = np.stack(
            [
                0.5 * (static[f"{s}.Knee"] + static[f"{s}.Knee.Medial"]),
                0.5 * (static[f"{s}.Ankle"] + static[f"{s}.Ankle.Medial"]),
            ]
        )
        moved = carry(ref, cluster, joint_ref)
        pts[f"knee_{side}"] = moved[:, 0]
        pts[f"ankle_{side}"] = moved[:, 1]
        pts[f"heel_{side}"] = markers[f"{s}.Heel.Bottom"]
        pts[f"toe_{side}"] = _toe(markers, s)
        s_hip = s_origin + s_axes.T @ hjc[side]
        static_joint[side] = s_hip
        legs.append(
            float(
                np.linalg.norm(s_hip - joint_ref[0]) + np.linalg.norm(joint_ref[0] - joint_ref[1])
            )
        )
        static_foot[side] = float(sagittal_angle_deg(static[f"{s}.Heel.Bottom"], _toe(static, s)))
    return Body(pts, float(np.mean(legs)), static_foot)
