"""The pose model bundle (missing / damaged / not a bundle) and the estimator's timestamps."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from formcheck.errors import FormcheckError, ModelError
from formcheck.pose import model as model_mod
from formcheck.pose.model import FULL_MODEL_SHA256, default_model_path, file_sha256, verify_model

REPO = Path(__file__).resolve().parents[2]


def test_shipped_model_verifies() -> None:
    info = verify_model()
    assert info.path == default_model_path()
    assert info.sha256 == FULL_MODEL_SHA256
    assert info.is_default
    readme = (REPO / "formcheck" / "models" / "README.md").read_text()
    assert FULL_MODEL_SHA256 in readme, "formcheck/models/README.md must name the bundle's sha256"


def test_file_sha256_streams(tmp_path: Path) -> None:
    import hashlib

    p = tmp_path / "x.bin"
    data = bytes(range(256)) * 5000
    p.write_bytes(data)
    assert file_sha256(p, chunk=1000) == hashlib.sha256(data).hexdigest()


def _assert_actionable(err: FormcheckError) -> None:
    text = str(err)
    assert "\n" not in text and err.hint, text
    assert err.exit_code != 0


def test_missing_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_mod, "default_model_path", lambda: tmp_path / "gone.task")
    with pytest.raises(ModelError) as exc:
        verify_model()
    assert exc.value.code == "model_missing"
    assert "missing" in str(exc.value) and "gone.task" in str(exc.value)
    _assert_actionable(exc.value)
    with pytest.raises(ModelError) as exc2:
        verify_model(tmp_path / "other.task")  # a user-supplied path that does not exist
    assert exc2.value.code == "model_missing"


@pytest.mark.parametrize("how", ["flipped_byte", "truncated", "empty"])
def test_damaged_shipped_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    bad = tmp_path / "pose_landmarker_full.task"
    data = bytearray(default_model_path().read_bytes())
    if how == "flipped_byte":
        data[len(data) // 2] ^= 0xFF
    elif how == "truncated":
        data = data[: len(data) // 3]
    else:
        data = bytearray()
    bad.write_bytes(bytes(data))
    monkeypatch.setattr(model_mod, "default_model_path", lambda: bad)
    with pytest.raises(ModelError) as exc:
        verify_model()
    assert exc.value.code == "model_damaged"
    assert "damaged" in str(exc.value)
    _assert_actionable(exc.value)


def test_user_model_must_be_a_task_bundle(tmp_path: Path) -> None:
    not_zip = tmp_path / "pose_landmarker_heavy.task"
    not_zip.write_text("not a model")
    with pytest.raises(ModelError) as exc:
        verify_model(not_zip)
    assert exc.value.code == "model_invalid"
    _assert_actionable(exc.value)
    # a zip without the two tflite models
    import zipfile

    wrong = tmp_path / "wrong.task"
    with zipfile.ZipFile(wrong, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(ModelError) as exc2:
        verify_model(wrong)
    assert exc2.value.code == "model_invalid"


def test_user_model_copy_accepted(tmp_path: Path) -> None:
    """Another bundle (here: a copy of the full one) is accepted after the zip check."""
    other = tmp_path / "pose_landmarker_other.task"
    shutil.copyfile(default_model_path(), other)
    info = verify_model(other)
    assert info.path == other and info.sha256 == FULL_MODEL_SHA256


def test_estimator_refuses_missing_model(tmp_path: Path) -> None:
    from formcheck.pose.estimator import PoseEstimator

    with pytest.raises(ModelError) as exc:
        PoseEstimator(tmp_path / "nope.task")
    assert exc.value.code == "model_missing"


def test_cli_missing_model_one_line(tmp_path: Path) -> None:
    """`formcheck analyze clip --model missing.task`: exit 1, one line on stderr."""
    clip = tmp_path / "clip.mp4"
    from tests.media import ffmpeg

    ffmpeg("-f", "lavfi", "-i", "color=c=gray:s=160x120:r=30:d=1", "-pix_fmt", "yuv420p", clip)
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "formcheck.cli",
            "analyze",
            str(clip),
            "--model",
            str(tmp_path / "missing.task"),
            "--no-save",
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert res.returncode == 1, res.stderr
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, res.stderr
    assert "Traceback" not in res.stderr
    assert "model" in lines[0] and "missing" in lines[0]


# ---------------------------------------------------------------------------------------
# MediaPipe needs strictly increasing integer-millisecond timestamps
def test_estimator_nudges_non_increasing_timestamps() -> None:
    from formcheck.pose.estimator import PoseEstimator

    img = np.zeros((240, 320, 3), np.uint8)
    with PoseEstimator(crowd_check_every_s=0) as est:
        poses = [
            est.process(img, 0.0),
            est.process(img, 0.0),  # duplicate: nudged
            est.process(img, 0.0333),
            est.process(img, 0.0334),  # same integer millisecond: nudged
            est.process(img, 0.0100),  # backwards (a broken container): nudged
            est.process(img, 0.0667),
        ]
        assert est.timestamps_nudged == 3
        # MediaPipe did not get stuck: a later normal frame still gives a result
        assert est.process(img, 0.1).xyzv.shape == (33, 4)
    for p in poses:
        assert p.xyzv.shape == (33, 4) and p.world.shape == (33, 3)
        assert not p.found  # nobody in a black frame: all NaN, never a stale pose
        assert np.isnan(p.xyzv).all()


def test_estimator_close_is_idempotent() -> None:
    from formcheck.pose.estimator import PoseEstimator

    est = PoseEstimator(crowd_check_every_s=0.5)
    est.close()
    est.close()
