"""Variant and bad input files for tests, made with ffmpeg / OpenCV in a temp folder.

Every file here is made by the tests themselves from the treadmill side-view
clip in ``../shared/clips`` (or from nothing: black video, text, audio), so no
test input is committed. ``Media`` memoises each file for the session: the
first test that asks for ``media.get("rot90")`` makes it, later tests reuse it.

ffmpeg comes from Debian (``scripts/install.sh --test`` installs it on CI).
The files are small (360x640, 1-12 s) so that the pose model runs on them in a
few seconds.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np

from tests.conftest import clip_path

SOURCE_CLIP = "run_treadmill_male_side.mp4"
#: Variant size: the treadmill clip (720x1280 portrait) halved.
W, H = 360, 640


def ffmpeg_bin() -> str:
    exe = shutil.which("ffmpeg")
    if exe is None:
        raise RuntimeError("ffmpeg is missing: run `bash scripts/install.sh --test`")
    return exe


def ffprobe_bin() -> str:
    exe = shutil.which("ffprobe")
    if exe is None:
        raise RuntimeError("ffprobe is missing: run `bash scripts/install.sh --test`")
    return exe


def ffmpeg(*args: str | Path, stdout: object = None) -> None:
    """Run ffmpeg quietly; raise with its stderr when it fails."""
    cmd = [ffmpeg_bin(), "-nostdin", "-v", "error", "-y", *map(str, args)]
    res = subprocess.run(cmd, stdout=stdout or subprocess.PIPE, stderr=subprocess.PIPE)
    if res.returncode != 0:
        raise RuntimeError(f"ffmpeg failed: {' '.join(cmd)}\n{res.stderr.decode()[-2000:]}")


def packet_pts_s(path: Path) -> np.ndarray:
    """Sorted presentation times (s) of the video packets, as ffprobe reads them."""
    out = subprocess.run(
        [
            ffprobe_bin(),
            "-v",
            "error",
            "-select_streams",
            "v:0",
            "-show_entries",
            "packet=pts_time",
            "-of",
            "csv=p=0",
            str(path),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return np.sort(np.array([float(v) for v in out.split() if v.strip() not in ("", "N/A")]))


def ffprobe_rotation(path: Path) -> int:
    """Display rotation ffprobe reports (degrees, counter-clockwise), 0 if none."""
    out = subprocess.run(
        [
            ffprobe_bin(),
            "-v",
            "error",
            "-select_streams",
            "v:0",
            "-show_entries",
            "stream_side_data=rotation",
            "-of",
            "csv=p=0",
            str(path),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    vals = [int(float(v)) for v in out.replace(",", " ").split() if v.strip()]
    return vals[0] % 360 if vals else 0


_X264 = ("-c:v", "libx264", "-preset", "ultrafast", "-crf", "20", "-pix_fmt", "yuv420p")


class Media:
    """Session cache of made files: ``get(name)`` makes the file on first use."""

    _instances: dict[Path, Media] = {}  # noqa: RUF012 (one per session temp folder)

    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        self._made: dict[str, Path] = {}

    @classmethod
    def for_session(cls, base: Path) -> Media:
        root = base / "media"
        if root not in cls._instances:
            cls._instances[root] = cls(root)
        return cls._instances[root]

    # -- sources ------------------------------------------------------------------------
    @property
    def source(self) -> Path:
        return clip_path(SOURCE_CLIP)

    def get(self, name: str) -> Path:
        if name not in self._made:
            maker: Callable[[Path], None] = getattr(self, f"_make_{name}")
            suffix = {
                "text_as_mp4": ".mp4",
                "empty": ".mp4",
                "audio_only": ".m4a",
                "audio_only_mp4": ".mp4",
                "jpeg": ".jpg",
                "png": ".png",
                "jpeg_as_mp4": ".mp4",
                "png_as_mp4": ".mp4",
                "webm_streamed": ".webm",
                "iphone_hevc_rot90": ".MOV",
                "prores": ".mov",
                "dup_pts": ".mkv",
            }.get(name, ".mp4")
            out = self.root / f"{name}{suffix}"
            maker(out)
            self._made[name] = out
        return self._made[name]

    # -- video variants of the treadmill clip ---------------------------------------------
    def _cut(self, out: Path, start_s: float, dur_s: float, *extra: str) -> None:
        ffmpeg(
            "-ss", f"{start_s}", "-i", self.source, "-t", f"{dur_s}", "-an",
            "-vf", f"scale={W}:{H}", *_X264, *extra, out,
        )  # fmt: skip

    def _make_upright(self, out: Path) -> None:
        """3 s, 360x640 portrait, stored upright, no rotation metadata."""
        self._cut(out, 0, 3, "-movflags", "+faststart")

    def _make_upright_b(self, out: Path) -> None:
        """Like "upright" but its own bytes (crf 21): a clip no other test has cached."""
        ffmpeg(
            "-i", self.source, "-t", "3", "-an", "-vf", f"scale={W}:{H}",
            "-c:v", "libx264", "-preset", "ultrafast", "-crf", "21", "-pix_fmt", "yuv420p", out,
        )  # fmt: skip

    def _make_full12(self, out: Path) -> None:
        """The whole 12 s clip at 360x640, index (moov) at the front."""
        self._cut(out, 0, 12, "-movflags", "+faststart")

    def _make_full12_moov_last(self, out: Path) -> None:
        """The whole 12 s clip at 360x640, index (moov) at the end, as cameras write it."""
        self._cut(out, 0, 12)

    def _make_six(self, out: Path) -> None:
        """6 s at 360x640 (source for the mid-file damage)."""
        self._cut(out, 0, 6, "-movflags", "+faststart")

    def _make_short(self, out: Path) -> None:
        """1.0 s of running: too short for a run analysis (needs 2.5 s)."""
        self._cut(out, 0, 1.0)

    def _rotated(self, out: Path, transpose: str, rotate: int) -> None:
        """The upright clip stored turned, with display rotation metadata undoing it."""
        stored = out.with_suffix(".stored.mp4")
        ffmpeg("-i", self.get("upright"), "-vf", transpose, *_X264, stored)
        ffmpeg("-i", stored, "-c", "copy", "-metadata:s:v:0", f"rotate={rotate}", out)

    def _make_rot90(self, out: Path) -> None:
        """Stored landscape (turned clockwise), tagged to display upright (phone style)."""
        self._rotated(out, "transpose=1", 90)

    def _make_rot180(self, out: Path) -> None:
        """Stored upside down, tagged rotate=180."""
        self._rotated(out, "transpose=1,transpose=1", 180)

    def _make_iphone_hevc_rot90(self, out: Path) -> None:
        """HEVC in a QuickTime .MOV, stored landscape with rotation metadata (as iPhones)."""
        stored = out.with_suffix(".stored.mov")
        ffmpeg(
            "-i", self.get("upright"), "-vf", "transpose=1", "-c:v", "libx265",
            "-preset", "ultrafast", "-crf", "20", "-x265-params", "log-level=error",
            "-tag:v", "hvc1", "-pix_fmt", "yuv420p", stored,
        )  # fmt: skip
        ffmpeg("-i", stored, "-c", "copy", "-tag:v", "hvc1", "-metadata:s:v:0", "rotate=90", out)

    def _make_prores(self, out: Path) -> None:
        """Apple ProRes 422 in .mov (editing exports)."""
        ffmpeg("-i", self.get("upright"), "-c:v", "prores_ks", "-profile:v", "2", out)

    def _variable_rate(self, src: Path, out: Path, *extra: str) -> None:
        """``src`` re-timed: 45 frames at 30 fps, then the rest at 20 fps (1/600 s ticks)."""
        ffmpeg(
            "-i", src,
            "-vf", "settb=1/600,setpts='if(lt(N,45),N/30,1.5+(N-45)/20)/TB'",
            "-fps_mode", "vfr", "-enc_time_base", "1/600", "-video_track_timescale", "600",
            *_X264, *extra, out,
        )  # fmt: skip

    def _make_vfr(self, out: Path) -> None:
        """Variable frame rate, 3 s of source (see ``_variable_rate``)."""
        self._variable_rate(self.get("upright"), out)

    def _make_dup_pts(self, out: Path) -> None:
        """Matroska whose frames come in pairs with the same timestamp (a broken muxer)."""
        ffmpeg(
            "-i", self.get("upright"), "-vf", "setpts='floor(N/2)*2/30/TB'",
            "-fps_mode", "passthrough", "-bf", "0", *_X264, out,
        )  # fmt: skip

    # -- short key frame intervals, as phones write (a key frame every 0.5-1 s) ----------
    def _make_gop15(self, out: Path) -> None:
        """The whole 12 s clip at 360x640 with a key frame every 15 frames and B-frames."""
        ffmpeg(
            "-i", self.source, "-an", "-vf", f"scale={W}:{H}", "-c:v", "libx264",
            "-preset", "veryfast", "-crf", "23", "-g", "15", "-bf", "2",
            "-pix_fmt", "yuv420p", out,
        )  # fmt: skip

    def _make_gop15_offset(self, out: Path) -> None:
        """Like "gop15" but its first frame is shown at 3.2 s (a muxer's start offset)."""
        ffmpeg("-i", self.get("gop15"), "-c", "copy", "-output_ts_offset", "3.2", out)

    def _make_gop15_vfr(self, out: Path) -> None:
        """Variable rate (as "vfr", 12 s of source) with a key frame every 15 frames."""
        self._variable_rate(self.get("full12"), out, "-g", "15")

    def _make_gop15_damaged(self, out: Path) -> None:
        """ "gop15" with bytes zeroed at a quarter of the file (frames lost near 3-4.5 s)."""
        _zero_bytes(self.get("gop15"), out, at=0.25)

    def _make_hi120(self, out: Path) -> None:
        """120 fps (frames repeated 4x), 3 s."""
        ffmpeg("-i", self.get("upright"), "-vf", "fps=120", *_X264, out)

    def _make_slowmo(self, out: Path) -> None:
        """A 120 fps capture played back at 30 fps (how phones export slow motion): 4x longer."""
        ffmpeg("-i", self.get("hi120"), "-vf", "setpts=4*PTS", "-r", "30", *_X264, out)

    def _make_webm_streamed(self, out: Path) -> None:
        """VP9 WebM written to a pipe (as browsers record): no cues, no duration."""
        with open(out, "wb") as fh:
            ffmpeg(
                "-i", self.get("upright"), "-c:v", "libvpx-vp9", "-deadline", "realtime",
                "-cpu-used", "8", "-b:v", "600k", "-f", "webm", "pipe:1", stdout=fh,
            )  # fmt: skip

    def _make_black(self, out: Path) -> None:
        """3 s of black at 30 fps: nobody, and dark."""
        ffmpeg("-f", "lavfi", "-i", f"color=c=black:s={W}x{H}:r=30:d=3", *_X264, out)

    def _make_blurred(self, out: Path) -> None:
        """The runner blurred to nothing (a lens-cap-off-but-smeared picture), 3 s."""
        ffmpeg("-i", self.get("upright"), "-vf", "gblur=sigma=60:steps=3", *_X264, out)

    # -- damaged files --------------------------------------------------------------------
    def _make_truncated_faststart(self, out: Path) -> None:
        """Index at the front says 12 s; only the first ~30 % of the bytes are there."""
        data = self.get("full12").read_bytes()
        out.write_bytes(data[: int(len(data) * 0.3)])

    def _make_truncated_moov_last(self, out: Path) -> None:
        """Recording cut off before its index (moov at the end) was written."""
        data = self.get("full12_moov_last").read_bytes()
        out.write_bytes(data[: int(len(data) * 0.6)])

    def _make_mid_damage(self, out: Path) -> None:
        """Bytes zeroed around the middle of a 6 s clip (a bad sector, a broken copy)."""
        _zero_bytes(self.get("six"), out, at=0.45)

    # -- not videos -----------------------------------------------------------------------
    def _make_empty(self, out: Path) -> None:
        out.write_bytes(b"")

    def _make_text_as_mp4(self, out: Path) -> None:
        out.write_text("These are my training notes, not a video.\n" * 20)

    def _make_audio_only(self, out: Path) -> None:
        ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=3", "-c:a", "aac", out)

    def _make_audio_only_mp4(self, out: Path) -> None:
        ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=3", "-c:a", "aac", out)

    def _still(self, out: Path) -> None:
        ffmpeg("-ss", "1", "-i", self.get("upright"), "-frames:v", "1", out)

    def _make_jpeg(self, out: Path) -> None:
        self._still(out)

    def _make_png(self, out: Path) -> None:
        self._still(out)

    def _make_jpeg_as_mp4(self, out: Path) -> None:
        shutil.copyfile(self.get("jpeg"), out)

    def _make_png_as_mp4(self, out: Path) -> None:
        shutil.copyfile(self.get("png"), out)


def _zero_bytes(src: Path, out: Path, at: float) -> None:
    """``src`` with a twelfth of its bytes (at least 20 kB) zeroed from ``at`` (0-1) on."""
    data = bytearray(src.read_bytes())
    n = len(data)
    start, length = int(n * at), max(20_000, n // 12)
    data[start : start + length] = bytes(length)
    out.write_bytes(bytes(data))


def mean_abs_diff(a: np.ndarray, b: np.ndarray) -> float:
    """Mean absolute difference of two uint8 images of the same shape (0-255)."""
    assert a.shape == b.shape, f"shapes differ: {a.shape} vs {b.shape}"
    return float(np.mean(np.abs(a.astype(np.int16) - b.astype(np.int16))))
