"""The routine page's camera controller: a :class:`~formcheck.ui.livecam.LiveController`
whose session is a whole guided routine (:class:`~formcheck.pipeline.routine_live.RoutineSession`)
instead of one live set. The frame callback, the camera checks and the speech are the
live page's own (:mod:`formcheck.ui.livecam`).
"""

from __future__ import annotations

import collections
import uuid

import streamlit as st

from formcheck.pipeline.live_state import LiveOutcome, SpokenCue
from formcheck.pipeline.routine_live import RoutineOutcome, RoutineSession, RoutineSnapshot
from formcheck.pose.pool import EstimatorPool
from formcheck.routines import Routine
from formcheck.settings import Settings
from formcheck.ui.livecam import LiveController

#: Announcements sent again with every batch of cues (the moves of a routine come
#: tens of seconds apart: three cover any panel run lost in between).
ANNOUNCED_KEPT = 3


class RoutineController(LiveController):
    """One browser tab's guided routine: started by the first frame after :meth:`arm_routine`,
    ended by STOP (or the camera lost), or by itself after the last move."""

    def __init__(self) -> None:
        super().__init__("routine")
        self.routine: Routine | None = None
        self.last_routine: RoutineOutcome | None = None
        #: The routine ended by itself while the camera still plays: no new one starts
        #: until STOP (a routine never starts again on its own).
        self.ended_while_playing = False
        #: The routine's latest announcements (sent with every batch of cues).
        self._announced: collections.deque[SpokenCue] = collections.deque(maxlen=ANNOUNCED_KEPT)

    def arm_routine(self, routine: Routine, settings: Settings, pool: EstimatorPool | None) -> None:
        if self.ended_while_playing:
            return
        if self.session is None:
            self.routine = routine
        self.arm(routine.steps[0].activity, settings, pool)

    def camera_stopped(self) -> None:
        self.ended_while_playing = False

    def routine_session(self) -> RoutineSession | None:
        sess = self.session
        return sess if isinstance(sess, RoutineSession) else None

    def routine_snapshot(self) -> RoutineSnapshot | None:
        sess = self.routine_session()
        return sess.routine_snapshot() if sess is not None else None

    def skip(self) -> bool:
        sess = self.routine_session()
        return sess.skip() if sess is not None else False

    def take_cues(self) -> list[SpokenCue]:
        """New cues, after the routine's last few announcements again: a panel run that
        never reached the browser (replaced by a newer run) must not lose "Next: ...";
        the browser says each cue id once (:func:`formcheck.ui.livecam.speech`). A routine
        that ended by itself is then collected (its last words were taken first, so
        "Routine done" is still said)."""
        new = super().take_cues()
        again = [c for c in self._announced if c not in new]
        self._announced.extend(c for c in new if c.interrupt)
        self.collect_if_done()
        return again + new

    def collect_if_done(self) -> None:
        """A routine that ended by itself (its last move done): keep its outcome."""
        sess = self.routine_session()
        if sess is not None and sess.finished:
            self.ended_while_playing = True
            self.finish(partial=False, reason="done")

    def finish(self, partial: bool = False, reason: str = "stopped") -> LiveOutcome | None:
        sess = self.routine_session()
        out = super().finish(partial, reason)
        if sess is not None:
            self.last_routine = sess.outcome
            for problem in sess.store_errors:
                self.store_error = problem
        return out

    def _start_session(self) -> RoutineSession | None:  # type: ignore[override]
        with self._lock:
            if self.session is not None:
                return self.session  # type: ignore[return-value]
            if not self.armed or self.routine is None:
                return None
            lease = self._lease()
            if lease is None:
                return None
            self.start_error = None
            self.last_routine = None
            self._announced.clear()
            self.token = uuid.uuid4().hex[:8]
            sess = RoutineSession(
                self.routine, self.settings, estimate=lease.process, on_release=lease.release
            )
            self.session = sess  # type: ignore[assignment]
            return sess


def controller() -> RoutineController:
    """This browser tab's routine controller."""
    key = "fc_routine_ctl"
    if key not in st.session_state:
        st.session_state[key] = RoutineController()
    return st.session_state[key]  # type: ignore[no-any-return]
