"""The engine shared by every exercise: one frame in, the coach's answer out.

An exercise analyzer (:class:`ExerciseAnalyzer` subclass) is fed one frame's
landmarks at a time (:meth:`ExerciseAnalyzer.update`) and answers at once with a
:class:`~formcheck.live.LiveUpdate`: the state now (phase, form label, angles,
reps, hold time), the events this frame completed, and at most one spoken cue.
A saved clip is analysed by feeding the *same* analyzer every frame
(:func:`analyze_series`), so a clip gives the same reps and holds live and in
batch by construction. Its time-based building blocks (debounced states, the
hold clock, the speech-cue limiter) are in :mod:`formcheck.exercises.timing`.

The landmarks are smoothed causally (:class:`formcheck.signal.CausalLowpass` at
``Settings.exercise_cutoff_hz``, about 40 ms lag at 4 Hz), because the live path
cannot see the future; the batch path uses the same filter so both agree.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from formcheck.cues import words_exercises as words
from formcheck.cues.thresholds import value
from formcheck.exercises.posture import DEFAULT_NEEDED, Posture, PostureLimits, measure
from formcheck.exercises.timing import CueLimiter, Debounce, time_runs
from formcheck.framestates import FrameStates
from formcheck.live import LiveUpdate
from formcheck.pose.landmarks import N_LANDMARKS
from formcheck.pose.series import PoseSeries
from formcheck.results import ActivityResult, Event, FrameState, Notice
from formcheck.settings import Settings
from formcheck.signal import CausalLowpass


@dataclass(slots=True)
class Step:
    """What an exercise's per-frame step reports back to the shared skeleton."""

    phase: str
    form: str | None = None
    angles: dict[str, float] = field(default_factory=dict)
    reps: int | None = None
    hold_s: float | None = None
    events: list[Event] = field(default_factory=list)
    metrics: dict[str, float] = field(default_factory=dict)


class ExerciseAnalyzer:
    """Per-frame analyzer skeleton; subclasses implement :meth:`_step` and :meth:`_summary`.

    Class attributes set by each exercise: ``activity`` (its name in
    :data:`formcheck.activities.ANALYZERS`), ``position`` (the
    :mod:`posture <formcheck.exercises.posture>` label of its starting position),
    ``view_needed`` ("side" or "front") and ``needed`` (body parts that must be in
    view).

    After ``update`` calls, :meth:`result` gives everything found so far. Its
    ``frames`` are the *settled* per-frame states: a change that needed a minimum
    duration to be confirmed (a form label, a hold start) is dated back to the
    frame where it began, while each ``LiveUpdate.state`` is what was known at
    that moment.
    """

    activity: str = ""
    position: str = ""
    view_needed: str = "side"
    needed: tuple[str, ...] = DEFAULT_NEEDED

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        overrides = self.settings.thresholds
        self.th: Callable[[str], float] = lambda name: value(name, overrides)
        self.limits = PostureLimits.from_thresholds(overrides)
        self._filter = CausalLowpass(self.settings.exercise_cutoff_hz, reset_after_s=0.5)
        self.cues = CueLimiter(self.th("cue_repeat_s"), self.th("cue_min_gap_s"))
        #: how long a count ("3", "20 seconds") may wait for its turn to be spoken (a
        #: newer count replaces it): two message gaps, after that it is out of date
        self.count_ttl_s = 2.0 * self.th("cue_min_gap_s")
        self.in_position = Debounce(False, self.th("position_min_s"))
        self.frames: list[FrameState] = []
        self.events: list[Event] = []
        self.width: int | None = None
        self.height: int | None = None
        self._near: str | None = None
        self._absent_since: float | None = None
        self._lost_since: float | None = None
        self.t_log: list[float] = []
        self.present_log: list[bool] = []
        self.in_frame_log: list[bool] = []
        self.view_log: list[str] = []
        self.label_log: list[str] = []
        self.position_log: list[bool] = []

    # -- per frame ------------------------------------------------------------------------
    def update(self, xyzv: np.ndarray, t_s: float, width: int, height: int) -> LiveUpdate:
        """Feed one frame.

        Parameters
        ----------
        xyzv : float ndarray, shape (33, 4)
            Landmarks in pixels of the upright frame (x, y; y down), z, visibility;
            all NaN when nobody was found.
        t_s : float
            The frame's timestamp in seconds; strictly increasing.
        width, height : int
            Frame size in pixels.
        """
        a = np.asarray(xyzv, dtype=np.float64)
        if a.shape != (N_LANDMARKS, 4):
            raise ValueError(f"xyzv must be (33, 4), got {a.shape}")
        t_s = float(t_s)
        if self.t_log and not t_s > self.t_log[-1]:
            raise ValueError(f"timestamps must increase: {t_s} after {self.t_log[-1]}")
        self.width, self.height = int(width), int(height)
        i = len(self.frames)
        xy = self._filter.update(t_s, a[:, :2])
        p = measure(xy, a[:, 3], width, height, self.limits, self.needed, prefer=self._near)
        if p.present:
            self._near = p.near
            self._absent_since = None
        elif self._absent_since is None:
            self._absent_since = t_s
        #: this frame's smoothed landmarks, pixels (33, 2), visibility (33,) and depth
        #: (33,) as the model gives it (unsmoothed, same scale as x), for moves that
        #: read landmarks the posture does not keep (heels, nose, ...)
        self.xy = xy
        self.vis = a[:, 3]
        self.z = a[:, 2]
        ok_now = p.present and p.in_frame and self.in_position_now(p)
        self.in_position.update(ok_now if p.present else False, t_s, i)
        self.t_log.append(t_s)
        self.present_log.append(p.present)
        self.in_frame_log.append(p.in_frame)
        self.view_log.append(p.view)
        self.label_log.append(p.label)
        self.position_log.append(ok_now)

        step = self._step(i, t_s, p, ok_now)
        self._setup_cues(t_s, p, ok_now)
        cue = self.cues.pop(t_s)
        state = FrameState(
            frame=i,
            t_s=t_s,
            phase=step.phase,
            form=step.form,
            angles={k: v for k, v in step.angles.items() if math.isfinite(v)},
            cue=cue,
            reps=step.reps,
            hold_s=step.hold_s,
        )
        self.frames.append(state)
        self.events.extend(step.events)
        metrics = {k: float(v) for k, v in step.metrics.items() if math.isfinite(v)}
        return LiveUpdate(state, tuple(step.events), cue, metrics)

    def in_position_now(self, p: Posture) -> bool:
        """This frame shows the exercise's position (``p`` is present and in frame).

        The default compares the posture label with :attr:`position`; a move whose
        position the posture labels do not name overrides this (it may read
        :attr:`xy` and :attr:`vis`, this frame's landmarks).
        """
        return p.label == self.position

    def cut(self, t_s: float) -> None:
        """An edit's cut to a new shot at ``t_s`` (batch only, before that shot's frames).

        Nothing runs through a cut: a half-done rep is forgotten as if the person
        had been gone long enough (:meth:`lost_for_s` reads unbounded until the move
        is measurable again), and holds end at the cut (:meth:`on_cut`).
        """
        self._lost_since = -math.inf
        self.events.extend(self.on_cut(t_s, len(self.frames)))

    def on_cut(self, t_s: float, frame: int) -> list[Event]:
        """Close what this move times at a cut at ``t_s`` (``frame``: the first frame
        after it); the events it confirms. Moves with a hold clock override this."""
        return []

    def absent_for_s(self, t_s: float) -> float:
        """How long nobody has been seen, seconds (0 when a pose is present)."""
        return 0.0 if self._absent_since is None else t_s - self._absent_since

    def lost_for_s(self, t_s: float, measurable: bool) -> float:
        """Fed every frame from :meth:`_step`: how long the move has not been measurable,
        seconds (0 while it is). A counting analyzer forgets a half-done rep once this
        reaches ``position_min_s`` (the person left or turned away)."""
        if measurable:
            self._lost_since = None
            return 0.0
        if self._lost_since is None:
            self._lost_since = t_s
        return t_s - self._lost_since

    @staticmethod
    def unmeasured_phase(p: Posture) -> str:
        """The phase of a frame the move cannot be measured in: ``"absent"`` (nobody),
        ``"out_of_frame"`` (a needed part out of the picture) or ``"setup"``."""
        return "absent" if not p.present else ("out_of_frame" if not p.in_frame else "setup")

    def _setup_cues(self, t_s: float, p: Posture, ok_now: bool) -> None:
        if not p.present:
            if self.absent_for_s(t_s) >= self.th("position_min_s"):
                self.cues.offer("absent", words.LIVE["absent"], 10, t_s)
            return
        if not p.in_frame:
            self.cues.offer("out_of_frame", words.LIVE["out_of_frame"], 10, t_s)
        elif p.view != self.view_needed and not ok_now:
            self.cues.offer("view", words.LIVE[f"view_{self.view_needed}"], 15, t_s)
        elif not ok_now and self.in_position.state is False:
            pending = self.in_position.pending_since_s
            if pending is None:
                self.cues.offer("setup", words.LIVE[f"setup_{self.activity}"], 50, t_s)

    def patch(self, frame0: int, frame1: int, **changes: object) -> None:
        """Rewrite settled per-frame states for frames ``[frame0, frame1)``."""
        for k in range(max(frame0, 0), min(frame1, len(self.frames))):
            self.frames[k] = replace(self.frames[k], **changes)  # type: ignore[arg-type]

    def _step(self, i: int, t_s: float, p: Posture, ok_now: bool) -> Step:
        raise NotImplementedError

    # -- summary --------------------------------------------------------------------------
    def result(self) -> ActivityResult:
        """Everything found so far, as the batch analysis reports it."""
        res = ActivityResult(activity=self.activity, view=self._view())
        res.frames = list(self.frames)
        res.events = sorted(self.events, key=lambda e: (e.t_s, e.frame))
        res.notices = self.setup_notices()
        self._summary(res)
        return res

    def _summary(self, res: ActivityResult) -> None:
        raise NotImplementedError

    def _view(self) -> str:
        seen = [v for v in self.view_log if v != "unknown"]
        if not seen:
            return "unknown"
        return most_common(seen)

    @property
    def single_frame(self) -> bool:
        return len(self.t_log) == 1

    def setup_notices(self) -> list[Notice]:
        """Wrong view, partly out of frame, not in position, leaving mid-set."""
        out: list[Notice] = []
        t = self.t_log
        if not t:
            return out
        min_s = self.th("position_min_s")
        present = self.present_log
        n_present = sum(present)
        if n_present == 0:
            return out
        name = words.EXERCISE_NAME[self.activity]
        # camera view
        wrong_view = [
            p and v != self.view_needed for p, v in zip(present, self.view_log, strict=True)
        ]
        if sum(wrong_view) * 2 > n_present:
            out.append(
                Notice(
                    "wrong_view",
                    words.NOTICE[f"wrong_view_{self.view_needed}"].format(name=name),
                    tuple(time_runs(wrong_view, t, min_s)),
                )
            )
        # partly out of frame
        out_frame = [p and not f for p, f in zip(present, self.in_frame_log, strict=True)]
        runs = time_runs(out_frame, t, min_s)
        if runs:
            out.append(Notice("out_of_frame", words.NOTICE["out_of_frame"], tuple(runs)))
        # not in position
        usable = [p and f for p, f in zip(present, self.in_frame_log, strict=True)]
        if not any(self.position_log):
            labels = [lab for lab, u in zip(self.label_log, usable, strict=True) if u]
            seen = most_common(labels) if labels else None
            extra = words.POSTURE_SEEN.get(seen or "", "")
            out.append(
                Notice(
                    "not_in_position",
                    words.NOTICE["never_in_position"]
                    .format(name=name, how=words.POSITION_HOW[self.activity], seen=extra)
                    .strip(),
                    ((float(t[0]), float(t[-1])),),
                )
            )
        else:
            off = [u and not ok for u, ok in zip(usable, self.position_log, strict=True)]
            runs = time_runs(off, t, min_s)
            if runs:
                out.append(
                    Notice(
                        "not_in_position",
                        words.NOTICE["not_in_position"].format(name=name),
                        tuple(runs),
                    )
                )
        # left the frame after being seen, and came back or not
        first = present.index(True)
        absent_mid = [(not p) and k > first for k, p in enumerate(present)]
        runs = time_runs(absent_mid, t, min_s)
        if runs:
            out.append(Notice("person_absent", words.NOTICE["person_absent"], tuple(runs)))
        return out


def most_common(items: list[str]) -> str:
    """The most frequent of ``items`` (not empty); a tie goes to the one seen first,
    so the answer is the same on every run (a set's order changes between runs)."""
    return max(dict.fromkeys(items), key=items.count)


def feed(analyzer: ExerciseAnalyzer, series: PoseSeries) -> None:
    """Feed every frame of ``series`` to ``analyzer`` (the live engine), telling it
    where an edited clip cuts to a new shot (:attr:`PoseSeries.cuts_s`)."""
    xyzv = series.xyzv
    t = series.t_s
    cuts = [c for c in series.cuts_s if series.n_frames and c > t[0]]
    for k in range(series.n_frames):
        while cuts and cuts[0] <= t[k]:
            analyzer.cut(cuts.pop(0))
        analyzer.update(xyzv[k], float(t[k]), series.width, series.height)


def analyze_series(analyzer: ExerciseAnalyzer, series: PoseSeries) -> ActivityResult:
    """Feed every frame of ``series`` to ``analyzer`` (:func:`feed`) and summarise.

    This is the whole batch path: the same per-frame code the webcam runs.
    """
    feed(analyzer, series)
    res = analyzer.result()
    # the report keeps the per-frame states as columns (the engine's list goes with it)
    res.frames = FrameStates.from_states(res.frames)  # type: ignore[assignment]
    return res
