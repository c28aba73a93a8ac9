"""`PoseSeries`: one person's landmarks over a clip, the type every analyzer takes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from formcheck.pose.landmarks import MIRROR_INDEX, N_LANDMARKS, Landmark


def _landmark_array(xyzv: np.ndarray) -> np.ndarray:
    """float32 view of landmarks shaped (frames, 33, 2..4); ValueError otherwise."""
    arr = np.asarray(xyzv, dtype=np.float32)
    if arr.ndim != 3 or arr.shape[1] != N_LANDMARKS or arr.shape[2] not in (2, 3, 4):
        raise ValueError(f"landmarks must be (frames, 33, 2..4), got {arr.shape}")
    return arr


def shot_index(t_s: np.ndarray | float, cuts_s: tuple[float, ...]) -> np.ndarray:
    """Which shot (0, 1, ...) each time ``t_s`` (seconds) lies in, given the cuts
    ``cuts_s`` (a cut's own time starts the new shot); all 0 without cuts."""
    return np.searchsorted(np.sort(np.asarray(cuts_s, float)), t_s, side="right")


@dataclass(frozen=True, slots=True)
class PoseSeries:
    """One person's landmarks over a clip (or a live window).

    Attributes
    ----------
    xyzv : float32 ndarray, shape (frames, 33, 4)
        Image landmarks in MediaPipe's order (:class:`Landmark`). x, y in pixels
        of the *upright* frame, origin top-left, **y grows downward**; z is depth
        relative to the hip midpoint on the same scale as x (smaller = nearer the
        camera); v is visibility in [0, 1]. A frame with no person is all NaN.
    t_s : float64 ndarray, shape (frames,)
        Seconds from the clip start, from the decoder's presentation timestamps,
        strictly increasing. Never assume a constant frame rate.
    width, height : int
        Size of the upright frame in pixels.
    world : float32 ndarray, shape (frames, 33, 3)
        MediaPipe world landmarks in metres, origin at the hip midpoint, y down.
        NaN where no pose was found (or not available from the source).
    frame_index : int64 ndarray, shape (frames,)
        Index of each sample in the decoded frame stream (for review/scrubbing).
    cuts_s : tuple of float
        Seconds where an edited clip cuts to a new shot (set by
        :func:`formcheck.pose.shots.settle_after_cuts`). Time does not run on
        across a cut (the next shot may be filmed minutes later or from elsewhere),
        so nothing timed or counted runs through one. Empty for one shot and live.
    """

    xyzv: np.ndarray
    t_s: np.ndarray
    width: int
    height: int
    world: np.ndarray = field(default=None)  # type: ignore[assignment]
    frame_index: np.ndarray = field(default=None)  # type: ignore[assignment]
    cuts_s: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        xyzv = np.asarray(self.xyzv, dtype=np.float32)
        t_s = np.asarray(self.t_s, dtype=np.float64)
        if xyzv.ndim != 3 or xyzv.shape[1:] != (N_LANDMARKS, 4):
            raise ValueError(f"xyzv must be (frames, 33, 4), got {xyzv.shape}")
        if t_s.shape != xyzv.shape[:1]:
            raise ValueError(f"t_s needs one timestamp per frame: {t_s.shape} vs {xyzv.shape[:1]}")
        if t_s.size > 1 and not np.all(np.diff(t_s) > 0):
            raise ValueError("t_s must be strictly increasing")
        if self.width <= 0 or self.height <= 0:
            raise ValueError(f"frame size must be positive, got {self.width}x{self.height}")
        world = self.world
        if world is None:
            world = np.full((*xyzv.shape[:2], 3), np.nan, dtype=np.float32)
        world = np.asarray(world, dtype=np.float32)
        if world.shape != (*xyzv.shape[:2], 3):
            raise ValueError(f"world must be (frames, 33, 3), got {world.shape}")
        idx = self.frame_index
        idx = np.arange(len(t_s), dtype=np.int64) if idx is None else np.asarray(idx, np.int64)
        if idx.shape != t_s.shape:
            raise ValueError("frame_index needs one entry per frame")
        object.__setattr__(self, "xyzv", xyzv)
        object.__setattr__(self, "t_s", t_s)
        object.__setattr__(self, "world", world)
        object.__setattr__(self, "frame_index", idx)
        object.__setattr__(self, "width", int(self.width))
        object.__setattr__(self, "height", int(self.height))
        object.__setattr__(self, "cuts_s", tuple(sorted(float(c) for c in self.cuts_s)))

    # ---- constructors -------------------------------------------------------------------
    @classmethod
    def from_arrays(
        cls,
        xyzv: np.ndarray,
        t_s: np.ndarray,
        width: int,
        height: int,
        world: np.ndarray | None = None,
    ) -> PoseSeries:
        """Build from pixel landmarks in MediaPipe's 33-point order (any source).

        ``xyzv`` may be (frames, 33, 2), (frames, 33, 3) or (frames, 33, 4); a missing
        z is 0 and a missing visibility is 1 where x and y are finite.
        """
        arr = _landmark_array(xyzv)
        full = np.zeros((*arr.shape[:2], 4), np.float32)
        full[..., : arr.shape[2]] = arr
        finite = np.isfinite(arr[..., 0]) & np.isfinite(arr[..., 1])
        if arr.shape[2] < 4:
            full[..., 3] = np.where(finite, 1.0, 0.0)
        full[~finite] = np.nan
        return cls(full, np.asarray(t_s, np.float64), width, height, world)

    @classmethod
    def from_normalized(
        cls,
        xyzv: np.ndarray,
        t_s: np.ndarray,
        width: int,
        height: int,
        world: np.ndarray | None = None,
    ) -> PoseSeries:
        """Build from normalized image landmarks (x, y in 0..1 of the frame).

        This is what MediaPipe (and many exporters) write: x, y as fractions of the
        frame width and height, z on the same scale as x, then visibility.
        """
        arr = _landmark_array(xyzv).copy()
        arr[..., 0] *= width
        arr[..., 1] *= height
        if arr.shape[2] >= 3:
            arr[..., 2] *= width
        return cls.from_arrays(arr, t_s, width, height, world)

    @classmethod
    def empty(cls, width: int, height: int) -> PoseSeries:
        return cls(np.zeros((0, N_LANDMARKS, 4), np.float32), np.zeros(0), width, height)

    # ---- views --------------------------------------------------------------------------
    @property
    def n_frames(self) -> int:
        return int(self.t_s.shape[0])

    @property
    def duration_s(self) -> float:
        """Time from the first to the last sample, in seconds (0 for < 2 frames)."""
        return float(self.t_s[-1] - self.t_s[0]) if self.n_frames > 1 else 0.0

    @property
    def present(self) -> np.ndarray:
        """bool (frames,): a pose was found in this frame."""
        return np.isfinite(self.xyzv[:, Landmark.LEFT_HIP, 0]) & np.isfinite(
            self.xyzv[:, Landmark.RIGHT_HIP, 0]
        )

    def xy(self, lm: Landmark | int) -> np.ndarray:
        """float (frames, 2): pixel position of one landmark; NaN where absent."""
        return self.xyzv[:, int(lm), :2]

    def visibility(self, lm: Landmark | int) -> np.ndarray:
        """float (frames,): visibility of one landmark; NaN where no pose."""
        return self.xyzv[:, int(lm), 3]

    def midpoint(self, a: Landmark, b: Landmark) -> np.ndarray:
        """float (frames, 2): midpoint of two landmarks in pixels."""
        return 0.5 * (self.xy(a) + self.xy(b))

    def take(self, index: np.ndarray | slice) -> PoseSeries:
        """A new series with only the selected frames (a slice or bool/int index)."""
        return PoseSeries(
            self.xyzv[index],
            self.t_s[index],
            self.width,
            self.height,
            self.world[index],
            self.frame_index[index],
            self.cuts_s,
        )

    def between(self, t0_s: float, t1_s: float) -> PoseSeries:
        """Frames with ``t0_s <= t < t1_s``."""
        return self.take((self.t_s >= t0_s) & (self.t_s < t1_s))

    def with_skipped_frames_absent(self) -> PoseSeries:
        """The same series with frames it skipped put back as absent (all NaN).

        A hole in ``frame_index`` (frames i+1 .. j-1 missing between two analysed
        frames i and j, e.g. the part a stopped pass never reached) becomes those
        frames with no pose, their timestamps spaced evenly between the two
        neighbours. Analysers then treat the hole as "nobody found" instead of
        measuring straight across time nobody looked at.
        """
        idx = self.frame_index
        if idx.size < 2:
            return self
        missing = np.diff(idx) - 1
        if not (missing > 0).any():
            return self
        full_idx = np.arange(idx[0], idx[-1] + 1, dtype=np.int64)
        at = idx - idx[0]
        t = np.interp(full_idx.astype(np.float64), idx.astype(np.float64), self.t_s)
        t[at] = self.t_s  # analysed frames keep their own timestamps exactly
        xyzv = np.full((full_idx.size, *self.xyzv.shape[1:]), np.nan, np.float32)
        world = np.full((full_idx.size, *self.world.shape[1:]), np.nan, np.float32)
        xyzv[at] = self.xyzv
        world[at] = self.world
        return PoseSeries(xyzv, t, self.width, self.height, world, full_idx, self.cuts_s)

    def mirrored(self) -> PoseSeries:
        """The same motion filmed in a mirror: x flipped and left/right swapped."""
        xyzv = self.xyzv[:, MIRROR_INDEX].copy()
        xyzv[..., 0] = self.width - xyzv[..., 0]
        world = self.world[:, MIRROR_INDEX].copy()
        world[..., 0] = -world[..., 0]
        return PoseSeries(
            xyzv, self.t_s, self.width, self.height, world, self.frame_index, self.cuts_s
        )

    def with_time(self, t_s: np.ndarray) -> PoseSeries:
        """The same landmarks on a new time base (e.g. the true slow-motion capture rate)."""
        return PoseSeries(self.xyzv, t_s, self.width, self.height, self.world, self.frame_index)

    # ---- persistence (landmark cache) ---------------------------------------------------
    def save_npz(self, path: Path) -> None:
        """Write to ``path`` (a .npz); see :func:`formcheck.io.atomic_write`."""
        from formcheck.io import atomic_write

        def write(tmp: Path) -> None:
            with open(tmp, "wb") as fh:
                np.savez_compressed(
                    fh,
                    xyzv=self.xyzv,
                    t_s=self.t_s,
                    world=self.world,
                    frame_index=self.frame_index,
                    size=np.array([self.width, self.height]),
                )

        atomic_write(path, write)

    @classmethod
    def load_npz(cls, path: Path) -> PoseSeries:
        with np.load(path) as z:
            w, h = (int(v) for v in z["size"])
            return cls(z["xyzv"], z["t_s"], w, h, z["world"], z["frame_index"])
