"""Unusable and damaged input: a typed error with a one-line message, or a report that
says what was wrong, and never a traceback. Every file is made here (tests/fixtures/media.py).

For each unusable input the test checks the exception type, its ``code``, that
the message says what is wrong *and* what to do, and the CLI: exit code 1 and
exactly one line on stderr. For damaged-but-usable input it checks that what
decodes is analysed and that the report says where the damage or the end is.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import formcheck
from formcheck.errors import (
    FormcheckError,
    NoPersonError,
    VideoError,
    WrongSetupError,
)
from formcheck.pipeline.landmarks import estimate_landmarks
from formcheck.video import probe
from tests.fixtures.media import Media

pytestmark = pytest.mark.clips  # most inputs are made from a shared clip


def formcheck_cmd() -> list[str]:
    """The installed console script, or the module when running from a bare checkout."""
    script = Path(sys.executable).parent / "formcheck"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "formcheck.cli"]


def run_cli(tmp_path: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    out = tmp_path / "out"
    return subprocess.run(
        [*formcheck_cmd(), "analyze", *map(str, args), "--no-save", "--no-video", "--out", out],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=dict(os.environ),  # FORMCHECK_HOME: the session's landmark cache
        timeout=300,
    )


def assert_one_clear_line(err: FormcheckError, *must_say: str) -> None:
    """The message is one line, says what is wrong (``must_say``) and what to do (hint)."""
    text = str(err)
    assert "\n" not in text, text
    assert err.message and err.hint, f"needs both what and what-to-do: {text!r}"
    assert err.hint in text
    low = text.lower()
    for words in must_say:
        assert words.lower() in low, f"{words!r} not in {text!r}"
    assert len(text) < 400


def assert_cli_fails_cleanly(res: subprocess.CompletedProcess[str], *must_say: str) -> str:
    assert res.returncode == 1, (res.returncode, res.stderr[-2000:])
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, f"expected one line on stderr, got:\n{res.stderr}"
    assert "Traceback" not in res.stderr
    line = lines[0]
    for words in must_say:
        assert words.lower() in line.lower(), f"{words!r} not in {line!r}"
    return line


# ---------------------------------------------------------------------------------------
# files that are not usable videos: refused before any decoding
def _folder(media: Media, tmp: Path) -> Path:
    d = tmp / "my_runs.mp4"  # even with a video-like name
    d.mkdir()
    return d


def _random_bytes(media: Media, tmp: Path) -> Path:
    p = tmp / "clip.mov"
    p.write_bytes(np.random.default_rng(0).integers(0, 256, 50_000, dtype=np.uint8).tobytes())
    return p


UNUSABLE = [
    # (case, how to make it, code, words the message must contain)
    ("missing", lambda m, t: t / "no_such_run.mp4", "missing_file", ("no file", "path")),
    ("folder", _folder, "is_folder", ("folder",)),
    ("empty", lambda m, t: m.get("empty"), "empty_file", ("empty", "0 bytes")),
    ("text_as_mp4", lambda m, t: m.get("text_as_mp4"), "not_video", ("not a video",)),
    ("random_bytes", _random_bytes, "not_video", ("not a video",)),
    ("audio_m4a", lambda m, t: m.get("audio_only"), "no_video_stream", ("audio", "no picture")),
    ("audio_mp4", lambda m, t: m.get("audio_only_mp4"), "no_video_stream", ("audio",)),
    (
        "cut_before_index",
        lambda m, t: m.get("truncated_moov_last"),
        "incomplete_recording",
        ("incomplete", "cut off"),
    ),
]


@pytest.mark.parametrize(("case", "make", "code", "words"), UNUSABLE, ids=[u[0] for u in UNUSABLE])
def test_unusable_input_refused(
    media: Media, tmp_path: Path, case: str, make: object, code: str, words: tuple[str, ...]
) -> None:
    path: Path = make(media, tmp_path)  # type: ignore[operator]
    with pytest.raises(VideoError) as exc:
        probe(path)
    assert exc.value.code == code
    assert_one_clear_line(exc.value, *words)
    if case != "missing":
        assert path.name in str(exc.value), "say which file"
    # the Python API refuses it the same way
    with pytest.raises(VideoError) as exc2:
        formcheck.analyze(path)
    assert exc2.value.code == code


def test_unusable_input_cli_exit_1_one_line(tmp_path: Path) -> None:
    """`formcheck analyze BAD` -> exit 1, exactly one line on stderr, no traceback."""
    line = assert_cli_fails_cleanly(run_cli(tmp_path, tmp_path / "no_such_run.mp4"), "no file")
    assert "no_such_run.mp4" in line


@pytest.mark.parametrize("jobs", [1, 2])
def test_unusable_inputs_cli_batch_one_line_each(media: Media, tmp_path: Path, jobs: int) -> None:
    """All the unusable files in one CLI run (one start-up): every file is tried, each
    gets its own single line naming it, in the order given, the exit code is 1; the
    same with the clips shared between two processes (--jobs 2)."""
    paths = []
    for case, make, _code, _words in UNUSABLE:
        sub = tmp_path / case
        sub.mkdir()
        paths.append(make(media, sub))  # type: ignore[operator]
    res = run_cli(tmp_path, *paths, "--jobs", str(jobs))
    assert res.returncode == 1, res.stderr[-2000:]
    assert "Traceback" not in res.stderr
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == len(paths), res.stderr
    for path, line, (case, _make, _code, words) in zip(paths, lines, UNUSABLE, strict=True):
        assert path.name in line, (case, line)
        for w in words:
            assert w.lower() in line.lower(), (case, w, line)


# ---------------------------------------------------------------------------------------
# decodes, but cannot be analysed
def test_too_short(media: Media, tmp_path: Path) -> None:
    path = media.get("short")  # 1.0 s of running
    with pytest.raises(VideoError) as exc:
        formcheck.analyze(path, activity="run")
    assert exc.value.code == "too_short"
    assert_one_clear_line(exc.value, "too short", "1.0 s", "2.5 s", "longer")
    assert_cli_fails_cleanly(run_cli(tmp_path, path, "--activity", "run"), "too short")


def test_nobody_in_a_dark_clip(media: Media, tmp_path: Path) -> None:
    path = media.get("black")
    info = probe(path)
    with pytest.raises(NoPersonError) as exc:
        formcheck.analyze(path)
    assert exc.value.code == "no_person"
    assert_one_clear_line(exc.value, f"{info.frame_count} frame", "dark", "light")
    assert_cli_fails_cleanly(run_cli(tmp_path, path), "no person", "dark")


def test_nobody_in_a_blurred_clip(media: Media) -> None:
    """Blurred to nothing but bright: says how many frames were checked, not 'dark'."""
    path = media.get("blurred")
    with pytest.raises(NoPersonError) as exc:
        formcheck.analyze(path)
    assert exc.value.code == "no_person"
    assert_one_clear_line(exc.value, "90 frame")
    assert "dark" not in str(exc.value)


@pytest.mark.parametrize("name", ["jpeg", "png", "jpeg_as_mp4", "png_as_mp4"])
def test_photo_refused_for_running(media: Media, tmp_path: Path, name: str) -> None:
    path = media.get(name)
    assert probe(path).is_image
    with pytest.raises(WrongSetupError) as exc:
        formcheck.analyze(path, activity="run")
    assert exc.value.code == "still_image"
    assert_one_clear_line(exc.value, "photo", "video", "running needs a video")
    if name == "jpeg_as_mp4":
        assert_cli_fails_cleanly(run_cli(tmp_path, path, "--activity", "run"), "photo")


def test_photo_is_one_frame_for_holds(media: Media) -> None:
    """Accepted as one frame (the plank analyzer, a later issue, judges it)."""
    series, log, pose = estimate_landmarks(media.get("jpeg_as_mp4"))
    assert series.n_frames == 1 and series.t_s.tolist() == [0.0]
    assert series.present.all(), "the runner is in the photo"
    assert (series.width, series.height) == (360, 640)
    assert log.decode.frames == 1 and pose.frames_with_pose == 1


def test_photo_accepted_for_a_plank_hold(media: Media) -> None:
    """A photo renamed .mp4 is analysed as one frame for a hold (no error)."""
    report = formcheck.analyze(media.get("jpeg_as_mp4"), activity="plank")
    assert report.activity == "plank"
    assert report.source.is_image and report.source.kind == "image"
    assert report.pose.frames_total == 1 and report.pose.frames_with_pose == 1


# ---------------------------------------------------------------------------------------
# damaged but usable: analysed for what decodes, and the report says so
def test_header_promises_more_than_file_holds(media: Media, tmp_path: Path) -> None:
    path = media.get("truncated_faststart")
    report = formcheck.analyze(path, activity="run")
    ended = [w for w in report.warnings if w.code == "ended_early"]
    assert len(ended) == 1, [w.code for w in report.warnings]
    ((start, end),) = ended[0].ranges_s
    assert 3.0 < start < 4.0 and end == pytest.approx(12.0, abs=0.1)
    assert f"{start:.1f} s" in ended[0].message and "12.0 s" in ended[0].message
    assert report.source.duration_s == pytest.approx(12.0, abs=0.1)
    assert report.source.decoded_s == pytest.approx(start, abs=1e-6)
    # everything that exists was analysed
    assert report.pose.frames_total >= 100
    assert report.pose.frames_with_pose >= 0.95 * report.pose.frames_total
    res = run_cli(tmp_path, path, "--activity", "run", "--json", tmp_path / "r.json")
    assert res.returncode == 0, res.stderr[-2000:]
    import json

    data = json.loads((tmp_path / "r.json").read_text())
    assert "ended_early" in [w["code"] for w in data["warnings"]]


def test_damage_in_the_middle_is_not_the_end(media: Media) -> None:
    path = media.get("mid_damage")
    report = formcheck.analyze(path, activity="run")
    damaged = [w for w in report.warnings if w.code == "damaged"]
    assert len(damaged) == 1, [w.code for w in report.warnings]
    ranges = damaged[0].ranges_s
    assert ranges and all(a < b for a, b in ranges)
    start, end = ranges[0][0], ranges[-1][1]
    assert "ended_early" not in [w.code for w in report.warnings]
    # frames before AND after the damage were analysed, with a pose in nearly all
    series, _, _ = estimate_landmarks(path)  # from the cache: the same pass as the report
    before = series.t_s < start
    after = series.t_s > end
    assert before.sum() >= 30 and after.sum() >= 30
    assert series.present[before].mean() > 0.95 and series.present[after].mean() > 0.95
    assert series.t_s[-1] == pytest.approx(6.0 - 1 / 30, abs=0.05)
    assert report.source.decoded_s == pytest.approx(series.t_s[-1])


def test_interrupted_analysis_keeps_what_was_done(media: Media) -> None:
    """Ctrl-C during the pose pass: the part analysed is reported (marked partial), and
    the landmark cache is not poisoned with the partial pass."""
    from formcheck.settings import Settings

    path = media.get("upright_b")  # a clip no other test has put in the cache
    stop_after = 80  # 2.6 s: still long enough for a run analysis

    def progress(done: int, expected: int | None, t_s: float) -> None:
        if done >= stop_after:
            raise KeyboardInterrupt

    one = Settings(pose_workers=1)
    report = formcheck.analyze(path, activity="run", settings=one, progress=progress)
    assert report.partial
    assert "interrupted" in [w.code for w in report.warnings]
    assert report.pose.frames_total == stop_after
    assert report.pose.frames_with_pose == stop_after
    assert report.source.decoded_s == pytest.approx((stop_after - 1) / 30, abs=1e-3)
    again = formcheck.analyze(path, activity="run")
    assert not again.partial and not again.pose.from_cache
    assert again.pose.frames_total == 90
    third = formcheck.analyze(path, activity="run")
    assert third.pose.from_cache and third.pose.frames_total == 90


def test_interrupted_parallel_analysis_keeps_both_segments() -> None:
    """Ctrl-C with two landmarker threads: the frames either thread analysed are all
    reported; the stretch between them is named as not analysed and has no pose."""
    from formcheck.settings import Settings

    path = Path(__file__).resolve().parents[2] / "sample_videos" / "run_treadmill_male_side.mp4"
    stop_after = 240  # of 360 frames: each thread has about 4 s, more than a run needs

    def progress(done: int, expected: int | None, t_s: float) -> None:
        if done >= stop_after:
            raise KeyboardInterrupt

    two = Settings(pose_workers=2, cache_landmarks=False)
    report = formcheck.analyze(path, activity="run", settings=two, progress=progress)
    assert report.partial
    (note,) = [w for w in report.warnings if w.code == "interrupted"]
    analysed = report.series.t_s[report.series.present]
    # the count is of frames kept; the other thread may finish the frame it is on (and
    # at most one more begun before it sees the stop)
    assert stop_after <= report.pose.frames_total <= stop_after + 2
    # every frame of the clip is either analysed or inside a range named as not analysed
    fps = 30.0
    frames = np.arange(360) / fps
    named = np.zeros(frames.size, bool)
    for a, b in note.ranges_s:
        named |= (frames > a + 1e-6) & (frames < b - 1e-6)
    done = np.isin(np.round(frames * fps), np.round(analysed * fps))
    assert np.all(done | named), frames[~(done | named)]
    assert analysed.min() < 1.0 and analysed.max() > 7.0  # both threads' frames are there
    assert not report.series.present[
        (report.series.t_s > note.ranges_s[0][0] + 0.01)
        & (report.series.t_s < note.ranges_s[0][1] - 0.01)
    ].any()
