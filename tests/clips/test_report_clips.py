"""The annotated video and HTML report of real clips (shared/clips, read in place).

run_treadmill_male_side.mp4 (720x1280 portrait, 30 fps, 360 frames, 12.0 s):
the annotated video must decode with the same frame count, duration, frame
times and upright size as the source, and the foot-contact marker must sit on
the foot landmark. When the running analysis reports no contacts (it is being
written), the check uses a contact placed by the test on a frame where the
near foot is well seen: the marker is still drawn from the real landmarks on
real video, so the drawing is tested either way.

plank_forearm_side_mrpose.mp4 (1920x1080, 25 fps, 173 frames): larger than
720p, so its annotated video is drawn at 1280x720 (``export.video_size``); the
same checks hold, with the marker at the landmark scaled to 720p.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
from pathlib import Path

import av
import cv2
import jsonschema
import numpy as np
import pytest

from formcheck.pipeline import export
from formcheck.pose.landmarks import Landmark
from formcheck.render.style import CONTACT_BGR
from formcheck.report.model import Report
from formcheck.results import Event
from tests.browser import chromium_page
from tests.conftest import clip_path
from tests.unit.test_report_browser import check_page_numbers
from tests.unit.test_report_html import schema

pytestmark = pytest.mark.clips

RUN = "run_treadmill_male_side.mp4"
BRIDGE = "glute_bridge_side_darebee.mp4"
PLANK = "plank_forearm_side_mrpose.mp4"


def probe(path: Path) -> dict[str, object]:
    """Frame count (by decoding), duration, size, codec of the first video stream (ffprobe)."""
    out = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-count_frames",
            "-select_streams",
            "v:0",
            "-show_entries",
            "stream=codec_name,pix_fmt,width,height,nb_read_frames,duration:format=duration",
            "-of",
            "json",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    d = json.loads(out.stdout)
    s = d["streams"][0]
    return {
        "frames": int(s["nb_read_frames"]),
        "duration_s": float(d["format"]["duration"]),
        "size": (int(s["width"]), int(s["height"])),
        "codec": s["codec_name"],
        "pix_fmt": s["pix_fmt"],
    }


def frame_times(path: Path) -> list[float]:
    with av.open(str(path)) as c:
        return [float(f.pts * f.time_base) for f in c.decode(c.streams.video[0])]


def frame_at(path: Path, index: int) -> np.ndarray:
    with av.open(str(path)) as c:
        for i, f in enumerate(c.decode(c.streams.video[0])):
            if i == index:
                return f.to_ndarray(format="bgr24")
    raise IndexError(index)


def contact_for_test(report: Report) -> tuple[Report, Event]:
    """The first real contact of the near foot, or one placed on a well-seen near foot."""
    s = report.series
    left_z = np.nanmedian(s.xyzv[:, Landmark.LEFT_ANKLE, 2])
    side = "left" if left_z < np.nanmedian(s.xyzv[:, Landmark.RIGHT_ANKLE, 2]) else "right"
    real = [
        e
        for e in report.events
        if e.kind == "initial_contact" and e.side == side and 30 <= e.frame < s.n_frames - 30
    ]
    if real:
        return report, real[0]  # away from the clip's ends
    S = side.upper()
    vis = np.minimum(s.visibility(Landmark[f"{S}_HEEL"]), s.visibility(Landmark[f"{S}_FOOT_INDEX"]))
    heel_y = np.where(vis > 0.8, s.xy(Landmark[f"{S}_HEEL"])[:, 1], -np.inf)
    k = int(np.argmax(heel_y[30:-30])) + 30  # lowest well-seen heel, away from the ends
    e = Event("initial_contact", float(s.t_s[k]), k, side, label="test")
    return dataclasses.replace(report, events=[*report.events, e]), e


@pytest.fixture(scope="module")
def run_export(analyzed, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    clip = clip_path(RUN)
    report, contact = contact_for_test(analyzed(RUN, "run"))
    out = tmp_path_factory.mktemp("run_report")
    arts = export.export_artifacts(report, out, clip, quiet=True)
    report.save_json(out / "report.json")
    return clip, report, contact, arts


def test_annotated_video_has_the_sources_frames_duration_and_size(run_export) -> None:  # type: ignore[no-untyped-def]
    clip, report, _, arts = run_export
    src, ann = probe(clip), probe(arts["annotated_video"])
    assert src["frames"] == 360 and ann["frames"] == src["frames"]
    # same duration to within half a frame (a lost or added frame is a whole 33 ms)
    assert abs(ann["duration_s"] - src["duration_s"]) <= 0.5 / 30
    # upright portrait, as the source displays; 720 px on the short side: kept as it is
    assert ann["size"] == src["size"] == export.video_size(720, 1280) == (720, 1280)
    assert ann["codec"] == "h264" and ann["pix_fmt"] == "yuv420p"  # plays in browsers
    # every frame keeps its source timestamp (H.264 pts in 1/90000 s; source in ms)
    assert np.allclose(frame_times(arts["annotated_video"]), frame_times(clip), atol=1e-3)
    assert report.series.n_frames == 360


def check_contact_marker(
    clip: Path, report: Report, contact: Event, video: Path, min_px: int = 50
) -> None:
    """The contact ring and dot are centred on the foot landmark, scaled to the video's size."""
    k = contact.frame
    assert int(report.series.frame_index[k]) == k  # series index = decoded frame here
    S = contact.side.upper()
    heel = report.series.xyzv[k, Landmark[f"{S}_HEEL"], :2]
    toe = report.series.xyzv[k, Landmark[f"{S}_FOOT_INDEX"], :2]
    foot = (
        (heel + toe) / 2
        if np.isfinite([*heel, *toe]).all()
        else (report.series.xyzv[k, Landmark[f"{S}_ANKLE"], :2])
    )
    img = frame_at(video, k)
    plain = frame_at(clip, k)
    h, w = img.shape[:2]
    scale = np.array([w / plain.shape[1], h / plain.shape[0]])
    if scale.tolist() != [1.0, 1.0]:
        plain = cv2.resize(plain, (w, h), interpolation=cv2.INTER_AREA)
    foot = foot * scale
    img, plain = img.astype(int), plain.astype(int)
    magenta = np.abs(img - np.array(CONTACT_BGR)).sum(axis=2) < 150
    magenta &= np.abs(img - plain).sum(axis=2) > 150  # drawn, not in the scene
    ys, xs = np.nonzero(magenta)
    assert xs.size > min_px, "no contact marker drawn"
    # ring and dot are centred on the foot; 3 px allows for chroma blur after H.264
    assert np.hypot(xs.mean() - foot[0], ys.mean() - foot[1]) < 3.0


def test_contact_marker_is_drawn_on_the_foot_landmark(run_export) -> None:  # type: ignore[no-untyped-def]
    clip, report, contact, arts = run_export
    check_contact_marker(clip, report, contact, arts["annotated_video"])


def test_1080p_clip_gets_a_720p_video_with_its_frames_times_and_marker(
    analyzed, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    clip = clip_path(PLANK)
    report, contact = contact_for_test(analyzed(PLANK, "plank"))
    arts = export.export_artifacts(report, tmp_path, clip, quiet=True)
    src, ann = probe(clip), probe(arts["annotated_video"])
    assert src["size"] == (1920, 1080) and ann["size"] == (1280, 720)
    assert src["frames"] == 173 and ann["frames"] == src["frames"]
    assert abs(ann["duration_s"] - src["duration_s"]) <= 0.5 / 25
    assert ann["codec"] == "h264" and ann["pix_fmt"] == "yuv420p"
    assert np.allclose(frame_times(arts["annotated_video"]), frame_times(clip), atol=1e-3)
    check_contact_marker(clip, report, contact, arts["annotated_video"])


def test_real_report_json_matches_the_schema(run_export) -> None:  # type: ignore[no-untyped-def]
    _, _, _, arts = run_export
    data = json.loads((arts["report_html"].parent / "report.json").read_text())
    jsonschema.validate(data, schema())


def test_real_report_in_chromium_offline_numbers_equal_json(run_export) -> None:  # type: ignore[no-untyped-def]
    _, _, _, arts = run_export
    data = json.loads((arts["report_html"].parent / "report.json").read_text())
    with chromium_page() as (page, log):
        page.goto(arts["report_html"].as_uri())
        page.wait_for_load_state("load")
        check_page_numbers(page, data)
        page.wait_for_function("document.getElementById('video').readyState >= 1", timeout=20_000)
        assert page.evaluate("document.getElementById('video').duration") == pytest.approx(
            12.0, abs=1 / 30
        )
        assert log.external == []


def test_bridge_clip_report_has_a_key_frame_per_rep(analyzed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = analyzed(BRIDGE, "glute-bridge")
    arts = export.export_artifacts(report, tmp_path, video=None, quiet=True)
    tops = [e for e in report.events if e.kind == "rep_top"]
    kf = [k for k in arts if k.startswith("keyframe_rep")]
    assert len(kf) == len(tops)
    jsonschema.validate(report.to_dict(), schema())
    page = arts["report_html"].read_text()
    assert page.count('data-keyframe="rep') == 2 * len(tops) or page.count(
        'data-keyframe="rep'
    ) >= len(tops)
