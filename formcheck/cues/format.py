"""The one number formatter: how many decimals a value is shown with, and its unit.

The CLI summary, the HTML report, the app's pages and the annotated video's
labels all format through here, so a metric reads the same everywhere (e.g.
overstride ``0.15 leg lengths``, cadence ``168.8 steps/min``, trunk lean
``4.6 deg``). The finding sentences in :mod:`formcheck.cues.words_running` and
:mod:`formcheck.cues.words_exercises` round inside the sentence, as spoken.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

from formcheck.results import Metric

#: Units of things counted: shown without decimals.
COUNT_UNITS = frozenset({"reps", "steps", "count", "contacts", "frames", "holds"})
#: Shown for a missing value.
MISSING = "n/a"


#: Units of lengths relative to the body, shown with 2 decimals whatever the size:
#: a hundredth of a leg length (about 9 mm) is already finer than a side-view camera
#: measures, so 0.0047 leg lengths reads as 0.00.
BODY_UNITS = frozenset({"leg lengths", "torso lengths"})


def decimals(value: float, unit: str) -> int:
    """Decimals shown: none for counts and ms, 2 for body-relative lengths, 2 for seconds
    (1 from 100 s), else 1 from 1 up and two significant digits below 1 (at least 2, at
    most 4 decimals)."""
    u = unit.strip()
    if u in COUNT_UNITS or u == "ms":
        return 0
    if u in BODY_UNITS:
        return 2
    if u == "s":
        return 2 if abs(value) < 100 else 1
    a = abs(value)
    if a >= 1:
        return 1
    if a == 0:
        return 2
    return int(min(4, max(2, 1 - math.floor(math.log10(a)))))


def fmt(value: float | None, unit: str, missing: str = MISSING, like: float | None = None) -> str:
    """The number alone: ``fmt(168.94, "steps/min") == "168.9"``; ``missing`` for None/NaN.

    like : format with the decimals of this value instead (a metric's spread is shown
        as precisely as the metric itself).
    """
    if value is None or not math.isfinite(value):
        return missing
    ref = value if like is None or not math.isfinite(like) else like
    return f"{value:.{decimals(ref, unit)}f}"


def fmt_signed(value: float | None, unit: str, missing: str = MISSING) -> str:
    """A change, with its sign: ``"+0.02"``, ``"-1.4"``."""
    text = fmt(value, unit, missing)
    return text if text == missing or text.startswith("-") else f"+{text}"


def unit_text(unit: str) -> str:
    """The unit as printed beside a number in the HTML and the app (``deg`` -> ``°``)."""
    return {"deg": "°", "pct": "%"}.get(unit, unit)


def fmt_value(value: float | None, unit: str, missing: str = MISSING, symbol: bool = False) -> str:
    """Number and unit: ``"168.9 steps/min"``; with ``symbol`` ``"4.6°"`` for degrees."""
    text = fmt(value, unit, missing)
    if text == missing or not unit:
        return text
    u = unit_text(unit) if symbol else unit
    return f"{text}{'' if u in ('°', '%') and symbol else ' '}{u}"


def fmt_shown(value: float, shown_unit: str) -> str:
    """A value with the unit as a label shows it (``"°"``, ``" leg lengths"``, as
    :func:`formcheck.render.angles.pretty_name` gives it): ``"4.6°"``, ``"0.15 leg lengths"``."""
    return f"{fmt(value, 'deg' if shown_unit == '°' else shown_unit.strip())}{shown_unit}"


def fmt_clock(seconds: float | None) -> str:
    """A running clock (a live hold time): whole seconds, ``0`` before it starts."""
    return f"{seconds or 0.0:.0f}"


def fmt_metric(m: Metric) -> str:
    """A metric in one line: ``'168.9 ±1.2 steps/min  (L 169.0 / R 168.8)'`` or
    ``'n/a (reason)'`` (the text summary's measurements)."""
    if m.value is None:
        return f"{MISSING} ({m.note})" if m.note else MISSING
    v = m.value
    s = fmt(v, m.unit)
    if m.spread is not None:
        s += f" ±{fmt(m.spread, m.unit, like=v)}"
    s += f" {m.unit}"
    if m.left is not None or m.right is not None:
        # each side by itself: for some metrics left and right are another quantity
        # (an asymmetry's per-side step times, a difference's per-side values)
        s += f"  (L {fmt(m.left, m.unit)} / R {fmt(m.right, m.unit)})"
    if m.confidence not in ("high", "", "validated"):  # validated: its ± is shown apart
        s += f"  [{m.confidence} confidence]"
    return s


def local_time(when: str | datetime | None) -> str:
    """A time (ISO 8601 text or a datetime) as this computer's local time, 24-hour:
    ``"2026-12-07 08:15"``; ``"-"`` when missing, the text itself when not a time.
    A time without a zone is taken as local (as the history store does)."""
    if when is None or when == "":
        return "-"
    if isinstance(when, str):
        try:
            when = datetime.fromisoformat(when)
        except ValueError:
            return when
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def fmt_ranges(ranges: Sequence[tuple[float, float]], most: int = 6) -> str:
    """Time ranges in seconds as read: ``"4.0-8.5 s, 10.0 s and 2 more"`` (a range
    shorter than 0.05 s as one time; at most ``most`` shown); ``""`` for none."""
    shown = ", ".join(
        f"{a:.1f} s" if abs(b - a) < 0.05 else f"{a:.1f}-{b:.1f} s" for a, b in ranges[:most]
    )
    more = f" and {len(ranges) - most} more" if len(ranges) > most else ""
    return shown + more
