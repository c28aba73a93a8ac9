"""A clip analysed elsewhere (formcheck.pipeline.remote) and the Ray executor's errors,
without a cluster: same-file checks, when a worker asks for bytes, landing a result
in the driver's folder and history, and what the user reads when Ray is missing or
nothing answers at ``--address``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from formcheck.errors import FormcheckError
from formcheck.pipeline.clip import ClipJob
from formcheck.pipeline.remote import (
    FINGERPRINT_BYTES,
    ClipSource,
    RemoteClipWorker,
    RemoteResult,
    describe,
    land,
    readable_in_place,
)
from formcheck.settings import Settings
from formcheck.store.db import HistoryDB
from tests.fixtures.processes import free_port
from tests.fixtures.store import make_report


def _clip(folder: Path, size: int, fill: bytes = b"a") -> Path:
    p = folder / "clip.mp4"
    p.write_bytes(fill * size)
    return p


@pytest.mark.parametrize("size", [0, 10, FINGERPRINT_BYTES + 5, 3 * FINGERPRINT_BYTES])
def test_the_same_file_is_readable_in_place(tmp_path: Path, size: int) -> None:
    source = describe(_clip(tmp_path, size))
    assert source is not None and source.size_bytes == size
    assert readable_in_place(source)


def test_another_file_at_the_same_path_is_not(tmp_path: Path) -> None:
    path = _clip(tmp_path, 3 * FINGERPRINT_BYTES)
    source = describe(path)
    assert source is not None
    data = bytearray(path.read_bytes())
    data[-1] ^= 1  # the last MiB differs: another machine's file of the same size
    path.write_bytes(bytes(data))
    assert not readable_in_place(source)
    path.unlink()
    assert not readable_in_place(source)
    assert describe(path) is None  # the driver cannot read it either


def _worker(ship: str) -> RemoteClipWorker:
    return RemoteClipWorker(Settings(), ship=ship, prewarm=False)


def test_a_worker_asks_for_bytes_when_it_does_not_see_the_file(tmp_path: Path) -> None:
    job = ClipJob(tmp_path / "elsewhere.mp4", "auto", tmp_path / "out", save=False)
    source = ClipSource(str(job.video), 123, "0" * 64)
    assert _worker("auto").analyse(4, job, source).need_bytes
    # always bytes: asked even when the file is there
    path = _clip(tmp_path, 100)
    here = ClipJob(path, "auto", tmp_path / "out", save=False)
    result = _worker("bytes").analyse(5, here, describe(path))
    assert result.need_bytes and result.index == 5
    assert not (tmp_path / "out").exists()  # nothing analysed, nothing written


def test_a_worker_that_is_stopped_starts_nothing(tmp_path: Path) -> None:
    worker = _worker("auto")
    worker.stop()
    path = _clip(tmp_path, 100)
    result = worker.analyse(0, ClipJob(path, "auto", tmp_path / "out"), describe(path))
    assert result.stopped and result.report is None and not result.need_bytes


def test_a_bad_clip_sent_as_bytes_comes_back_with_its_reason(tmp_path: Path) -> None:
    path = tmp_path / "notes.mp4"
    path.write_text("not a video")
    job = ClipJob(path, "auto", tmp_path / "out", save=False)
    result = _worker("bytes").analyse(0, job, describe(path), path.read_bytes())
    assert result.shipped and result.report is None
    assert result.error is not None and "notes.mp4" in str(result.error)
    outcome = land(result, job, Settings())
    assert outcome.error is result.error and outcome.session_id is None
    assert not outcome.artefacts


def test_landing_writes_the_files_and_saves_one_session(tmp_path: Path) -> None:
    report = make_report(3)
    video = tmp_path / "clips" / "run.mp4"
    job = ClipJob(video, "run", tmp_path / "out" / "run_mp4", db=tmp_path / "h.db")
    result = RemoteResult(
        0,
        report=report,
        files={
            "report_json": ("report.json", b"{from the worker, with its temp path}"),
            "report_html": ("report.html", b"<html>report</html>"),
            "keyframe_top": ("keyframes/top.jpg", b"\xff\xd8jpeg"),
        },
        export_errors=["annotated.mp4 could not be written"],
    )
    outcome = land(result, job, Settings())
    out = tmp_path / "out" / "run_mp4"
    assert outcome.artefacts["report_html"] == out / "report.html"
    assert (out / "report.html").read_bytes() == b"<html>report</html>"
    assert (out / "keyframes" / "top.jpg").read_bytes() == b"\xff\xd8jpeg"
    assert (out / "report.json").read_text().startswith("{\n")  # from the report itself
    assert outcome.export_errors == ["annotated.mp4 could not be written"]
    assert outcome.session_id is not None and not outcome.store_errors
    with HistoryDB(tmp_path / "h.db") as db:
        (only,) = db.list_sessions()
        assert only.id == outcome.session_id and only.status == "complete"
        kinds = set(db.get_session(only.id).artefacts)
    assert {"report_json", "report_html", "keyframe_top"} <= kinds


def test_landing_a_stopped_clip_keeps_it_partial(tmp_path: Path) -> None:
    report = make_report(4, partial=True)
    job = ClipJob(tmp_path / "a.mp4", "run", tmp_path / "out", db=tmp_path / "h.db")
    outcome = land(RemoteResult(0, report=report, stopped=True), job, Settings())
    assert outcome.stopped
    with HistoryDB(tmp_path / "h.db") as db:
        (only,) = db.list_sessions()
    assert only.status == "partial"


def test_ray_missing_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from formcheck.pipeline.executor_ray import RayExecutor

    monkeypatch.setitem(sys.modules, "ray", None)  # import ray -> ImportError
    with pytest.raises(FormcheckError) as err:
        RayExecutor(2, "127.0.0.1:6379")
    assert err.value.code == "ray_missing"
    assert "formcheck[cluster]" in str(err.value)


@pytest.mark.parametrize("address", ["nohostport", "127.0.0.1:notaport"])
def test_an_address_that_is_not_host_port(address: str) -> None:
    from formcheck.pipeline.executor_ray import check_reachable

    with pytest.raises(FormcheckError) as err:
        check_reachable(address)
    assert err.value.code == "ray_unreachable" and "HOST:PORT" in str(err.value)


def test_nothing_answering_at_the_address_says_how_to_start_a_cluster() -> None:
    from formcheck.pipeline.executor_ray import check_reachable

    address = f"127.0.0.1:{free_port()}"
    with pytest.raises(FormcheckError) as err:
        check_reachable(address)
    assert err.value.code == "ray_unreachable"
    assert address in str(err.value) and "ray start --head" in str(err.value)
