"""The hysteresis rep counter on signals whose excursions are set here.

A rep is the signal past ``out`` then back past ``in``, each zone held for
``min_state_s``. Noise inside the band, or around either level once that zone
holds, never counts twice; a spike shorter than ``min_state_s`` never counts.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from formcheck.exercises.counting import RepCounter, Zone

FPS = 30.0
OUT, IN, MIN_S = 60.0, 30.0, 0.1


def _run(counter: RepCounter, xs: list[float], fps: float = FPS) -> list:  # type: ignore[type-arg]
    done = []
    for k, x in enumerate(xs):
        ex = counter.update(x, k / fps, k)
        if ex is not None:
            done.append(ex)
    return done


def _pulses(n: int, peak: float = 90.0, up: int = 9, top: int = 6, rest: int = 12) -> list[float]:
    """``n`` trapezoid excursions from 0 to ``peak`` (frames: up, top, down = up, rest)."""
    xs = [0.0] * rest
    for _ in range(n):
        xs += [peak * k / up for k in range(up)] + [peak] * top
        xs += [peak * (1 - k / up) for k in range(up)] + [0.0] * rest
    return xs


def test_each_excursion_counts_once_with_its_time_and_peak() -> None:
    done = _run(RepCounter(OUT, IN, MIN_S), _pulses(5))
    assert len(done) == 5
    for ex in done:
        assert ex.peak == 90.0
        # out of the resting range (above IN) from the last frame at or under IN to the
        # first frame back at or under it: the pulse is above 30 for 5 + 7 + 5 = 17
        # frames (40..80 up, 90 for 6 + 1, 80..40 down), so 19 frame steps from 30 to 30
        assert ex.duration_s == pytest.approx(19 / FPS, abs=1.5 / FPS)
        assert ex.frame0 < ex.frame_peak < ex.frame1


def test_noise_around_the_out_level_and_in_the_band_never_double_counts() -> None:
    rng = np.random.default_rng(3)
    xs = [0.0] * 10
    for _ in range(4):
        # up to the out level, then hovering +-8 around it (in and out of the band) for 1 s
        xs += list(np.linspace(0, OUT, 8)) + list(OUT + rng.uniform(-8, 8, 30))
        # back down, hovering around the in level for 1 s, then rest
        xs += list(np.linspace(OUT, IN, 5)) + list(IN + rng.uniform(-8, 8, 30)) + [0.0] * 10
    done = _run(RepCounter(OUT, IN, MIN_S), xs)
    assert len(done) == 4


def test_a_spike_shorter_than_the_minimum_does_not_count() -> None:
    xs = [0.0] * 20 + [90.0, 90.0] + [0.0] * 20  # 2 frames = 0.067 s < 0.1 s
    assert _run(RepCounter(OUT, IN, MIN_S), xs) == []


def test_a_raise_dipping_into_the_band_on_its_way_is_one_rep() -> None:
    # out for 2 frames, a one-frame dip into the band, out for 2 more: 0.13 s out
    xs = [0.0] * 20 + [70.0, 70.0, 55.0, 70.0, 70.0] + [0.0] * 20
    assert len(_run(RepCounter(OUT, IN, MIN_S), xs)) == 1


def test_falling_signals_count_too() -> None:
    # out below in: e.g. an angle that closes
    xs = [180 - x for x in _pulses(3)]
    done = _run(RepCounter(180 - OUT, 180 - IN, MIN_S), xs)
    assert len(done) == 3 and all(ex.peak == 90.0 for ex in done)


def test_unknown_frames_keep_the_zone_and_reset_forgets_a_half_rep() -> None:
    c = RepCounter(OUT, IN, MIN_S)
    xs = _pulses(1)
    half = len(xs) // 2
    nan_gap = [math.nan] * 5
    assert len(_run(c, xs[:half] + nan_gap + xs[half:])) == 1
    c = RepCounter(OUT, IN, MIN_S)
    _run(c, _pulses(1)[:half])
    assert c.out
    c.reset()
    assert not c.out
    # back from out of sight already down: no rep invented
    assert all(c.update(0.0, 10 + k / FPS, 1000 + k) is None for k in range(20))


def test_equal_levels_are_refused() -> None:
    with pytest.raises(ValueError, match="differ"):
        RepCounter(50.0, 50.0, MIN_S)


def test_zone_dates_a_change_from_the_first_frame_of_the_new_zone() -> None:
    z = Zone(0.1)
    assert not z.update("in", 0.0, 0)
    assert z.update("in", 0.1, 3) and z.since_frame == 0  # first zone: from the first frame
    assert not z.update("out", 0.2, 6)
    assert not z.update(None, 0.25, 7)  # the band does not cancel the pending change
    assert z.update("out", 0.3, 9) and z.state == "out" and z.since_frame == 6
