"""export_artifacts: report.html, a browser-playable annotated.mp4 and key frames."""

from __future__ import annotations

from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from formcheck.pipeline import export
from formcheck.render.frame import FrameAnnotator
from formcheck.render.style import CONTACT_BGR
from formcheck.render.video import AnnotatedVideoWriter, partial_path
from formcheck.report import keyframes
from formcheck.report.model import Report
from formcheck.report.review_overlay import overlay_for_frame
from tests.fixtures.capture_spy import NoFullSizeConversion
from tests.fixtures.report_samples import bridge_report, plank_report, running_report

W, H, FPS, SECONDS = 360, 640, 30.0, 4.0
#: A portrait source larger than 720p: its video and key frames are drawn at 720x1280.
BIG_W, BIG_H, BIG_SECONDS = 1080, 1920, 1.5


def make_clip(path: Path, n: int, w: int, h: int, fps: float) -> Path:
    """A plain clip (grey frames with the frame number) for the overlay to go on."""
    vw = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    assert vw.isOpened()
    for i in range(n):
        img = np.full((h, w, 3), 70, np.uint8)
        cv2.putText(img, str(i), (10, h - 10), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (200, 200, 200), 2)
        vw.write(img)
    vw.release()
    return path


def decode(path: Path) -> tuple[list[float], list[np.ndarray], dict[str, object]]:
    """Frame times (s), frames (BGR) and stream facts of a video, via PyAV."""
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        cc = s.codec_context
        facts = {"codec": cc.name, "pix_fmt": cc.pix_fmt, "size": (cc.width, cc.height)}
        times, imgs = [], []
        for f in c.decode(s):
            times.append(float(f.pts * f.time_base))
            imgs.append(f.to_ndarray(format="bgr24"))
        return times, imgs, facts


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("clip")
    return make_clip(d / "run.mp4", int(SECONDS * FPS), W, H, FPS)


@pytest.fixture(scope="module")
def run(clip: Path) -> Report:
    return running_report(path=str(clip), width=W, height=H, duration_s=SECONDS, fps=FPS)


@pytest.fixture(scope="module")
def exported(run: Report, clip: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("out")
    return out, export.export_artifacts(run, out, clip, quiet=True)


def test_writes_report_video_and_key_frames(exported, run: Report) -> None:
    out, arts = exported
    assert arts["report_html"] == out / "report.html" and arts["report_html"].is_file()
    assert arts["annotated_video"] == out / "annotated.mp4"
    keys = [k for k in arts if k.startswith("keyframe_")]
    names = {k.name for k in keyframes.choose_keyframes(run)}
    assert {k.removeprefix("keyframe_") for k in keys} == names
    for k in keys:
        img = cv2.imread(str(arts[k]))
        assert img is not None and img.shape == (H, W, 3)
    # nothing left behind that looks half-written
    assert not list(out.rglob("*.partial*"))


def test_annotated_video_is_h264_with_the_source_frames_and_times(exported, clip: Path) -> None:
    _out, arts = exported
    src_t, _, _ = decode(clip)
    t, _imgs, stream = decode(arts["annotated_video"])
    assert stream == {"codec": "h264", "pix_fmt": "yuv420p", "size": (W, H)}
    assert len(t) == len(src_t)
    # each frame keeps its source time (pts in 1/90000 s)
    assert np.allclose(t, src_t, atol=1.5 / 90000)


def test_contact_marker_is_on_the_foot_in_the_video(exported, run: Report, clip: Path) -> None:
    _out, arts = exported
    _, imgs, _ = decode(arts["annotated_video"])
    _, plain, _ = decode(clip)
    c = next(e for e in run.events if e.kind == "initial_contact")
    foot = overlay_for_frame(run, c.frame).marks
    xy = next(m.xy for m in foot if m.kind == "initial_contact")
    expected = np.asarray(xy)
    # magenta after H.264: far from the plain frame and close to the marker colour
    img = imgs[c.frame].astype(int)
    near = np.abs(img - np.array(CONTACT_BGR)).sum(axis=2) < 120
    near &= np.abs(img - plain[c.frame].astype(int)).sum(axis=2) > 120
    ys, xs = np.nonzero(near)
    assert xs.size > 20
    # the ring is symmetric about the foot: its centroid is the landmark (2 px after coding)
    assert np.hypot(xs.mean() - expected[0], ys.mean() - expected[1]) < 2.0


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((720, 1280), (720, 1280)),  # the bundled sample: unchanged
        ((360, 640), (360, 640)),
        ((161, 99), (161, 99)),  # small and odd: unchanged (the writer pads it)
        ((1920, 1080), (1280, 720)),
        ((1080, 1920), (720, 1280)),
        ((3840, 2160), (1280, 720)),
        ((1768, 994), (1280, 720)),  # 1280.6 -> even 1280
        ((1000, 723), (996, 720)),  # 995.9 -> even 996
    ],
)
def test_video_size_is_at_most_720_on_the_short_side(
    size: tuple[int, int], expected: tuple[int, int]
) -> None:
    w, h = export.video_size(*size)
    assert (w, h) == expected
    assert min(w, h) == min(*size, export.MAX_VIDEO_SHORT_PX)
    if (w, h) != size:
        assert w % 2 == 0 and h % 2 == 0
        assert abs(w / h - size[0] / size[1]) < 2 / min(w, h)  # aspect kept to a pixel
    assert export.video_size(1920, 1080, None) == (1920, 1080)


@pytest.fixture(scope="module")
def big_export(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    d = tmp_path_factory.mktemp("big")
    clip = make_clip(d / "big.mp4", int(BIG_SECONDS * FPS), BIG_W, BIG_H, FPS)
    rep = running_report(path=str(clip), width=BIG_W, height=BIG_H, duration_s=BIG_SECONDS, fps=FPS)
    return clip, rep, export.export_artifacts(rep, d / "out", clip, quiet=True)


def test_a_1080p_source_gets_a_720p_video_with_its_frames_and_times(big_export) -> None:  # type: ignore[no-untyped-def]
    clip, _rep, arts = big_export
    src_t, _, _ = decode(clip)
    t, _imgs, stream = decode(arts["annotated_video"])
    assert stream == {"codec": "h264", "pix_fmt": "yuv420p", "size": (720, 1280)}
    assert len(t) == len(src_t) == int(BIG_SECONDS * FPS)
    assert np.allclose(t, src_t, atol=1.5 / 90000)
    # key frames are the video's frames (same drawing, same size)
    keys = [k for k in arts if k.startswith("keyframe_")]
    assert keys and all(cv2.imread(str(arts[k])).shape == (1280, 720, 3) for k in keys)


def test_a_1080p_sources_contact_marker_is_on_the_scaled_foot(big_export) -> None:  # type: ignore[no-untyped-def]
    clip, rep, arts = big_export
    _, imgs, _ = decode(arts["annotated_video"])
    _, plain, _ = decode(clip)
    c = next(e for e in rep.events if e.kind == "initial_contact")
    marks = overlay_for_frame(rep, c.frame).marks
    xy = np.asarray(next(m.xy for m in marks if m.kind == "initial_contact"))  # 1080p pixels
    expected = xy * (720 / BIG_W, 1280 / BIG_H)
    small = cv2.resize(plain[c.frame], (720, 1280), interpolation=cv2.INTER_LINEAR).astype(int)
    img = imgs[c.frame].astype(int)
    near = np.abs(img - np.array(CONTACT_BGR)).sum(axis=2) < 120
    near &= np.abs(img - small).sum(axis=2) > 120
    ys, xs = np.nonzero(near)
    assert xs.size > 20
    assert np.hypot(xs.mean() - expected[0], ys.mean() - expected[1]) < 2.0


def test_scale_overlay_moves_every_position_and_nothing_else(run: Report) -> None:
    c = next(e for e in run.events if e.kind == "initial_contact")
    data = overlay_for_frame(run, c.frame)
    scaled = export.scale_overlay(data, 0.5, 0.25)
    assert np.allclose(scaled.xyzv[:, 0], data.xyzv[:, 0] * 0.5, equal_nan=True)
    assert np.allclose(scaled.xyzv[:, 1], data.xyzv[:, 1] * 0.25, equal_nan=True)
    assert np.allclose(scaled.xyzv[:, 2:], data.xyzv[:, 2:], equal_nan=True)
    assert np.allclose(scaled.hip_path, data.hip_path * (0.5, 0.25), equal_nan=True)
    for a, b in zip(data.marks, scaled.marks, strict=True):
        assert (a.kind, a.side, a.dt_s, a.label) == (b.kind, b.side, b.dt_s, b.label)
        if a.xy is not None:
            assert b.xy == pytest.approx((a.xy[0] * 0.5, a.xy[1] * 0.25))
    assert (scaled.arcs, scaled.angles, scaled.timeline) == (data.arcs, data.angles, data.timeline)


def test_key_frames_without_the_video(run: Report, tmp_path: Path, exported) -> None:
    (tmp_path / "annotated.mp4").write_bytes(b"an earlier run's video")  # same folder again
    arts = export.export_artifacts(run, tmp_path, video=None, quiet=True)
    assert "annotated_video" not in arts and not (tmp_path / "annotated.mp4").exists()
    keys = sorted(k for k in arts if k.startswith("keyframe_"))  # from report.source.path
    # the pass converts only the key frames (the rest are grabbed): the very same
    # pictures as when every frame is drawn for the video
    _out, with_video = exported
    assert keys and keys == sorted(k for k in with_video if k.startswith("keyframe_"))
    for k in keys:
        assert arts[k].read_bytes() == with_video[k].read_bytes(), k
    page = arts["report_html"].read_text()
    assert "data:image/jpeg;base64," in page and "<video" not in page


def test_a_photo_gets_key_frames_but_no_video(tmp_path: Path) -> None:
    r = plank_report()
    r.series = r.series.take(slice(0, 1))
    r.frames = r.frames[:1]
    r.events = []
    r.findings = [f for f in r.findings if f.frame is None or f.frame == 0]
    photo = tmp_path / "plank.png"
    cv2.imwrite(str(photo), np.full((r.series.height, r.series.width, 3), 80, np.uint8))
    arts = export.export_artifacts(r, tmp_path / "out", photo, quiet=True)
    assert "annotated_video" not in arts
    assert any(k.startswith("keyframe_") for k in arts)


def test_quiet_prints_nothing_and_progress_goes_to_stderr(
    run: Report, clip: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    export.export_artifacts(run, tmp_path / "q", clip, quiet=True)
    cap = capfd.readouterr()
    assert cap.out == "" and cap.err == ""
    export.export_artifacts(run, tmp_path / "loud", clip, quiet=False)
    cap = capfd.readouterr()
    assert cap.out == "" and "annotated video" in cap.err


@pytest.mark.parametrize("exc", [KeyboardInterrupt, RuntimeError])
def test_interrupted_export_leaves_no_complete_looking_video(
    run: Report, clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exc: type
) -> None:
    calls = {"n": 0}
    original = FrameAnnotator.annotate

    def flaky(self, frame, data):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 40:
            raise exc("stop")
        return original(self, frame, data)

    monkeypatch.setattr(FrameAnnotator, "annotate", flaky)
    with pytest.raises(exc):
        export.export_artifacts(run, tmp_path, clip, quiet=True)
    assert not (tmp_path / "annotated.mp4").exists()
    assert not (tmp_path / "report.html").exists()
    kept = partial_path(tmp_path / "annotated.mp4").exists()
    # Ctrl-C keeps what was encoded under the .partial name; an error removes it
    assert kept == (exc is KeyboardInterrupt)


@pytest.mark.parametrize("background", [False, True])
def test_writer_keeps_variable_frame_timing_and_pads_odd_sizes(
    tmp_path: Path, background: bool
) -> None:
    rng = np.random.default_rng(3)
    t = np.cumsum(np.r_[0.0, rng.uniform(0.015, 0.06, 59)])
    with AnnotatedVideoWriter(tmp_path / "v.mp4", 161, 99, fps=30, background=background) as w:
        for i, ti in enumerate(t):
            w.write(np.full((99, 161, 3), i * 4 % 256, np.uint8), ti)
        assert not (tmp_path / "v.mp4").exists()  # only the partial file while writing
    times, imgs, _s = decode(tmp_path / "v.mp4")
    assert np.allclose(times, t, atol=1 / 90000)
    assert imgs[0].shape == (100, 162, 3)
    with pytest.raises(ValueError), AnnotatedVideoWriter(tmp_path / "x.mp4", 64, 64, 30) as w:
        w.write(np.zeros((32, 32, 3), np.uint8), 0.0)
    assert not (tmp_path / "x.mp4").exists() and not partial_path(tmp_path / "x.mp4").exists()


@pytest.mark.parametrize("background", [False, True])
def test_writer_keeps_colours(tmp_path: Path, background: bool) -> None:
    """Solid patches decode (PyAV, BT.601 limited range) within 3 levels of what was written.

    The writer converts with OpenCV's BGR2YUV_I420; a full-range/limited-range
    mix-up would move white or saturated colours by 15 levels or more.
    """
    colours = [(255, 255, 255), (0, 0, 0), (0, 0, 255), (0, 255, 0), (255, 0, 0), (128, 128, 128)]
    colours += [(255, 0, 255), (0, 255, 255), (60, 120, 200), (30, 200, 90), CONTACT_BGR]
    img = np.zeros((128, 64 * len(colours), 3), np.uint8)
    for k, c in enumerate(colours):
        img[:, 64 * k : 64 * (k + 1)] = c
    with AnnotatedVideoWriter(
        tmp_path / "c.mp4", img.shape[1], img.shape[0], 30, background=background
    ) as w:
        for i in range(5):
            w.write(img.copy(), i / 30)
    _t, imgs, _s = decode(tmp_path / "c.mp4")
    assert len(imgs) == 5
    for frame in (imgs[0], imgs[-1]):
        got = frame[64, 32::64].astype(int)  # the middle of each patch
        assert np.abs(got - np.array(colours)).max() <= 3


def test_background_encoder_error_reaches_the_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self, image, pts):  # type: ignore[no-untyped-def]
        raise RuntimeError("encoder broke")

    monkeypatch.setattr(AnnotatedVideoWriter, "_encode", broken)
    target = tmp_path / "e.mp4"
    w = AnnotatedVideoWriter(target, 64, 64, 30, background=True)
    with pytest.raises(RuntimeError, match="encoder broke"), w:
        for i in range(50):  # more than the queue holds: write() must not block
            w.write(np.zeros((64, 64, 3), np.uint8), i / 30)
    assert not target.exists() and not partial_path(target).exists()
    assert w._worker is None  # the thread was joined


def test_key_frame_choice() -> None:
    run = running_report(duration_s=6.0)
    keys = {k.name: k for k in keyframes.choose_keyframes(run)}
    steps = run.tables["steps"]
    col = steps.columns.index("overstride_leg_lengths")
    worst = max(steps.rows, key=lambda r: r[col])
    assert keys["overstride_worst"].index == worst[steps.columns.index("frame")]
    assert "overstride_typical" in keys
    assert "finding_overstride" in keys  # the flagged finding's own key frame
    br = bridge_report(n_reps=3)
    names = [k.name for k in keyframes.choose_keyframes(br)]
    assert [n for n in names if n.startswith("rep")] == ["rep1_top", "rep2_top", "rep3_top"]
    pl = plank_report()
    hold = next(k for k in keyframes.choose_keyframes(pl) if k.name == "hold_worst")
    assert pl.frames[hold.index].form == "hips_sagging"
    times = [k.t_s for k in keyframes.choose_keyframes(run)]
    assert times == sorted(times)


def test_a_large_source_is_drawn_without_full_size_frames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 21 item 9: a source larger than the drawing (1080x1920 -> 720x1280) is
    decoded straight to the drawing's size (formcheck.video.shrunk), never as a
    full-size BGR frame; the video still has every frame at its own time, and the
    key frames come at the drawing's size."""
    clip = make_clip(tmp_path / "big.mp4", int(BIG_SECONDS * FPS), BIG_W, BIG_H, FPS)
    rep = running_report(path=str(clip), width=BIG_W, height=BIG_H, duration_s=BIG_SECONDS, fps=FPS)
    monkeypatch.setattr(cv2, "VideoCapture", NoFullSizeConversion)
    arts = export.export_artifacts(rep, tmp_path / "out", clip, quiet=True)
    monkeypatch.undo()
    src_t, _, _ = decode(clip)
    t, _imgs, stream = decode(arts["annotated_video"])
    assert stream["size"] == (720, 1280)
    assert np.allclose(t, src_t, atol=1.5 / 90000)
    keys = [k for k in arts if k.startswith("keyframe_")]
    assert keys and all(cv2.imread(str(arts[k])).shape == (1280, 720, 3) for k in keys)
