"""Cadence from contact events, checked against the dominant step frequency.

Cadence is not the median of per-step rates: at 30 fps a step of about
0.35 s is 10 or 11 frames, so single-step cadences jump between 164 and 180
steps/min. Instead every foot's cycle anchors (one per stride, sub-frame) are
numbered along their foot's sequence (a missed stride, e.g. while the far foot
was hidden, is bridged by counting how many stride periods the gap spans), and
one stride period is fitted to all of them by least squares, with one offset
per foot and per continuous stretch. Timing jitter of single events then
averages out over the clip instead of adding up. An edited clip's cut
(``breaks_s``) ends a stretch: the next shot's time is not the last one's, so no
stride is counted across it.

The same fit over a few seconds gives the windowed cadence (the report's
cadence line) and, over the first and last third of the run, the cadence
drift. A missed contact only leaves a gap in its foot's numbering and a doubled
one is set aside as far off the fit, so neither moves these figures; a single
step's rate (60 / step time) is kept only when the step is one a runner can take
(:func:`plausible_steps`).

References
----------
Heiderscheit BC et al. (2011) Med Sci Sports Exerc 43:296 (step rate);
Lieberman DE et al. (2015) J Exp Biol 218:3406.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.cues import thresholds as th
from formcheck.gait.summary import Drift
from formcheck.pose.series import shot_index

#: Seconds of contacts in each fit of the windowed cadence (:func:`windowed_cadence`):
#: about 8 strides at 160-180 steps/min, so a frame of timing error at 25 fps (40 ms)
#: on each event moves a window's fit by well under 1 step/min, while a change of pace
#: over half a minute still shows.
CADENCE_WINDOW_S = 6.0
#: A foot's event this many strides or more away from a whole number of strides after
#: the foot's previous one is not numbered in the stride fit (:func:`_index_sequence`):
#: the other foot's contact sits about half a stride off, a doubled one a few frames
#: after; two events' timing errors and a few percent of period change over up to 3
#: strides stay well inside it. The fit then sets aside events more than 0.2 strides
#: off its line.
OFF_RHYTHM_STRIDES = 0.3
#: The plot series of each step's own cadence (60 / step time), beside the windowed
#: ``cadence_spm`` line (the report draws it as faint dots on the same chart).
PER_STEP_CADENCE = "cadence_per_step_spm"
#: Steps on each side of a step whose median step time it is compared with
#: (:func:`plausible_steps`).
LOCAL_STEPS = 5


@dataclass(frozen=True, slots=True)
class CadenceFit:
    """A cadence estimate from event times.

    cadence_spm : steps per minute (2 x strides); NaN if fewer than 3 usable events.
    stride_s : fitted stride period, seconds.
    n_strides : strides spanned by the events used.
    residual_s : RMS timing residual of the events about the fit, seconds.
    stride_se_s : standard error of the fitted stride period, seconds (NaN when
        the fit has no spare events to estimate it from).
    """

    cadence_spm: float
    stride_s: float
    n_strides: int
    residual_s: float
    stride_se_s: float = float("nan")

    @property
    def cadence_se_spm(self) -> float:
        """Standard error of the cadence, steps/min (from the stride period's)."""
        return 120.0 * self.stride_se_s / self.stride_s**2


def _index_sequence(
    t: np.ndarray, period: float, breaks_s: tuple[float, ...] = ()
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Split sorted event times into stretches and number the strides in each.

    A stretch ends at a gap of more than 3.5 strides and at a cut (``breaks_s``,
    seconds). An event that is not a whole number of strides (within
    ``OFF_RHYTHM_STRIDES``) after its foot's last numbered one is left out: a
    doubled contact, or the other foot's contact read as this foot's (about half a
    stride off). Numbering goes on from the last numbered event, so it does not
    break the stretch.
    """
    if t.size == 0:
        return []
    shot = shot_index(t, breaks_s)

    def strides(gap: float) -> int | None:
        r = gap / period
        k = round(r)
        return k if k >= 1 and abs(r - k) <= OFF_RHYTHM_STRIDES else None

    out = []
    keep = [0]
    idx = [0]
    off: int | None = None  # the last event left out
    for i in range(1, t.size):
        gap = t[i] - t[keep[-1]]
        if gap > 3.5 * period or shot[i] != shot[keep[-1]]:
            out.append((t[keep], np.array(idx, float)))
            keep, idx, off = [i], [0], None
            continue
        k = strides(gap)
        if k is None:
            # two events in a row off the stretch's rhythm but on each other's: the
            # stretch's last event was the odd one, so a new stretch starts with them
            kk = strides(t[i] - t[off]) if off is not None and shot[off] == shot[i] else None
            if kk is not None:
                out.append((t[keep], np.array(idx, float)))
                keep, idx, off = [off, i], [0, kk], None  # type: ignore[list-item]
            else:
                off = i
            continue
        off = None
        keep.append(i)
        idx.append(idx[-1] + k)
    out.append((t[keep], np.array(idx, float)))
    return out


def fit_cadence(
    times_by_foot: list[np.ndarray], period_guess_s: float, breaks_s: tuple[float, ...] = ()
) -> CadenceFit:
    """Fit one stride period to per-foot event sequences.

    Parameters
    ----------
    times_by_foot : per foot, sorted event times in seconds (one event per
        stride, e.g. the cycle anchors or the initial contacts).
    period_guess_s : the clip's stride period from its rhythm, used only to
        number the strides across gaps.
    breaks_s : seconds where an edited clip cuts to a new shot (no stride is
        numbered across one).

    Returns
    -------
    CadenceFit. Events more than 0.2 strides off the fit are dropped and the
    fit repeated (twice at most).
    """
    nan = CadenceFit(float("nan"), float("nan"), 0, float("nan"))
    if not np.isfinite(period_guess_s) or period_guess_s <= 0:
        return nan
    groups = []
    for t in times_by_foot:
        t = np.sort(np.asarray(t, float)[np.isfinite(t)])
        groups += [g for g in _index_sequence(t, period_guess_s, breaks_s) if g[0].size >= 2]
    if not groups:
        return nan
    masks = [np.ones(g[0].size, bool) for g in groups]
    period = period_guess_s
    resid = float("nan")
    for _ in range(3):
        rows_t, rows_k, rows_g = [], [], []
        for gi, ((t, k), m) in enumerate(zip(groups, masks, strict=True)):
            if m.sum() < 2:
                continue
            rows_t.append(t[m])
            rows_k.append(k[m])
            rows_g.append(np.full(int(m.sum()), gi))
        if not rows_t:
            return nan
        tt = np.concatenate(rows_t)
        kk = np.concatenate(rows_k)
        gg = np.concatenate(rows_g)
        ug = np.unique(gg)
        design = np.zeros((tt.size, ug.size + 1))
        design[:, 0] = kk
        for j, g in enumerate(ug):
            design[gg == g, j + 1] = 1.0
        coef, *_ = np.linalg.lstsq(design, tt, rcond=None)
        period = float(coef[0])
        if not np.isfinite(period) or period <= 0:
            return nan
        res = tt - design @ coef
        resid = float(np.sqrt(np.mean(res**2)))
        dof = tt.size - design.shape[1]
        se = float("nan")
        if dof > 0:
            cov = np.linalg.pinv(design.T @ design)
            se = float(np.sqrt(max(np.sum(res**2) / dof * cov[0, 0], 0.0)))
        changed = False
        for gi, ((t, k), m) in enumerate(zip(groups, masks, strict=True)):
            j = np.flatnonzero(ug == gi)
            if j.size == 0:
                continue
            pred = coef[0] * k + coef[j[0] + 1]
            new = np.abs(t - pred) <= 0.2 * period
            if not np.array_equal(new, m):
                masks[gi] = new
                changed = True
        if not changed:
            break
    n_strides = int(
        sum((k[m].max() - k[m].min()) for (t, k), m in zip(groups, masks, strict=True) if m.sum())
    )
    if n_strides < 2:
        return nan
    return CadenceFit(120.0 / period, period, n_strides, resid, se)


def _per_foot(t: np.ndarray, side: np.ndarray) -> list[np.ndarray]:
    return [np.sort(t[(side == s) & np.isfinite(t)]) for s in ("left", "right")]


def fit_span(
    t_ic: np.ndarray,
    side: np.ndarray,
    period_guess_s: float,
    t0: float,
    t1: float,
    breaks_s: tuple[float, ...] = (),
) -> CadenceFit:
    """:func:`fit_cadence` of the contacts (times ``t_ic``, feet ``side``) in [t0, t1]."""
    t = np.asarray(t_ic, float)
    sel = (t >= t0) & (t <= t1)
    return fit_cadence(_per_foot(t[sel], np.asarray(side)[sel]), period_guess_s, breaks_s)


def windowed_cadence(
    t_ic: np.ndarray,
    side: np.ndarray,
    period_guess_s: float,
    window_s: float = CADENCE_WINDOW_S,
    breaks_s: tuple[float, ...] = (),
) -> np.ndarray:
    """Cadence around each contact, steps/min: stride fits to the contacts of windows of
    ``window_s`` seconds every quarter window (moved inside the run at its ends; the
    whole run when it is shorter), read at each contact by linear interpolation between
    the windows' centres (a window with too few contacts to fit is bridged; all NaN
    when none can be fitted). ``breaks_s``: an edited clip's cuts (see :func:`fit_cadence`)."""
    t = np.asarray(t_ic, float)
    out = np.full(t.size, np.nan)
    fin = np.isfinite(t)
    if fin.sum() < 3:
        return out
    lo, hi = float(t[fin].min()), float(t[fin].max())
    starts = np.unique(
        np.r_[np.arange(lo, max(hi - window_s, lo), window_s / 4), max(hi - window_s, lo)]
    )
    cad = np.array(
        [fit_span(t, side, period_guess_s, a, a + window_s, breaks_s).cadence_spm for a in starts]
    )
    ok = np.isfinite(cad)
    if ok.any():
        out[fin] = np.interp(t[fin], starts[ok] + 0.5 * window_s, cad[ok])
    return out


def plausible_steps(
    step_time_s: np.ndarray, overrides: dict[str, float] | None = None
) -> np.ndarray:
    """True for each step time (in time order) a runner can take: no faster than
    ``step_rate_max_spm`` and within ``step_time_outlier_frac`` of the median of the
    ``LOCAL_STEPS`` steps on either side. A doubled contact splits a step into two
    short ones and a missed one makes a step about twice as long: these are the
    steps it rejects. False for NaN."""
    st = np.asarray(step_time_s, float)
    ok = np.isfinite(st) & (st >= 60.0 / th.value("step_rate_max_spm", overrides))
    idx = np.flatnonzero(ok)
    if idx.size < 3:
        return ok
    vals = st[idx]
    tol = th.value("step_time_outlier_frac", overrides)
    for j, i in enumerate(idx):
        med = float(np.median(vals[max(j - LOCAL_STEPS, 0) : j + LOCAL_STEPS + 1]))
        if abs(st[i] / med - 1.0) > tol:
            ok[i] = False
    return ok


def cadence_drift(
    t_ic: np.ndarray,
    side: np.ndarray,
    period_guess_s: float,
    z_cut: float,
    breaks_s: tuple[float, ...] = (),
) -> Drift | None:
    """Fatigue drift of cadence: a stride fit to the contacts of the last third of the
    run's time minus one to the first third's, against the two fits' standard errors
    (None with fewer than 9 contacts or a third that cannot be fitted). Fitting, not
    averaging 60 / step time, keeps a doubled or missed contact from moving it."""
    t = np.asarray(t_ic, float)
    fin = np.isfinite(t)
    if fin.sum() < 9:
        return None
    lo, hi = float(t[fin].min()), float(t[fin].max())
    third = (hi - lo) / 3.0
    a = fit_span(t, side, period_guess_s, lo, lo + third, breaks_s)
    b = fit_span(t, side, period_guess_s, hi - third, hi, breaks_s)
    if not (np.isfinite(a.cadence_spm) and np.isfinite(b.cadence_spm)):
        return None
    change = float(b.cadence_spm - a.cadence_spm)
    se = float(np.hypot(a.cadence_se_spm, b.cadence_se_spm))
    if not np.isfinite(se):
        se = float("inf")  # too few contacts to tell the noise: nothing can be judged
    z = change / se if se > 0 else (np.inf if change else 0.0)
    return Drift(
        change,
        float(z),
        bool(abs(z) > z_cut),
        int(((t >= lo) & (t <= lo + third)).sum()),
        int(((t >= hi - third) & (t <= hi)).sum()),
        (lo, lo + third),
        (hi - third, hi),
        se,
    )
