"""One threshold: a named value with its unit and source (the table is
:mod:`formcheck.cues.thresholds`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Threshold:
    name: str
    value: float
    unit: str
    source: str
    heuristic: bool = False
    why: str = ""
