"""What a clip is, read before decoding: :class:`VideoInfo`, and when it was filmed
(:func:`recorded_time`, from the container's ``creation_time`` tag). Filled by
:func:`formcheck.video.reader.probe`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path


@dataclass(frozen=True, slots=True)
class VideoInfo:
    """Facts about a clip, read before decoding.

    width, height : upright frame size in pixels (after rotation metadata).
    fps_nominal : the container's average rate; only for display and
        progress, never for timing.
    duration_s : the container's stated duration; may be longer than what
        decodes (truncated files), None when unknown (streamed WebM).
    frame_count : packets found in the video stream, or None when unknown.
    rotation_deg : display rotation, counter-clockwise degrees (0, 90, 180, 270).
    vfr : True when more than 5 % of the packet intervals are more than 2 % off the
        median interval (a dropped frame or two leave a clip constant-rate).
    recorded_at : when the clip was filmed, UTC ISO 8601 ("...Z"), from the
        container's ``creation_time`` tag (phones write it); None when absent or
        implausible (see :func:`recorded_time`).
    """

    path: Path
    size_bytes: int
    width: int
    height: int
    fps_nominal: float
    duration_s: float | None
    frame_count: int | None
    rotation_deg: int
    vfr: bool
    codec: str
    container: str
    is_image: bool = False
    last_packet_s: float | None = None
    recorded_at: str | None = None


#: Creation times before this are placeholders, not a filming date: cameras and
#: tools without a clock write 1970-01-01 (Unix) or 1904-01-01 (QuickTime's zero).
EARLIEST_RECORDING_YEAR = 1990


def recorded_time(tags: Mapping[str, str]) -> str | None:
    """The ``creation_time`` tag of a container or stream as UTC ``YYYY-MM-DDTHH:MM:SSZ``.

    None when missing, unparseable, a clock-less placeholder (before
    :data:`EARLIEST_RECORDING_YEAR`) or more than a day in the future (a wrong clock).
    """
    raw = (tags.get("creation_time") or "").strip()
    if not raw:
        return None
    try:
        when = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:  # MP4 times are UTC by definition
        when = when.replace(tzinfo=UTC)
    when = when.astimezone(UTC)
    if when.year < EARLIEST_RECORDING_YEAR or when > datetime.now(UTC) + timedelta(days=1):
        return None
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")
