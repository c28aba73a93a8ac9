"""Clips for the Review page: safe upload copies, the bundled sample, frame access.

No Streamlit here. Uploads are copied at once, in 1 MiB chunks, into a folder
of their own in ``<data folder>/uploads/``, under a sanitised form of the name
the user chose that can never leave that folder; a file over the size limit, or
one that is not a usable video, is deleted again and refused with the reason
(:class:`~formcheck.errors.VideoError`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import time
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import cv2
import numpy as np

from formcheck.errors import VideoError
from formcheck.io import atomic_write, private_mkdir
from formcheck.settings import data_dir
from formcheck.video.info import VideoInfo
from formcheck.video.keyframes import SAME_TIME_S, FrameIndex, read_frame_index, seek_before
from formcheck.video.orient import open_rotating, rotation_to_apply, turn_upright
from formcheck.video.reader import probe

#: What the uploader offers (the content is checked by probing, not by name).
UPLOAD_TYPES = ("mp4", "mov", "m4v", "webm", "mkv", "avi", "jpg", "jpeg", "png")

SAMPLE_NAME = "run_treadmill_male_side.mp4"


def _sample_clip() -> Path:
    """The bundled sample: in an installed wheel ``formcheck/samples/`` (copied there
    by the build, see setup.py), in a checkout ``sample_videos/``."""
    here = Path(__file__).resolve()
    packaged = here.parents[1] / "samples" / SAMPLE_NAME
    return packaged if packaged.is_file() else here.parents[2] / "sample_videos" / SAMPLE_NAME


SAMPLE_CLIP = _sample_clip()

CHUNK = 1 << 20


def uploads_dir() -> Path:
    return data_dir() / "uploads"


def reports_dir() -> Path:
    return data_dir() / "reports"


def safe_filename(name: str) -> str:
    """A file name with no folder part, no leading dot and only ``[A-Za-z0-9._-]``.

    >>> safe_filename("../../etc/passwd")
    'passwd'
    >>> safe_filename("C:\\\\Users\\\\me\\\\My Run (1).MOV")
    'My_Run_1.mov'
    """
    base = PurePosixPath(str(name).replace("\\", "/")).name
    stem, ext = os.path.splitext(base)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._-")[:60] or "clip"
    ext = ext.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,5}", ext):
        ext = ""
    return stem + ext


def store_upload(data: BinaryIO, name: str, max_bytes: int, folder: Path | None = None) -> Path:
    """Copy an uploaded file into the uploads folder and check it is a usable clip.

    Raises
    ------
    VideoError
        ``not_video`` (a type not in :data:`UPLOAD_TYPES`, nothing written),
        ``too_large`` (over ``max_bytes``), ``empty_file``, or any probe error
        (not a video, audio only, incomplete recording ...). The copy is removed.
    """
    safe = safe_filename(name)  # any name: a NUL byte, folders, unicode...
    ext = os.path.splitext(safe)[1].lstrip(".")
    if ext and ext not in UPLOAD_TYPES:  # FFmpeg guesses from it: a .txt "plays" as text art
        raise VideoError(
            f"{safe} is not a clip formcheck takes.",
            "Upload an MP4, MOV, M4V, WebM, MKV or AVI clip (a JPEG or PNG photo for a hold).",
            code="not_video",
        )
    folder = private_mkdir((folder or uploads_dir()).resolve())
    # Each upload in a folder of its own (made 0o700, never reused), so the file keeps
    # the name the user chose: every message, title and list can show it as it is.
    own = Path(tempfile.mkdtemp(prefix=f"{time.strftime('%Y%m%d-%H%M%S')}-", dir=folder))
    dest = (own / safe).resolve()
    if dest.parent != own.resolve():  # cannot happen after safe_filename; checked anyway
        own.rmdir()
        raise VideoError("That file name is not allowed.", "Rename the clip.", code="bad_name")
    size = 0

    def write(tmp: Path) -> None:
        nonlocal size
        with open(tmp, "wb") as out:
            while block := data.read(CHUNK):
                size += len(block)
                if size > max_bytes:
                    raise VideoError(
                        f"{safe_filename(name)} is larger than the {max_bytes // (1 << 20)} MB "
                        "upload limit.",
                        "Trim the clip to the part you want checked, or analyse it in a "
                        "terminal with `formcheck analyze FILE` (no size limit).",
                        code="too_large",
                    )
                out.write(block)

    try:
        atomic_write(dest, write)
        probe(dest)
    except BaseException:
        dest.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            own.rmdir()
        raise
    return dest


def output_dir_for(clip: Path) -> Path:
    """Where the app writes a clip's report, annotated video and key frames."""
    h = hashlib.sha256(str(Path(clip).resolve()).encode()).hexdigest()[:8]
    return reports_dir() / f"{safe_filename(Path(clip).stem)}-{h}"


class FrameSource:
    """Random access to a clip's decoded frames, upright, for scrubbing.

    Stepping forward reads on. A jump to a frame whose recorded time is known
    starts decoding at the key frame before that time (from the clip's packet
    times, :mod:`formcheck.video.keyframes`) and reads on to the frame with exactly
    that time: right on a variable-rate clip too, where a seek by frame number
    lands elsewhere. Without a time, or when that fails, it seeks by frame number
    and checks the time; if that landed elsewhere, it decodes from the start.
    ``frames_decoded`` counts the frames it has grabbed or read (what the jumps
    cost; a seek decodes up to one key frame interval more inside OpenCV).
    """

    def __init__(self, path: Path | str, info: VideoInfo | None = None) -> None:
        self.path = Path(path)
        self.info = info or probe(self.path)
        self._cap: cv2.VideoCapture | None = None
        self._pos = -1
        self._last: np.ndarray | None = None
        self._rotate: int | None = None
        self._auto_rotates = True
        self._index: FrameIndex | None = None
        self._index_read = False
        self.frames_decoded = 0

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None

    def _open(self) -> cv2.VideoCapture:
        self.close()
        cap, self._auto_rotates = open_rotating(self.path)
        if not cap.isOpened():
            raise VideoError(
                f"{self.path.name} can no longer be opened.",
                "It may have been moved or deleted; analyse it again.",
                code="clip_gone",
            )
        self._cap, self._pos = cap, -1
        return cap

    def _read(self) -> bool:
        assert self._cap is not None
        ok, img = self._cap.read()
        if not ok or img is None:
            return False
        self.frames_decoded += 1
        self._pos += 1
        self._last = img
        return True

    def _seek_time(self, index: int, t_s: float) -> bool:
        """Decode from the key frame before ``t_s`` to the frame shown at ``t_s``
        (which becomes frame ``index``); False if the clip has no usable index or
        no frame has exactly that time."""
        if not self._index_read:
            self._index, self._index_read = read_frame_index(self.path), True
        frames = self._index
        if frames is None or frames.rank(t_s) is None:
            return False
        cap = self._open()
        landed = seek_before(cap, frames, t_s)
        if landed is None:
            return False
        t = landed[0]
        self.frames_decoded += 1
        while t < t_s - SAME_TIME_S:  # read on to it
            if not cap.grab():
                return False
            self.frames_decoded += 1
            t = cap.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
        if abs(t - t_s) > SAME_TIME_S:
            return False  # no frame has exactly that time after all
        ok, img = cap.retrieve()
        if not ok or img is None:
            return False
        self._pos, self._last = index, img
        return True

    def _upright(self, img: np.ndarray) -> np.ndarray:
        """The frame turned as the analysis's reader turns it (the same decision)."""
        if self._rotate is None:
            self._rotate = rotation_to_apply(self.info, img.shape, self._auto_rotates)
        return turn_upright(img, self._rotate)

    def get(self, index: int, t_s: float | None = None) -> np.ndarray:
        """Decoded frame ``index`` (BGR, upright). ``t_s`` = its recorded time, to check a seek."""
        if self.info.is_image:
            img = cv2.imread(str(self.path), cv2.IMREAD_COLOR)
            if img is None:
                raise VideoError(f"{self.path.name} cannot be read.", "", code="clip_gone")
            return img
        index = max(0, int(index))
        jump = self._cap is None or index < self._pos or index > self._pos + 48
        if jump and t_s is not None and self._seek_time(index, t_s):
            return self._upright(self._last)  # type: ignore[arg-type]
        if jump:
            cap = self._cap or self._open()
            if index > 0:
                cap.set(cv2.CAP_PROP_POS_FRAMES, index)
                self._pos = index - 1
            else:
                self._open()
        if index == self._pos and self._last is not None:
            return self._upright(self._last)
        while self._pos < index:
            if not self._read():
                break
        if t_s is not None and self._cap is not None and self._pos == index:
            got = self._cap.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
            tol = 0.5 / max(self.info.fps_nominal, 1.0)
            if abs(got - t_s) > tol:  # the seek missed: decode from the start
                self._open()
                while self._pos < index and self._read():
                    pass
        if self._last is None:
            raise VideoError(
                f"Frame {index} of {self.path.name} could not be decoded.",
                "Step to another frame.",
                code="frame_unreadable",
            )
        return self._upright(self._last)
