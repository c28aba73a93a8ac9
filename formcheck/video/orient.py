"""Turning decoded frames upright: the file's rotation metadata, applied once.

OpenCV may or may not apply the metadata itself (its default changed between
versions), so the capture is asked to, and the decoded shape is checked against
the metadata before turning a frame ourselves (``shared/docs/pitfalls.md``).
Rotations are counter-clockwise degrees (0, 90, 180, 270).
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from formcheck.video.info import VideoInfo

_ROTATE_CCW = {
    90: cv2.ROTATE_90_COUNTERCLOCKWISE,
    180: cv2.ROTATE_180,
    270: cv2.ROTATE_90_CLOCKWISE,
}


def open_rotating(path: Path | str) -> tuple[cv2.VideoCapture, bool]:
    """An FFmpeg capture of ``path`` asked to apply the file's rotation metadata, and
    whether it says it does. The flag is set explicitly because its default changed
    between OpenCV versions (opencv/opencv#26795); :func:`rotation_to_apply` checks
    the decoded shape against the metadata. The capture may not be open: the caller
    says what that means for it."""
    cap = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
    return cap, cap.get(cv2.CAP_PROP_ORIENTATION_AUTO) == 1


def rotation_to_apply(info: VideoInfo, shape: tuple[int, ...], auto_rotates: bool = True) -> int:
    """Rotation (counter-clockwise degrees) still to apply to a frame OpenCV decoded
    with ``shape`` (height, width, ...) from a clip described by ``info``.

    A quarter turn shows in the shape (unless the frame is square); a half turn does
    not, so for 180 degrees and for square frames the back-end's own report
    (``auto_rotates``: ``CAP_PROP_ORIENTATION_AUTO`` read back, from
    :func:`open_rotating`) decides.
    """
    if shape[0] == info.height and shape[1] == info.width:
        invisible = info.rotation_deg == 180 or info.width == info.height
        if info.rotation_deg and invisible and not auto_rotates:
            return info.rotation_deg  # turned, and the back-end does not rotate
        return 0  # OpenCV applied the metadata (or there was none)
    if info.rotation_deg in (90, 270) and shape[0] == info.width and shape[1] == info.height:
        return info.rotation_deg  # back-end ignored the flag: rotate ourselves
    return 0


def turn_upright(image: np.ndarray, rotation: int) -> np.ndarray:
    """``image`` turned by ``rotation`` (from :func:`rotation_to_apply`; 0 = as is)."""
    return cv2.rotate(image, _ROTATE_CCW[rotation]) if rotation else image
