"""Gait events: initial contact and toe-off of each foot, from a side view.

How (per foot; lengths in leg lengths, times from real timestamps):

1. **Cycle anchor.** The ankle's horizontal position relative to the hip
   midpoint, forward positive, peaks once per stride at the end of swing
   (Zeni et al. 2008; it does not depend on belt speed or on a camera that
   follows the runner). Peaks closer than 0.6 stride periods are merged (the
   stride period is the clip's own rhythm, :mod:`formcheck.gait.rhythm`) and
   each must stand out by a quarter of the foot's typical fore-aft swing: the
   guard against **two events per step at low cadence**, where a slow swing
   can show a second, smaller bump. Peaks are refined to sub-frame time.
2. **Stance line.** A foot on the ground moves with the ground: backward at
   the belt speed on a treadmill, still overground, backward at the panning
   speed when the camera follows the runner; in every case along a straight
   line in time at one speed. That speed is measured in early stance (0.08 to
   0.22 strides after each anchor, where every running stance is still on the
   ground) and taken as the median over strides; each stride's heel and toe
   get their own stance line. Landmark rows are not used for the start of
   contact: MediaPipe's heel point sits above the sole and drifts while the
   foot rolls flat, and a treadmill belt seen from a low camera slopes in the
   image, so "height above the ground" is unreliable at heel strike, while the
   horizontal motion is clean.
3. **Contact and toe-off.** Initial contact is when the heel or the toe joins
   its stance line, whichever does so first (within ``foot_stance_tol_leglen``,
   frame-level; Handsaker et al. 2016 take the first of the heel and forefoot
   events the same way), refined to sub-frame time as the knot of a two-slope
   line through that point's approach: the foot sweeps onto its line fast and
   then creeps along it while the heel rolls, so the contact is where the speed
   of approach drops. It is read on a series smoothed less than the event
   series (:func:`formcheck.gait.core.run_core`'s sharp series: twice the event
   cut-off, at most a third of the frame rate): an 8 Hz low-pass rounds the
   corner off and made contacts 10 ms late against force plates
   (benchmarks/ACCURACY.md). Toe-off is when the toe leaves its line or lifts by
   that much from its lowest stance row, refined by fitting a hinge (a sloping
   line meeting a flat one) on the event series, where the lift is steadier.
   Neither snaps to frames (at 30 fps a stance is only about 7-10 frames).
4. **Hidden far leg.** Each event carries its foot's visibility. When the
   foot cannot be followed through the stride (landmarks missing, far foot
   copied onto the near one and blanked by
   :func:`formcheck.gait.legs.hide_copied_far_foot`), the event keeps the
   anchor time and is marked approximate: it counts for cadence (one event per
   stride is enough) but not for contact time. A contact of one foot within an
   eighth of a stride of the other foot's is dropped (feet do not land
   together in running).

References
----------
Zeni JA, Richards JG, Higginson JS (2008) Two simple methods for determining
gait events during treadmill and overground walking using kinematic data.
Gait Posture 27:710-714.
O'Connor CM et al. (2007) Automatic detection of gait events using kinematic
data. Gait Posture 25:469-474 (foot velocity algorithm).
Young F et al. (2023) Sensors 23:696 (BlazePose contact timing within
10-14 ms of motion capture for the near foot, worse for the hidden one).
Handsaker JC et al. (2016) A kinematic algorithm to identify gait events during
running at different speeds and with different footstrike types. J Biomech
49:4128-4133.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.cues import thresholds as th
from formcheck.gait.contacts import (
    SIDES,
    FootSignals,
    foot_signals,
    initial_contact,
    stance_speed,
    toe_off,
)
from formcheck.gait.fits import find_peaks_time, parabolic_peak
from formcheck.pose.series import PoseSeries


@dataclass(frozen=True, slots=True)
class FootEvents:
    """Events of one foot; arrays of equal length, one entry per stride.

    anchor_t_s : forward-most foot position (cycle anchor), seconds.
    ic_t_s, to_t_s : initial contact and toe-off, seconds (NaN if not found).
    approximate : bool, True when contact could not be read from the foot's
        vertical path (then ``ic_t_s`` = anchor and ``to_t_s`` = NaN).
    visibility : mean visibility of the foot's knee, ankle, heel and toe around
        the contact, in [0, 1].
    """

    side: str
    anchor_t_s: np.ndarray
    ic_t_s: np.ndarray
    to_t_s: np.ndarray
    approximate: np.ndarray
    visibility: np.ndarray

    @classmethod
    def empty(cls, side: str) -> FootEvents:
        z = np.zeros(0)
        return cls(side, z, z, z, np.zeros(0, bool), z)

    def take(self, keep: np.ndarray) -> FootEvents:
        return FootEvents(
            self.side,
            self.anchor_t_s[keep],
            self.ic_t_s[keep],
            self.to_t_s[keep],
            self.approximate[keep],
            self.visibility[keep],
        )

    @property
    def n(self) -> int:
        return int(self.anchor_t_s.size)


@dataclass(frozen=True, slots=True)
class GaitEvents:
    """Both feet's events plus the stride period they were found with.

    ground_slope : slope of the ground line in the image (d row / d column).
    refined : contacts were refined on the less smoothed series (both feet clearly
        seen, threshold ``clear_visibility``): the path validated against force plates.
    """

    left: FootEvents
    right: FootEvents
    stride_period_s: float
    ground_slope: float = 0.0
    refined: bool = False

    def side(self, name: str) -> FootEvents:
        return self.left if name == "left" else self.right


def ground_slope_from_stance(
    t: np.ndarray, sigs: dict[str, FootSignals], events: GaitEvents, leg_px: float, facing: float
) -> float:
    """Slope of the ground in the image (d row / d column), from flat-foot toe paths.

    From mid-stance to toe-off the toe rests on the ground, so on a treadmill
    (or with a panning camera) its path traces the ground line; each stride is
    centred (its own intercept) and one slope is fitted to all. A camera
    standing still overground sees the stance toe hardly move; then 0 is
    returned and the caller may use the hip path. |slope| > tan 20 deg is not
    believed (0).
    """
    xs, ys = [], []
    for side in SIDES:
        ev, sig = events.side(side), sigs[side]
        for ic, to in zip(ev.ic_t_s, ev.to_t_s, strict=True):
            if not (np.isfinite(ic) and np.isfinite(to)):
                continue
            sel = (t >= 0.5 * (ic + to)) & (t <= to)
            sel &= np.isfinite(sig.toe_fx) & np.isfinite(sig.toe_y)
            if sel.sum() < 2:
                continue
            x = facing * sig.toe_fx[sel]
            y = sig.toe_y[sel]
            xs.append(x - x.mean())
            ys.append(y - y.mean())
    if not xs:
        return 0.0
    x, y = np.concatenate(xs), np.concatenate(ys)
    if x.size < 4 or np.sqrt(np.mean(x**2)) < 0.03 * leg_px:
        return 0.0
    slope = float(np.sum(x * y) / np.sum(x * x))
    return slope if abs(slope) <= np.tan(np.radians(20.0)) else 0.0


def detect_foot_events(
    t_s: np.ndarray,
    sig: FootSignals,
    side: str,
    period_s: float,
    leg_px: float,
    tol_leglen: float,
    contact_sig: FootSignals | None = None,
) -> FootEvents:
    """Events of one foot (see the module docstring for the method).

    ``sig`` gives the cycle anchors and the toe-offs; ``contact_sig`` (same frames,
    less smoothed; both feet clearly seen) the refined initial contacts, else ``sig``
    gives them too, unrefined.
    """
    fwd = sig.forward
    csig = contact_sig if contact_sig is not None else sig
    ok = np.isfinite(fwd)
    if ok.sum() < 6 or not np.isfinite(period_s):
        return FootEvents.empty(side)
    swing = np.nanpercentile(fwd, 90) - np.nanpercentile(fwd, 10)
    peaks = find_peaks_time(t_s, fwd, 0.6 * period_s, 0.25 * swing)
    n = peaks.size
    anchor = np.array([parabolic_peak(t_s, fwd, i) for i in peaks])
    speed = stance_speed(t_s, csig, anchor, period_s)
    ic = np.full(n, np.nan)
    to = np.full(n, np.nan)
    vis = np.zeros(n)
    for k in range(n):
        near = np.abs(t_s - anchor[k]) <= 0.15 * period_s
        v = sig.visibility[near]
        vis[k] = float(np.nanmean(v)) if np.isfinite(v).any() else 0.0
        if np.isfinite(speed):
            # the contact's corner needs the less smoothed path of a clearly seen foot;
            # toe-off, read from the toe's lift, is steadier on the event series
            clear = contact_sig is not None
            src = csig if clear else sig
            ic[k] = initial_contact(t_s, src, anchor[k], period_s, speed, leg_px, tol_leglen, clear)
            to[k] = toe_off(t_s, sig, anchor[k], period_s, leg_px, tol_leglen)
    bad_ic = ~np.isfinite(ic) | (ic < anchor - 0.25 * period_s) | (ic > anchor + 0.2 * period_s)
    bad_to = ~np.isfinite(to) | (to <= ic + 0.1 * period_s) | (to > anchor + 0.65 * period_s)
    ic = np.where(bad_ic, anchor, ic)
    to = np.where(bad_ic | bad_to, np.nan, to)
    return FootEvents(side, anchor, ic, to, bad_ic, vis)


def drop_simultaneous(events: GaitEvents) -> GaitEvents:
    """Drop contacts of one foot within an eighth of a stride of the other foot's.

    When both feet "land" together one of them is a copy (the pose model put
    the hidden far foot on the near one); the less visible one is dropped.
    """
    left, right = events.left, events.right
    if left.n == 0 or right.n == 0:
        return events
    eighth = 0.125 * events.stride_period_s
    keep_l = np.ones(left.n, bool)
    keep_r = np.ones(right.n, bool)
    for i in range(left.n):
        j = int(np.argmin(np.abs(right.anchor_t_s - left.anchor_t_s[i])))
        if abs(right.anchor_t_s[j] - left.anchor_t_s[i]) < eighth:
            if left.visibility[i] >= right.visibility[j]:
                keep_r[j] = False
            else:
                keep_l[i] = False
    return GaitEvents(
        left.take(keep_l),
        right.take(keep_r),
        events.stride_period_s,
        events.ground_slope,
        events.refined,
    )


def detect_events(
    series: PoseSeries,
    facing: float,
    leg_px: float,
    stride_period_s: float,
    overrides: dict[str, float] | None = None,
    sharp: PoseSeries | None = None,
) -> GaitEvents:
    """Initial contacts and toe-offs of both feet in a side-view series.

    Parameters
    ----------
    series : cleaned, leg-swap-corrected landmarks.
    facing : +1 runner faces image-right, -1 image-left.
    leg_px : leg length in pixels.
    stride_period_s : the clip's stride period (same foot to same foot).
    overrides : user threshold overrides (``foot_stance_tol_leglen``).
    sharp : the same frames low-passed at a higher cut-off, for the initial contacts
        when both feet are clearly seen (anchors and toe-offs come from ``series``);
        None uses ``series`` for all.

    Returns
    -------
    GaitEvents, with ``ground_slope`` from :func:`ground_slope_from_stance`.
    """
    tol = th.value("foot_stance_tol_leglen", overrides)
    sig = foot_signals(series, facing, leg_px)
    # refined only when both feet are clearly seen: a foot hidden at touch-down has no
    # corner to find, and refining one foot but not the other would turn the two
    # methods' difference into a false left-right asymmetry
    clear_vis = th.value("clear_visibility", overrides)
    clear = all(
        np.isfinite(sig[s].visibility).any() and float(np.nanmedian(sig[s].visibility)) >= clear_vis
        for s in SIDES
    )
    csig = foot_signals(sharp, facing, leg_px) if sharp is not None and clear else None
    ev = GaitEvents(
        *(
            detect_foot_events(
                series.t_s, sig[s], s, stride_period_s, leg_px, tol, csig and csig[s]
            )
            for s in SIDES
        ),
        stride_period_s,
        refined=csig is not None,
    )
    ev = drop_simultaneous(ev)
    slope = ground_slope_from_stance(series.t_s, sig, ev, leg_px, facing)
    return GaitEvents(ev.left, ev.right, ev.stride_period_s, slope, ev.refined)
