"""What a :class:`formcheck.results.Metric` may carry besides its value: the
validated uncertainty at the clip's frame rate (:class:`Accuracy`) and the worst
sustained stretch past its flag (:class:`Stretch`), and the JSON-safe float both
write (:func:`json_num`). Ground floor: no imports from the rest of formcheck.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def json_num(x: float | None) -> float | None:
    """JSON-safe float: NaN/inf become None, values rounded to 6 significant places."""
    if x is None:
        return None
    x = float(x)
    if not math.isfinite(x):
        return None
    return float(f"{x:.6g}")


@dataclass(frozen=True, slots=True)
class Accuracy:
    """How closely a metric agreed with a lab reference in the validation, at one frame rate.

    Every figure is in the metric's unit and describes the clip-level value (the clip's
    median) against the lab's: ``bias`` is the mean of formcheck minus the reference,
    ``loa_low``/``loa_high`` the 95 % Bland-Altman limits of agreement (bias -/+ 1.96 SD),
    ``mae`` the mean absolute error, ``worst`` the difference largest in size (signed),
    over ``n`` clips filmed (simulated) at ``fps_validated`` frames per second.
    reference : what the truth came from ("force plates and motion capture").
    source : the data set's citation. noise : the landmark noise of the validation.
    """

    fps_validated: int
    n: int
    bias: float
    mae: float
    loa_low: float
    loa_high: float
    worst: float
    reference: str
    source: str
    noise: str = ""

    @property
    def plus_minus(self) -> float:
        """The half-width shown as "±": the larger limit of agreement, bias included."""
        return max(abs(self.loa_low), abs(self.loa_high))

    def to_dict(self) -> dict[str, object]:
        d: dict[str, object] = {
            "fps": self.fps_validated,
            "n": self.n,
            "bias": json_num(self.bias),
            "mae": json_num(self.mae),
            "loa_low": json_num(self.loa_low),
            "loa_high": json_num(self.loa_high),
            "worst": json_num(self.worst),
            "reference": self.reference,
            "source": self.source,
        }
        if self.noise:
            d["noise"] = self.noise
        return d

    @classmethod
    def from_dict(cls, d: dict[str, object]) -> Accuracy:
        """The inverse of :meth:`to_dict` (a report read back from its JSON)."""

        def f(key: str) -> float:
            x = d.get(key)
            return math.nan if x is None else float(x)  # type: ignore[arg-type]

        return cls(
            int(d["fps"]),  # type: ignore[call-overload]
            int(d.get("n", 0)),  # type: ignore[call-overload]
            f("bias"),
            f("mae"),
            f("loa_low"),
            f("loa_high"),
            f("worst"),
            str(d.get("reference", "")),
            str(d.get("source", "")),
            str(d.get("noise", "")),
        )


@dataclass(frozen=True, slots=True)
class Stretch:
    """The worst sustained stretch of a metric over time (posture, overstride, cadence).

    A stretch is judged on the median over a moving window (``window_s`` seconds), so a
    single step or a landmark glitch does not make one; the clip-wide median can hide
    a long one (a few seconds bent at the waist in a run held upright otherwise).

    value : the window median at the stretch's worst moment (the metric's unit).
    range_s : (start, end) of the worst stretch, seconds on the clip's clock: the run
        of windows past the flag around it, or the one window when none is past it.
    key_t_s : its worst moment (clip seconds); key_frame : that frame (None: no frames).
    ranges_s : every stretch whose window median stays past the flag, in time order
        (empty when none is).
    window_s : the window length.
    """

    value: float
    range_s: tuple[float, float]
    key_t_s: float
    window_s: float
    ranges_s: tuple[tuple[float, float], ...] = ()
    key_frame: int | None = None

    def to_dict(self) -> dict[str, object]:
        d: dict[str, object] = {
            "value": json_num(self.value),
            "range_s": [json_num(self.range_s[0]), json_num(self.range_s[1])],
            "key_t_s": json_num(self.key_t_s),
            "window_s": json_num(self.window_s),
            "ranges_s": [[json_num(a), json_num(b)] for a, b in self.ranges_s],
        }
        if self.key_frame is not None:
            d["key_frame"] = self.key_frame
        return d

    @classmethod
    def from_dict(cls, d: dict[str, object]) -> Stretch:
        """The inverse of :meth:`to_dict` (a report read back from its JSON)."""

        def f(x: object) -> float:
            return math.nan if x is None else float(x)  # type: ignore[arg-type]

        a, b = d["range_s"]  # type: ignore[misc]
        kf = d.get("key_frame")
        return cls(
            f(d["value"]),
            (f(a), f(b)),
            f(d["key_t_s"]),
            f(d["window_s"]),
            tuple((f(x), f(y)) for x, y in d.get("ranges_s", [])),  # type: ignore[attr-defined]
            None if kf is None else int(kf),  # type: ignore[call-overload]
        )
