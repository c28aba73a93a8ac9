"""Colours and sizes of everything drawn on frames (and the report's plot colours).

Sizes scale with the frame: one *unit* is ``min(width, height) / 720`` so a
portrait 720x1280 phone clip and a landscape 1280x720 one get the same line
widths, a 480x360 clip gets about half (never thinner than 1 px, never text
smaller than :data:`MIN_FONT_PX`), and a 1920x1080 clip 1.5x.

Colours are BGR tuples (OpenCV order) for frames and ``#rrggbb`` strings for
the HTML report and matplotlib, from the same table so left and right look the
same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

#: Body side colours, RGB hex: left blue, right orange (colour-blind safe pair).
SIDE_HEX: dict[str, str] = {"left": "#2f7fd8", "right": "#f08a24", "centre": "#e8e8e8"}
#: Status colours, RGB hex: a finding's (ok / flag / not_measurable) and a judged
#: number's (good / watch / work_on, :mod:`formcheck.cues.judge`).
STATUS_HEX: dict[str, str] = {
    "ok": "#2e9d55",
    "flag": "#d43c3c",
    "not_measurable": "#8a8f98",
    "good": "#2e9d55",
    "watch": "#c77c0e",
    "work_on": "#d43c3c",
}
#: Contact / event marker colour (magenta: not used by anything else on the frame).
CONTACT_HEX = "#ff20e0"
#: Hip path colour (yellow).
PATH_HEX = "#ffd21f"
#: Angle arc colour (cyan).
ARC_HEX = "#29e0f0"

#: Smallest text height drawn on a frame, in pixels (about 9 pt on a phone).
MIN_FONT_PX = 12


def hex_to_bgr(h: str) -> tuple[int, int, int]:
    """``"#rrggbb"`` -> ``(b, g, r)`` ints for OpenCV."""
    h = h.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return (b, g, r)


def dim(bgr: tuple[int, int, int], factor: float = 0.55) -> tuple[int, int, int]:
    """A darker shade of a colour (the far side of the body)."""
    return tuple(round(c * factor) for c in bgr)  # type: ignore[return-value]


SIDE_BGR = {k: hex_to_bgr(v) for k, v in SIDE_HEX.items()}
STATUS_BGR = {k: hex_to_bgr(v) for k, v in STATUS_HEX.items()}
CONTACT_BGR = hex_to_bgr(CONTACT_HEX)
PATH_BGR = hex_to_bgr(PATH_HEX)
ARC_BGR = hex_to_bgr(ARC_HEX)
WHITE = (255, 255, 255)
BLACK = (0, 0, 0)


@dataclass(frozen=True, slots=True)
class Scale:
    """Pixel sizes for one frame size.

    unit : ``min(width, height) / 720``; line_px, joint_px : skeleton line
    thickness and joint radius; font_px, small_px, big_px : text heights
    (panel text, labels, cue banner); margin_px : gap from the frame edge.
    """

    width: int
    height: int
    unit: float
    line_px: int
    joint_px: int
    font_px: int
    small_px: int
    big_px: int
    margin_px: int

    @staticmethod
    def for_shape(height: int, width: int) -> Scale:
        return _scale(int(height), int(width))


@lru_cache(maxsize=32)
def _scale(height: int, width: int) -> Scale:
    unit = max(min(width, height), 1) / 720.0
    return Scale(
        width=width,
        height=height,
        unit=unit,
        line_px=max(1, round(3 * unit)),
        joint_px=max(2, round(5 * unit)),
        font_px=max(MIN_FONT_PX, round(24 * unit)),
        small_px=max(MIN_FONT_PX, round(20 * unit)),
        big_px=max(MIN_FONT_PX + 2, round(32 * unit)),
        margin_px=max(4, round(14 * unit)),
    )
