"""`FrameStates`: the per-frame analyzer states of a clip, kept as columns.

An analysis keeps one :class:`~formcheck.results.FrameState` per frame for
review (``Report.frames``). As objects, each with its own angles dict and
boxed floats, they take about 440 bytes a frame (8 MB for a 10-minute clip at
30 fps); as NumPy columns about 70. :class:`FrameStates` is a read-only
sequence of ``FrameState``: indexing or iterating makes each state on demand,
equal to the one it was built from (same fields, same angle order, same
floats), so readers of ``report.frames`` need not know the difference.

Like ``results``, this module sits below the analyzers (it imports only
:mod:`formcheck.results`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import overload

import numpy as np

from formcheck.results import FrameState


class FrameStates(Sequence[FrameState]):
    """Per-frame states as columns (build with :meth:`from_states` or :meth:`from_columns`).

    Columns (n = frames):

    frame : int64 (n,); t_s : float64 (n,), seconds.
    labels : the distinct texts of phase, form and cue; ``labels[0]`` is None.
    phase, form, cue : int32 (n,) codes into ``labels``.
    angle_names : angle names; angles : float64 (n, names), degrees.
    patterns : tuples of angle columns, in each frame's own key order;
    pattern : int32 (n,) code into ``patterns`` (the angles a frame has).
    reps : int64 (n,) and reps_set bool (n,), or None when no frame has a count;
    hold_s : float64 (n,) and hold_set bool (n,), or None likewise.
    """

    __slots__ = (
        "_angle_names",
        "_angles",
        "_cue",
        "_form",
        "_frame",
        "_hold",
        "_hold_set",
        "_labels",
        "_pattern",
        "_patterns",
        "_phase",
        "_reps",
        "_reps_set",
        "_t_s",
    )

    def __init__(
        self,
        frame: np.ndarray,
        t_s: np.ndarray,
        labels: Sequence[str | None],
        phase: np.ndarray,
        form: np.ndarray,
        cue: np.ndarray,
        angle_names: Sequence[str],
        angles: np.ndarray,
        patterns: Sequence[tuple[int, ...]],
        pattern: np.ndarray,
        reps: tuple[np.ndarray, np.ndarray] | None = None,
        hold_s: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        n = len(frame)
        self._frame = np.asarray(frame, np.int64)
        self._t_s = np.asarray(t_s, np.float64)
        self._labels: tuple[str | None, ...] = tuple(labels)
        if self._labels[:1] != (None,):
            raise ValueError("labels[0] must be None")
        self._phase = np.asarray(phase, np.int32)
        self._form = np.asarray(form, np.int32)
        self._cue = np.asarray(cue, np.int32)
        self._angle_names: tuple[str, ...] = tuple(angle_names)
        self._angles = np.asarray(angles, np.float64).reshape(n, len(self._angle_names))
        self._patterns: tuple[tuple[int, ...], ...] = tuple(tuple(p) for p in patterns)
        self._pattern = np.asarray(pattern, np.int32)
        self._reps, self._reps_set = (None, None) if reps is None else reps
        self._hold, self._hold_set = (None, None) if hold_s is None else hold_s
        for col in (self._t_s, self._phase, self._form, self._cue, self._pattern):
            if col.shape != (n,):
                raise ValueError("every column needs one entry per frame")

    # ---- builders ------------------------------------------------------------------------
    @classmethod
    def from_states(cls, states: Iterable[FrameState]) -> FrameStates:
        """The columns of any sequence of states (``from_states(s) == list(s)``)."""
        states = list(states)
        n = len(states)
        labels: dict[str | None, int] = {None: 0}
        names: dict[str, int] = {}
        patterns: dict[tuple[int, ...], int] = {}
        codes = np.zeros((3, n), np.int32)
        pattern = np.zeros(n, np.int32)
        rows: list[tuple[int, ...]] = []
        values: list[list[float]] = []
        reps = np.zeros(n, np.int64)
        reps_set = np.zeros(n, bool)
        hold = np.zeros(n, np.float64)
        hold_set = np.zeros(n, bool)
        for i, s in enumerate(states):
            for k, text in enumerate((s.phase, s.form, s.cue)):
                codes[k, i] = labels.setdefault(text, len(labels))
            cols = tuple(names.setdefault(name, len(names)) for name in s.angles)
            pattern[i] = patterns.setdefault(cols, len(patterns))
            rows.append(cols)
            values.append([float(v) for v in s.angles.values()])
            if s.reps is not None:
                reps[i], reps_set[i] = s.reps, True
            if s.hold_s is not None:
                hold[i], hold_set[i] = s.hold_s, True
        angles = np.full((n, len(names)), np.nan)
        for i, (cols, vals) in enumerate(zip(rows, values, strict=True)):
            angles[i, list(cols)] = vals
        return cls(
            np.array([s.frame for s in states], np.int64),
            np.array([s.t_s for s in states], np.float64),
            list(labels),
            *codes,
            list(names),
            angles,
            list(patterns),
            pattern,
            (reps, reps_set) if reps_set.any() else None,
            (hold, hold_set) if hold_set.any() else None,
        )

    @classmethod
    def from_columns(
        cls,
        frame: np.ndarray,
        t_s: np.ndarray,
        phase: Sequence[str | None] | np.ndarray,
        angles: Mapping[str, np.ndarray],
    ) -> FrameStates:
        """States with a phase and angles per frame (no form, cue or counts).

        ``angles`` : name -> float (n,) degrees; a frame has the angles that are
        finite there, in the mapping's order.
        """
        n = len(frame)
        phase = np.asarray(phase, object)
        labels: list[str | None] = [None]
        codes = np.zeros(n, np.int32)
        for text in dict.fromkeys(phase.tolist()):
            if text is not None:
                codes[phase == text] = len(labels)
                labels.append(text)
        names = list(angles)
        vals = (
            np.stack([np.asarray(angles[k], np.float64) for k in names], axis=1)
            if names
            else np.zeros((n, 0))
        )
        finite = np.isfinite(vals)
        if names and n:
            masks, pattern = np.unique(finite, axis=0, return_inverse=True)
            patterns = [tuple(np.flatnonzero(m).tolist()) for m in masks]
        else:
            pattern, patterns = np.zeros(n, np.int32), [()]
        zeros = np.zeros(n, np.int32)
        return cls(
            frame, t_s, labels, codes, zeros, zeros, names, vals, patterns, pattern.reshape(-1)
        )

    # ---- the sequence ----------------------------------------------------------------------
    def __len__(self) -> int:
        return int(self._frame.shape[0])

    def _state(self, i: int) -> FrameState:
        row = self._angles[i]
        names = self._angle_names
        lab = self._labels
        return FrameState(
            int(self._frame[i]),
            float(self._t_s[i]),
            lab[self._phase[i]],
            lab[self._form[i]],
            {names[j]: float(row[j]) for j in self._patterns[self._pattern[i]]},
            lab[self._cue[i]],
            int(self._reps[i]) if self._reps is not None and self._reps_set[i] else None,
            float(self._hold[i]) if self._hold is not None and self._hold_set[i] else None,
        )

    @overload
    def __getitem__(self, i: int) -> FrameState: ...

    @overload
    def __getitem__(self, i: slice) -> list[FrameState]: ...

    def __getitem__(self, i: int | slice) -> FrameState | list[FrameState]:
        if isinstance(i, slice):
            return [self._state(k) for k in range(*i.indices(len(self)))]
        n = len(self)
        k = int(i)
        if not -n <= k < n:
            raise IndexError(f"frame state {k} outside 0..{n - 1}")
        return self._state(k % n)

    def __iter__(self) -> Iterator[FrameState]:
        for k in range(len(self)):
            yield self._state(k)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"FrameStates({len(self)} frames, angles {list(self._angle_names)})"

    # ---- columns (no per-frame objects) ------------------------------------------------------
    @property
    def frame(self) -> np.ndarray:
        """int64 (n,): each state's ``frame`` (read-only view)."""
        v = self._frame.view()
        v.flags.writeable = False
        return v

    def texts(self, field: str) -> list[str | None]:
        """Each frame's ``phase``, ``form`` or ``cue``, as a list."""
        codes = {"phase": self._phase, "form": self._form, "cue": self._cue}[field]
        lab = self._labels
        return [lab[c] for c in codes.tolist()]

    def mask(self, field: str, test: Callable[[str | None], bool]) -> np.ndarray:
        """bool (n,): ``test(text)`` of each frame's ``phase``, ``form`` or ``cue``
        (called once per distinct text, not per frame)."""
        codes = {"phase": self._phase, "form": self._form, "cue": self._cue}[field]
        return np.asarray([bool(test(t)) for t in self._labels], bool)[codes]

    @property
    def nbytes(self) -> int:
        """Bytes held by the columns."""
        cols = [self._frame, self._t_s, self._phase, self._form, self._cue, self._angles]
        cols += [self._pattern, self._reps, self._reps_set, self._hold, self._hold_set]
        return sum(c.nbytes for c in cols if c is not None)
