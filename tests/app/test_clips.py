"""Uploads: copied at once under a safe name inside the data folder, bad ones refused."""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck.errors import VideoError
from formcheck.ui.clips import FrameSource, safe_filename, store_upload


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\evil.MOV", "evil.mov"),
        ("/abs/path/run.mp4", "run.mp4"),
        (".hidden.mp4", "hidden.mp4"),
        ("My Run (1).MP4", "My_Run_1.mp4"),
        ("", "clip"),
        ("..", "clip"),
        ("a" * 300 + ".mp4", "a" * 60 + ".mp4"),
        ("x.verylongext", "x"),
        ("café run.mov", "caf_run.mov"),
    ],
)
def test_safe_filename(name: str, expected: str) -> None:
    assert safe_filename(name) == expected


def _clip(path: Path, n: int = 12) -> Path:
    w = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 24.0, (64, 48))
    for i in range(n):
        w.write(np.full((48, 64, 3), (6 * i) % 250, np.uint8))
    w.release()
    return path


def test_upload_stays_inside_the_folder(tmp_path: Path) -> None:
    src = _clip(tmp_path / "src.mp4")
    folder = tmp_path / "uploads"
    out = store_upload(io.BytesIO(src.read_bytes()), "../../../../tmp/x/../run.mp4", 10**8, folder)
    # a folder of its own inside the uploads folder; the name the user chose, kept
    assert out.parent.parent == folder.resolve() and out.parent.stat().st_mode & 0o777 == 0o700
    assert out.name == "run.mp4"
    assert out.read_bytes() == src.read_bytes()


def test_two_uploads_with_one_name_both_kept(tmp_path: Path) -> None:
    src = _clip(tmp_path / "src.mp4")
    folder = tmp_path / "uploads"
    a = store_upload(io.BytesIO(src.read_bytes()), "IMG_0001.MOV", 10**8, folder)
    b = store_upload(io.BytesIO(src.read_bytes()[:-1] + b"\0"), "IMG_0001.MOV", 10**8, folder)
    assert a != b and a.name == b.name == "IMG_0001.mov"
    assert a.read_bytes() == src.read_bytes()


def test_upload_over_the_limit_is_refused_and_removed(tmp_path: Path) -> None:
    src = _clip(tmp_path / "src.mp4")
    folder = tmp_path / "uploads"
    with pytest.raises(VideoError) as err:
        store_upload(io.BytesIO(src.read_bytes()), "run.mp4", 100, folder)
    assert err.value.code == "too_large" and "upload limit" in err.value.message
    assert "formcheck analyze" in err.value.hint
    assert list(folder.iterdir()) == []  # nothing half-written left behind


def test_upload_not_a_video_is_refused_with_the_reason(tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    with pytest.raises(VideoError) as err:
        store_upload(io.BytesIO(b"hello, not a video" * 100), "run.mp4", 10**8, folder)
    assert err.value.code == "not_video"
    assert list(folder.iterdir()) == []


def test_upload_empty_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    with pytest.raises(VideoError) as err:
        store_upload(io.BytesIO(b""), "run.mp4", 10**8, folder)
    assert err.value.code == "empty_file"
    assert list(folder.iterdir()) == []


def test_frame_source_random_access_matches_sequential(tmp_path: Path) -> None:
    clip = _clip(tmp_path / "c.mp4", n=40)
    cap = cv2.VideoCapture(str(clip))
    seq = []
    while True:
        ok, img = cap.read()
        if not ok:
            break
        seq.append(img)
    cap.release()
    src = FrameSource(clip)
    for i in (0, 1, 2, 30, 5, 39, 38, 10):
        assert np.array_equal(src.get(i, i / 24.0), seq[i]), i
    src.close()


@pytest.mark.clips
def test_jumps_on_a_variable_rate_clip_start_at_the_key_frame_before(tmp_path_factory) -> None:
    """Frame-by-frame review of a variable-rate phone-like clip (a key frame every 15
    frames): every jump shows the frame the analysis recorded (the same picture as a
    full read), and costs at most a key frame interval of decoding, not a decode from
    the clip's start (which a seek by frame number needs on such a clip)."""
    from formcheck.video.reader import VideoReader, probe
    from tests.fixtures.media import Media

    path = Media.for_session(tmp_path_factory.getbasetemp()).get("gop15_vfr")
    jumps = [300, 50, 200, 120, 121, 330, 7]
    ref = {
        f.index: (f.t_s, f.image)
        for f in VideoReader(path, probe(path), only=set(jumps).__contains__)
    }
    src = FrameSource(path)
    for i in jumps:
        before = src.frames_decoded
        t_s, img = ref[i]
        assert np.array_equal(src.get(i, t_s), img), i
        assert src.frames_decoded - before <= 16, i  # from the key frame before, at most
    src.close()
