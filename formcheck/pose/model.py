"""The pose model bundle: where it is, and that it is the file we think it is."""

from __future__ import annotations

import functools
import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from formcheck.errors import ModelError

#: sha256 of MediaPipe's official "full" PoseLandmarker bundle shipped in formcheck/models/.
FULL_MODEL_SHA256 = "4eaa5eb7a98365221087693fcc286334cf0858e2eb6e15b506aa4a7ecdcec4ad"
FULL_MODEL_NAME = "pose_landmarker_full.task"


def default_model_path() -> Path:
    """The shipped bundle: package data, ``formcheck/models/pose_landmarker_full.task``
    (the same in a checkout and in an installed wheel)."""
    return Path(__file__).resolve().parents[1] / "models" / FULL_MODEL_NAME


def file_sha256(path: Path, chunk: int = 1 << 20) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks (memory does not grow with size)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


@functools.lru_cache(maxsize=8)
def _cached_sha256(path: str, size: int, mtime_ns: int) -> str:
    """sha256 of a file, remembered while its size and modification time stay the same
    (the pipeline and every PoseEstimator of a process, including the parallel
    pose threads, verify the same model)."""
    return file_sha256(Path(path))


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """A verified model bundle: its path, sha256 and whether it is the shipped one."""

    path: Path
    sha256: str
    is_default: bool


def verify_model(path: Path | None = None) -> ModelInfo:
    """Check the model bundle before MediaPipe loads it.

    The shipped bundle must match :data:`FULL_MODEL_SHA256`. A user-supplied
    bundle (lite/heavy) cannot be checked against a known hash, so it is checked
    to be a MediaPipe ``.task`` zip holding the two ``.tflite`` models.

    Raises
    ------
    ModelError
        Missing, empty, not a ``.task`` bundle, or (for the shipped one) damaged.
    """
    is_default = path is None
    p = Path(path) if path is not None else default_model_path()
    if not p.is_file():
        raise ModelError(
            f"The pose model is missing: {p} was not found.",
            "Reinstall formcheck (formcheck/models/ ships the model) or pass --model PATH to a "
            "MediaPipe PoseLandmarker .task file.",
            code="model_missing",
        )
    st = p.stat()
    digest = _cached_sha256(str(p.resolve()), st.st_size, st.st_mtime_ns)
    if is_default and digest != FULL_MODEL_SHA256:
        raise ModelError(
            f"The pose model {p} is damaged (sha256 {digest[:12]}..., expected "
            f"{FULL_MODEL_SHA256[:12]}...).",
            "Reinstall formcheck, or restore it from the repository: "
            "git checkout -- formcheck/models/",
            code="model_damaged",
        )
    try:
        with zipfile.ZipFile(p) as z:
            names = set(z.namelist())
    except zipfile.BadZipFile:
        names = set()
    if not {"pose_detector.tflite", "pose_landmarks_detector.tflite"} <= names:
        raise ModelError(
            f"{p} is not a MediaPipe PoseLandmarker .task bundle.",
            "Use pose_landmarker_lite/full/heavy.task from MediaPipe's model page.",
            code="model_invalid",
        )
    return ModelInfo(p, digest, is_default and digest == FULL_MODEL_SHA256)
