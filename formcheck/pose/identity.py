"""Keep one person: cut the series where the tracker jumps to someone else.

MediaPipe's single-pose tracker can flip between two people
(torinmb/mediapipe-touchdesigner#62). A jump shows as the hip midpoint moving
faster than a body can, or the torso length changing abruptly. The series is
cut at each jump into segments; the longest segment is the person followed,
and the other segments are kept only when they continue that person
plausibly (position and size). Frames of anyone else become "no pose".
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from formcheck.pose.landmarks import Landmark
from formcheck.pose.series import PoseSeries

#: Fastest plausible hip speed in the image, in torso lengths per second. A torso
#: (shoulder to hip) is about 0.5 m, so 24 torso/s is 12 m/s, faster than a sprinter.
MAX_HIP_SPEED_TORSO_PER_S = 24.0
#: A single-frame hip move larger than this many torso lengths is a jump, whatever
#: the frame interval (two people are rarely closer than this).
MIN_JUMP_TORSOS = 1.0
#: Torso length ratio between consecutive frames above which identity changed
#: (a body does not grow 40 % in one frame).
MAX_TORSO_RATIO = 1.4
#: When segments are re-joined, each one's body size is the median torso length
#: over this much time at its facing end: after a miss, MediaPipe's re-detected
#: landmarks take a few frames to settle (squat_crossfit clip, after its
#: cross-fade: torso 136, 160, 197, 208 px in the first 4 frames at 24 fps, then
#: steady at 210 px as before the fade), so one frame at the seam is no proof
#: that someone else appeared. Positions and times stay those of the two frames
#: at the seam (a median over a window would lag a fast runner).
REJOIN_WINDOW_S = 0.25


@dataclass(frozen=True, slots=True)
class IdentityResult:
    series: PoseSeries
    jumps_t_s: tuple[float, ...]
    dropped_ranges_s: tuple[tuple[float, float], ...]


def _hip_and_torso(series: PoseSeries) -> tuple[np.ndarray, np.ndarray]:
    hip = series.midpoint(Landmark.LEFT_HIP, Landmark.RIGHT_HIP)
    sh = series.midpoint(Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER)
    return hip, np.linalg.norm(sh - hip, axis=1)


def _plausible(
    hip_a: np.ndarray, torso_a: float, hip_b: np.ndarray, torso_b: float, dt: float
) -> bool:
    torso = max(torso_a, torso_b, 1e-6)
    ratio = max(torso_a, torso_b) / max(min(torso_a, torso_b), 1e-6)
    allowed = max(MIN_JUMP_TORSOS, MAX_HIP_SPEED_TORSO_PER_S * dt) * torso
    return bool(np.linalg.norm(hip_b - hip_a) <= allowed and ratio <= MAX_TORSO_RATIO)


def keep_one_person(series: PoseSeries) -> IdentityResult:
    """Cut the series at identity jumps and keep the main person's frames.

    Returns a new series of the same length; frames judged to be someone else
    are set to NaN (no pose). ``jumps_t_s`` lists the times of the cuts.
    """
    present = series.present
    idx = np.flatnonzero(present)
    if idx.size < 2:
        return IdentityResult(series, (), ())
    hip, torso = _hip_and_torso(series)
    t = series.t_s
    # segments of consecutive present frames without a jump
    seg_id = np.full(series.n_frames, -1)
    seg = 0
    jumps: list[float] = []
    seg_id[idx[0]] = 0
    for a, b in pairwise(idx):
        if not _plausible(hip[a], torso[a], hip[b], torso[b], t[b] - t[a]):
            seg += 1
            jumps.append(float(t[b]))
        seg_id[b] = seg
    if seg == 0:
        return IdentityResult(series, (), ())
    counts = np.bincount(seg_id[seg_id >= 0], minlength=seg + 1)
    main = int(np.argmax(counts))
    keep = {main}

    def first_last(s: int) -> tuple[int, int]:
        f = np.flatnonzero(seg_id == s)
        return int(f[0]), int(f[-1])

    def end(s: int, at_start: bool) -> tuple[int, float]:
        """Seam frame of segment s and its median torso over REJOIN_WINDOW_S."""
        f = np.flatnonzero(seg_id == s)
        edge = f[0] if at_start else f[-1]
        w = f[np.abs(t[f] - t[edge]) <= REJOIN_WINDOW_S]
        return int(edge), float(np.median(torso[w]))

    def continues(before: int, after: int) -> bool:
        a, tor_a = end(before, at_start=False)
        b, tor_b = end(after, at_start=True)
        return _plausible(hip[a], tor_a, hip[b], tor_b, t[b] - t[a])

    # chain forwards and backwards from the main segment
    ref_first = ref_last = main
    for s in range(main + 1, seg + 1):
        if continues(ref_last, s):
            keep.add(s)
            ref_last = s
    for s in range(main - 1, -1, -1):
        if continues(s, ref_first):
            keep.add(s)
            ref_first = s
    drop = (seg_id >= 0) & ~np.isin(seg_id, list(keep))
    if not drop.any():
        return IdentityResult(series, tuple(jumps), ())
    xyzv = series.xyzv.copy()
    world = series.world.copy()
    xyzv[drop] = np.nan
    world[drop] = np.nan
    ranges = []
    for s in sorted(set(range(seg + 1)) - keep):
        a, b = first_last(s)
        ranges.append((float(t[a]), float(t[b])))
    out = PoseSeries(xyzv, t, series.width, series.height, world, series.frame_index)
    return IdentityResult(out, tuple(jumps), tuple(ranges))


def keep_one_person_per_shot(series: PoseSeries, cuts_s: tuple[float, ...]) -> IdentityResult:
    """:func:`keep_one_person` in each shot of an edited clip on its own.

    ``cuts_s`` are the times of the first frame of each new shot
    (:func:`formcheck.pose.shots.shot_cuts`). At a cut the picture changes (a
    close-up, another angle), so the person's place and size in it jump: that is
    not someone else. Each shot starts the tracking afresh and keeps its own main
    person; nothing is compared across a cut.
    """
    if not cuts_s or series.n_frames < 2:
        return keep_one_person(series)
    shot = np.searchsorted(np.asarray(cuts_s, np.float64), series.t_s, side="right")
    xyzv, world = series.xyzv.copy(), series.world.copy()
    jumps: list[float] = []
    ranges: list[tuple[float, float]] = []
    changed = False
    for k in np.unique(shot):
        sel = shot == k
        part = keep_one_person(series.take(sel))
        jumps.extend(part.jumps_t_s)
        ranges.extend(part.dropped_ranges_s)
        if part.dropped_ranges_s:
            xyzv[sel], world[sel] = part.series.xyzv, part.series.world
            changed = True
    if not changed:
        return IdentityResult(series, tuple(jumps), ())
    out = PoseSeries(xyzv, series.t_s, series.width, series.height, world, series.frame_index)
    return IdentityResult(out, tuple(jumps), tuple(ranges))
