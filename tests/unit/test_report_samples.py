"""The hand-built sample reports (tests/fixtures/report_samples.py) are sound."""

from __future__ import annotations

from tests.fixtures.report_samples import SAMPLES, runner_series, running_report


def test_samples_are_json_ready() -> None:
    for name, build in SAMPLES.items():
        r = build()
        assert r.to_json(), name


def test_running_sample_contacts_are_on_the_frames_nearest_the_set_times() -> None:
    r = running_report()
    _, contact_t = runner_series()
    for side in ("left", "right"):
        ic = [e for e in r.events if e.kind == "initial_contact" and e.side == side]
        assert len(ic) == len(contact_t[side])
        # each contact is on the frame nearest the set contact time (half a frame at 30 fps)
        for e, tc in zip(ic, contact_t[side], strict=True):
            assert abs(e.t_s - tc) <= 0.5 / 30 + 1e-9
