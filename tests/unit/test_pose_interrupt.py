"""Ctrl-C during a frame of the pose pass is raised once the frame is done, so no
MediaPipe object is left half made (an ``mp.Image`` interrupted in its
constructor printed "Exception ignored ... Traceback" as formcheck stopped)."""

from __future__ import annotations

import os
import signal

import pytest

from formcheck.pose.estimator import _interrupt_after


def test_a_ctrl_c_inside_the_block_is_raised_after_it() -> None:
    done = []
    with pytest.raises(KeyboardInterrupt), _interrupt_after():
        os.kill(os.getpid(), signal.SIGINT)
        done.append("the rest of the frame")
    assert done == ["the rest of the frame"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_without_ctrl_c_nothing_changes() -> None:
    with _interrupt_after():
        pass
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_someone_elses_handler_is_left_alone() -> None:
    seen: list[int] = []
    old = signal.signal(signal.SIGINT, lambda s, _f: seen.append(s))
    try:
        with _interrupt_after():
            os.kill(os.getpid(), signal.SIGINT)
        assert seen == [signal.SIGINT]
    finally:
        signal.signal(signal.SIGINT, old)
