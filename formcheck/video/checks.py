"""The checks on an input path before anything is decoded: a clear error for each way a
path can fail to be a readable video file (a link, missing, a folder, a pipe or device,
empty, no permission to read).
"""

from __future__ import annotations

import re
from pathlib import Path

from formcheck.errors import VideoError

#: ``https://...``, ``rtsp://...``: a scheme of two or more letters then ``:/``
#: (a Windows drive, ``C:/``, has one letter). ``Path`` folds ``//`` into ``/``.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:/")


def looks_like_link(text: str) -> bool:
    """``text`` is a web or stream address rather than a file path."""
    return bool(_URL.match(text))


def check_path(path: Path) -> int:
    """The size of ``path`` in bytes, once it is a non-empty regular file.

    Raises
    ------
    VideoError
        With ``code`` one of ``is_link``, ``missing_file``, ``is_folder``,
        ``not_regular_file``, ``empty_file``.
    """
    if not path.exists():
        if looks_like_link(str(path)):
            link = re.sub(r"^([^:/]+:)/(?!/)", r"\1//", str(path))  # Path folded the //
            raise VideoError(
                f"{link} is a link; formcheck reads video files, not links.",
                "Download the video first, then pass the downloaded file "
                "(e.g. formcheck analyze myrun.mp4).",
                code="is_link",
            )
        raise VideoError(
            f"No file at {path}.", "Check the path and try again.", code="missing_file"
        )
    if path.is_dir():
        raise VideoError(
            f"{path} is a folder, not a video file.",
            "Pass one clip (formcheck analyze myrun.mp4), or analyse every clip in the "
            "folder with formcheck batch.",
            code="is_folder",
        )
    if not path.is_file():
        raise VideoError(
            f"{path.name} is not a regular file (a pipe, device or socket); "
            "formcheck reads video files.",
            "Save the video to a file first, then pass that file.",
            code="not_regular_file",
        )
    size = path.stat().st_size
    if size == 0:
        raise VideoError(
            f"{path.name} is empty (0 bytes).",
            "The recording did not save; record it again or pick another file.",
            code="empty_file",
        )
    return size


def unreadable(path: Path) -> VideoError:
    """The error for a file formcheck is not allowed to read."""
    return VideoError(
        f"Cannot read {path}: you do not have permission to read this file.",
        f"Make it readable (chmod u+r '{path}') or copy it to a folder you own, then try again.",
        code="unreadable_file",
    )


def read_head(path: Path, n: int = 64) -> bytes:
    """The first ``n`` bytes of ``path``; a clear error when it cannot be read."""
    try:
        with open(path, "rb") as fh:
            return fh.read(n)
    except PermissionError as exc:
        raise unreadable(path) from exc
