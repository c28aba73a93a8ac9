"""Reading the RBDS files (Fukuchi et al. 2017): markers, forces, static trials, labels.

Units as in the files: positions in mm, forces in N, marker time in s (150 Hz),
force rows at 300 Hz on the markers' clock (row n at (n - 1) / 300 s). Axes: X
forward, Y up, Z to the runner's right. Empty cells and NaN are missing samples.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: Where the data set is read from (never copied into the repository).
DATA_DIR = Path(
    os.environ.get(
        "FORMCHECK_RBDS_DIR", Path(__file__).resolve().parents[3] / "shared" / "data" / "rbds"
    )
)
#: Force plate and marker rates, Hz (README of the data set).
FORCE_HZ = 300.0
MARKER_HZ = 150.0
SPEEDS = ("25", "35", "45")


@dataclass(frozen=True)
class Trial:
    """One running trial.

    t_s : marker times, shape (frames,), s (row / 150 Hz: the file's ``Time`` column
        is rounded to milliseconds). markers : name -> (frames, 3), mm.
    force_t_s : shape (rows,), s. fy : vertical force, shape (rows,), N.
    """

    runner: str
    speed: str
    t_s: np.ndarray
    markers: dict[str, np.ndarray]
    force_t_s: np.ndarray
    fy: np.ndarray

    @property
    def name(self) -> str:
        return f"{self.runner} {int(self.speed) / 10:.1f} m/s"

    @property
    def speed_m_s(self) -> float:
        return int(self.speed) / 10.0


def _read(path: Path) -> tuple[list[str], np.ndarray]:
    """Header and float array (rows, columns) of a tab-separated file; blanks are NaN."""
    with open(path, newline="") as fh:
        header = next(fh).rstrip("\r\n").split("\t")
        rows = [
            [float(c) if c.strip() not in ("", "NaN", "nan") else np.nan for c in r]
            + [np.nan] * (len(header) - len(r))
            for r in csv.reader(fh, delimiter="\t")
            if r
        ]
    return header, np.asarray(rows, float)


def _markers(header: list[str], data: np.ndarray) -> dict[str, np.ndarray]:
    out = {}
    for j, col in enumerate(header):
        if col.endswith("X") and j + 2 < len(header) and header[j + 1] == col[:-1] + "Y":
            out[col[:-1]] = data[:, j : j + 3]
    return out


def runners(data_dir: Path = DATA_DIR) -> list[str]:
    """Runner ids with a static trial (e.g. ``"RBDS005"``), sorted."""
    return sorted(p.name[:7] for p in data_dir.glob("RBDS*static.txt"))


def load_trial(runner: str, speed: str, data_dir: Path = DATA_DIR) -> Trial:
    """The markers and forces of one runner at one speed (``"25"``, ``"35"``, ``"45"``)."""
    h, m = _read(data_dir / f"{runner}runT{speed}markers.txt")
    fh, f = _read(data_dir / f"{runner}runT{speed}forces.txt")
    force_t = (f[:, fh.index("Time")] - 1.0) / FORCE_HZ
    t = np.arange(m.shape[0]) / MARKER_HZ
    return Trial(runner, speed, t, _markers(h, m), force_t, f[:, fh.index("Fy")])


def load_static(runner: str, data_dir: Path = DATA_DIR) -> dict[str, np.ndarray]:
    """Mean position of every marker of the standing trial, name -> (3,), mm."""
    h, m = _read(data_dir / f"{runner}static.txt")
    with np.errstate(all="ignore"):
        return {k: np.nanmean(v, axis=0) for k, v in _markers(h, m).items()}


def strike_labels(runner: str, data_dir: Path = DATA_DIR) -> dict[tuple[str, str], str]:
    """The data set's foot-strike labels: (side, speed) -> "rearfoot"/"midfoot"/"forefoot".

    ``RFSI25`` etc. in ``RBDSinfo.txt`` (right/left foot, per speed).
    """
    with open(data_dir / "RBDSinfo.txt", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    num = str(int(runner[4:]))
    for r in rows:
        if r["Subject"].strip() == num:
            return {
                (side, sp): r[f"{k}FSI{sp}"].strip().lower()
                for side, k in (("right", "R"), ("left", "L"))
                for sp in SPEEDS
                if r.get(f"{k}FSI{sp}")
            }
    return {}
