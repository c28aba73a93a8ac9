"""Hand-built reports for the render/report tests (and checks that they are sound).

The analyzers fill reports from real clips; these builders fill them by hand
with realistic values whose answers the tests know: a run (contacts from the
synthetic runner's exact contact times, per-step table, time series, findings,
capture warnings), a glute-bridge set (reps with tops), a plank hold (form
labels with a sagging stretch), and an empty report (nothing measured).
"""

from __future__ import annotations

import numpy as np

from formcheck.kinematics import joint_angle_deg, tilt_from_vertical_deg
from formcheck.pose.landmarks import N_LANDMARKS, Landmark
from formcheck.pose.series import PoseSeries
from formcheck.report.model import PoseInfo, Report, SourceInfo
from formcheck.results import (
    ActivityResult,
    Event,
    Finding,
    FrameState,
    Metric,
    Notice,
    Table,
    not_measurable,
)

L = Landmark


def _source(series: PoseSeries, fps: float, path: str | None = None) -> SourceInfo:
    return SourceInfo(
        kind="landmarks" if path is None else "video",
        path=path,
        width=series.width,
        height=series.height,
        fps=fps,
        duration_s=round(series.t_s[-1] + 1 / fps, 6) if series.n_frames else 0.0,
        decoded_s=float(series.t_s[-1]) if series.n_frames else 0.0,
        frames=series.n_frames,
    )


def _nearest(t_s: np.ndarray, t: float) -> int:
    return int(np.argmin(np.abs(t_s - t)))


def runner_series(
    cadence_spm: float = 170.0,
    fps: float = 30.0,
    duration_s: float = 12.0,
    width: int = 720,
    height: int = 1280,
    lean_deg: float = 8.0,
) -> tuple[PoseSeries, dict[str, np.ndarray]]:
    """A stick runner on a treadmill facing image-left, and its contact times per foot.

    Not a gait model: the feet alternate with the set cadence (each foot lands
    every 2 steps, left first at 0.3 s), land ahead of the hip, slide back on the
    belt during stance (35 % of the stride) and swing forward raised. The hips
    bounce once per step; the trunk leans ``lean_deg`` forward. Left is the near
    side (smaller z).
    """
    n = round(duration_s * fps)
    t = np.arange(n) / fps
    s = min(width, height) / 720.0
    stride_s = 120.0 / cadence_spm
    contacts = {
        "left": np.arange(0.3, duration_s, stride_s),
        "right": np.arange(0.3 + stride_s / 2, duration_s, stride_s),
    }
    leg = 300.0 * s
    hip = np.c_[
        np.full(n, width * 0.5),
        height * 0.55 + 0.04 * leg * np.cos(2 * np.pi * (t - 0.3) / (stride_s / 2)),
    ]
    lean = np.radians(lean_deg)
    shoulder = hip + np.c_[np.full(n, -np.sin(lean)), np.full(n, -np.cos(lean))] * 0.6 * leg
    xyzv = np.full((n, N_LANDMARKS, 4), np.nan, np.float32)
    ground = hip[0, 1] + 0.95 * leg
    for side, z, vis in (("left", -20.0, 0.95), ("right", 20.0, 0.6)):
        u = ((t - contacts[side][0]) / stride_s) % 1.0  # 0 at contact
        stance = u < 0.35
        # ankle x: lands 0.12 leg ahead (image-left = smaller x), slides back in stance
        ax = np.where(stance, -0.12 + 0.4 * u / 0.35, 0.28 - 0.4 * (u - 0.35) / 0.65)
        ay = np.where(stance, 0.0, 0.25 * np.sin(np.pi * (u - 0.35) / 0.65))
        ankle = np.c_[hip[:, 0] + ax * leg, ground - ay * leg]
        knee = (hip + ankle) / 2 + np.c_[np.full(n, -0.12 * leg), np.zeros(n)]
        S = side.upper()
        for lm, xy in (
            ("HIP", hip),
            ("KNEE", knee),
            ("ANKLE", ankle),
            ("HEEL", ankle + np.array([0.06 * leg, 0.05 * leg])),
            ("FOOT_INDEX", ankle + np.array([-0.2 * leg, 0.06 * leg])),
            ("SHOULDER", shoulder),
            ("ELBOW", shoulder + np.array([0.1 * leg, 0.3 * leg])),
            ("WRIST", shoulder + np.array([-0.1 * leg, 0.45 * leg])),
            ("EAR", shoulder + np.array([-0.05 * leg, -0.25 * leg])),
        ):
            xyzv[:, L[f"{S}_{lm}"], :2] = xy
            xyzv[:, L[f"{S}_{lm}"], 2] = z
            xyzv[:, L[f"{S}_{lm}"], 3] = vis
    xyzv[:, L.NOSE, :2] = shoulder + np.array([-0.15 * leg, -0.25 * leg])
    xyzv[:, L.NOSE, 2:] = (0.0, 0.99)
    return PoseSeries(xyzv, t, width, height), contacts


def running_report(path: str | None = None, **runner: float) -> Report:
    """A treadmill run, side view, runner facing image-left; right foot overstrides.

    runner : keywords of :func:`runner_series` (frame size, duration, fps ...).
    path : the clip it claims to come from (``SourceInfo.path``).
    """
    series, contact_t = runner_series(**runner)  # type: ignore[arg-type]
    fps = float(runner.get("fps", 30.0))
    t = series.t_s
    over = {"left": 0.10, "right": 0.17}
    events: list[Event] = []
    for side in ("left", "right"):
        for tc in contact_t[side]:
            if t[0] <= tc <= t[-1]:
                i = _nearest(t, tc)
                events.append(Event("initial_contact", float(t[i]), i, side))
                j = _nearest(t, tc + 0.35 * 120 / 170)
                events.append(Event("toe_off", float(t[j]), j, side))
    events.sort(key=lambda e: e.t_s)
    contacts = [e for e in events if e.kind == "initial_contact"]
    hip = series.midpoint(L.LEFT_HIP, L.RIGHT_HIP)
    sh = series.midpoint(L.LEFT_SHOULDER, L.RIGHT_SHOULDER)
    lean = tilt_from_vertical_deg(hip, sh, -1.0)
    frames = [
        FrameState(i, float(t[i]), phase="run", angles={"trunk_lean_deg": float(lean[i])})
        for i in range(series.n_frames)
    ]
    rows = []
    for k, e in enumerate(contacts):
        s = "LEFT" if e.side == "left" else "RIGHT"
        shin = float(
            tilt_from_vertical_deg(series.xy(L[f"{s}_ANKLE"]), series.xy(L[f"{s}_KNEE"]), -1.0)[
                e.frame
            ]
        )
        knee = 180.0 - float(
            joint_angle_deg(
                series.xy(L[f"{s}_HIP"]), series.xy(L[f"{s}_KNEE"]), series.xy(L[f"{s}_ANKLE"])
            )[e.frame]
        )
        frames[e.frame] = FrameState(
            e.frame,
            e.t_s,
            phase=f"contact_{e.side}",
            angles={
                "trunk_lean_deg": float(lean[e.frame]),
                "shin_angle_deg": shin,
                "knee_flexion_deg": knee,
            },
            cue="Shorter, quicker steps" if e.side == "right" and k in (5, 17) else None,
        )
        over_k = over[e.side] + 0.01 * ((k * 7) % 5 - 2)
        step_t = contacts[k].t_s - contacts[k - 1].t_s if k else None
        rows.append(
            (
                k + 1,
                e.side,
                round(e.t_s, 4),
                e.frame,
                step_t,
                round(over_k, 4),
                shin,
                knee,
                0.08 + 0.002 * (k % 3),
                210.0 if e.side == "left" else 225.0,
            )
        )
    steps = Table(
        (
            "step",
            "side",
            "t_s",
            "frame",
            "step_time_s",
            "overstride_leg_lengths",
            "shin_angle_deg",
            "knee_flexion_deg",
            "vertical_oscillation_leg_lengths",
            "contact_time_ms",
        ),
        ("", "", "s", "", "s", "leg lengths", "deg", "deg", "leg lengths", "ms"),
        tuple(rows),
    )
    worst = max(rows, key=lambda r: r[5])
    metrics = {
        "cadence_spm": Metric(169.8, "steps/min", spread=1.3, n=len(contacts) - 1),
        "overstride_leg_lengths": Metric(
            0.135, "leg lengths", 0.035, len(rows), left=0.1, right=0.17, confidence="medium"
        ),
        "shin_angle_at_contact_deg": Metric(3.1, "deg", 2.0, len(rows), left=-4.2, right=2.3),
        "knee_flexion_at_contact_deg": Metric(17.0, "deg", 3.0, len(rows), left=20.0, right=13.9),
        "trunk_lean_deg": Metric(8.0, "deg", 0.4, series.n_frames),
        "vertical_oscillation_leg_lengths": Metric(0.082, "leg lengths", 0.002, len(rows)),
        "contact_time_ms": Metric(
            217.5,
            "ms",
            7.5,
            len(rows),
            left=210.0,
            right=225.0,
            confidence="low",
            note="30 fps: one frame is 33 ms",
        ),
        "foot_strike": not_measurable("", "heel and toe not seen well enough"),
    }
    findings = [
        Finding(
            "cadence",
            "flag",
            "cadence_spm",
            169.8,
            "steps/min",
            "170-180 steps/min",
            "Your cadence is just under the target: try slightly quicker, lighter steps.",
            "cues.md [A4]; Lieberman 2015",
            priority=20,
        ),
        Finding(
            "overstride",
            "flag",
            "overstride_leg_lengths",
            0.17,
            "leg lengths",
            "at most 0.08 leg lengths ahead of the hip",
            "Your right foot lands well ahead of your hips: shorten the stride.",
            "cues.md [A4][A2]; Wille 2014",
            priority=10,
            heuristic=True,
            frame=worst[3],
        ),
        Finding(
            "trunk_lean",
            "ok",
            "trunk_lean_deg",
            8.0,
            "deg",
            "-2 to 25 deg",
            "You run tall with a slight forward lean.",
            "Warrener 2021",
            priority=30,
        ),
        Finding(
            "foot_strike",
            "not_measurable",
            None,
            None,
            "",
            "mid-foot",
            "Foot strike could not be judged from this clip.",
            "Altman & Davis 2012",
            priority=60,
        ),
    ]
    tplot = tuple(float(x) for x in np.arange(2.0, float(t[-1]), 1.0))
    plots = {
        "cadence_spm": (tplot, tuple(169.8 + 0.3 * np.sin(x) for x in tplot), "steps/min"),
        "trunk_lean_deg": (tplot, tuple(8.0 + 0.2 * np.cos(x) for x in tplot), "deg"),
    }
    result = ActivityResult(
        "run", "side-left", metrics, findings, [], events, frames, {"steps": steps}, plots
    )
    warnings = [
        Notice(
            "several_people",
            "Several people were in view; formcheck followed one person.",
            ((3.0, 4.5),),
        ),
        Notice("gaps", "The person was not found for 0.3 s in 1 stretch(es).", ((7.0, 7.3),)),
    ]
    return Report.from_result(
        result,
        _source(series, fps, path),
        PoseInfo(series.n_frames, int(series.present.sum())),
        warnings,
        activity_requested="run",
        activity_reason="chosen by the user",
        series=series,
    )


# ---------------------------------------------------------------------------------------
def _blank(n: int) -> np.ndarray:
    xyzv = np.full((n, N_LANDMARKS, 4), np.nan, np.float32)
    return xyzv


def _set(xyzv: np.ndarray, lm: Landmark, x: np.ndarray, y: np.ndarray, z: float, v: float) -> None:
    xyzv[:, lm, 0] = x
    xyzv[:, lm, 1] = y
    xyzv[:, lm, 2] = z
    xyzv[:, lm, 3] = v


def lying_series(
    hip_lift: np.ndarray, fps: float, width: int = 1280, height: int = 720, kind: str = "bridge"
) -> PoseSeries:
    """A side-view body lying left (head) to right (feet), scaled to the frame.

    hip_lift : (frames,) how far the hips are raised, 0..1 (bridge) or the hip
    offset from the shoulder-ankle line in fractions of the torso (plank:
    positive = sagging, i.e. lower in the image).
    """
    n = len(hip_lift)
    s = min(width, height) / 720.0
    xyzv = _blank(n)
    if kind == "bridge":
        sh = (300 * s, 560 * s)
        knee = (820 * s, 380 * s)
        ankle = (930 * s, 560 * s)
        low = np.array([560 * s, 575 * s])
        top = np.array(sh) + 0.55 * (np.array(knee) - np.array(sh))
        hip = low[None, :] + hip_lift[:, None] * (top - low)[None, :]
    else:  # plank: shoulders to ankles on a slight slope
        sh = (380 * s, 420 * s)
        ankle = (1000 * s, 520 * s)
        mid = 0.5 * (np.array(sh) + np.array(ankle))
        hip = mid[None, :] + np.c_[np.zeros(n), hip_lift * 200 * s]
        knee = (np.array(ankle) + hip[0]) / 2
    for side, z, v in (("LEFT", -20.0, 0.98), ("RIGHT", 20.0, 0.7)):
        _set(xyzv, L[f"{side}_SHOULDER"], sh[0], sh[1], z, v)
        _set(xyzv, L[f"{side}_HIP"], hip[:, 0], hip[:, 1], z, v)
        if kind == "bridge":
            _set(xyzv, L[f"{side}_KNEE"], knee[0], knee[1], z, v)
        else:
            kx = (hip[:, 0] + ankle[0]) / 2
            ky = (hip[:, 1] + ankle[1]) / 2
            _set(xyzv, L[f"{side}_KNEE"], kx, ky, z, v)
        _set(xyzv, L[f"{side}_ANKLE"], ankle[0], ankle[1], z, v)
        _set(xyzv, L[f"{side}_HEEL"], ankle[0] + 15 * s, ankle[1] + 10 * s, z, v)
        _set(xyzv, L[f"{side}_FOOT_INDEX"], ankle[0] + 40 * s, ankle[1] - 25 * s, z, v)
        _set(xyzv, L[f"{side}_ELBOW"], sh[0] + 60 * s, sh[1] + 20 * s, z, v)
        _set(xyzv, L[f"{side}_WRIST"], sh[0] + 150 * s, sh[1] + 30 * s, z, v)
        _set(xyzv, L[f"{side}_EAR"], sh[0] - 90 * s, sh[1] - 20 * s, z, v)
    _set(xyzv, L.NOSE, sh[0] - 130 * s, sh[1] - 35 * s, 0.0, 0.99)
    t = np.arange(n) / fps
    return PoseSeries(xyzv, t, width, height)


def bridge_report(n_reps: int = 5, fps: float = 24.0) -> Report:
    """A glute-bridge set: ``n_reps`` reps of 2 s each with a 1 s top."""
    per = round(2.0 * fps)
    u = np.arange(per) / per
    # rise 0.4 s, hold at the top 1 s, lower 0.6 s
    one = np.interp(u, [0, 0.2, 0.7, 1.0], [0, 1, 1, 0])
    lift = np.r_[np.zeros(int(fps)), np.tile(one, n_reps), np.zeros(int(fps))]
    series = lying_series(lift, fps)
    ang = joint_angle_deg(series.xy(L.LEFT_SHOULDER), series.xy(L.LEFT_HIP), series.xy(L.LEFT_KNEE))
    t = series.t_s
    events, rows, frames = [], [], []
    reps = 0
    for k in range(n_reps):
        a = int(fps) + k * per
        top = a + int(0.45 * per)
        events.append(Event("rep_top", float(t[top]), top, value=float(ang[top])))
        events.append(Event("rep_end", float(t[a + per - 1]), a + per - 1))
        rows.append((k + 1, top, float(t[top]), float(ang[top]), float(ang[a]), 1.0, 0.6))
    for i in range(series.n_frames):
        if any(e.kind == "rep_end" and e.frame == i for e in events):
            reps += 1
        phase = "up" if lift[i] > 0.95 else ("down" if lift[i] < 0.05 else "moving")
        frames.append(
            FrameState(
                i,
                float(t[i]),
                phase=phase,
                angles={"shoulder_hip_knee_deg": float(ang[i])},
                reps=reps,
            )
        )
    table = Table(
        ("rep", "top_frame", "t_s", "top_angle_deg", "bottom_angle_deg", "pause_s", "lower_s"),
        ("", "", "s", "deg", "deg", "s", "s"),
        tuple(rows),
    )
    metrics = {
        "reps": Metric(float(n_reps), "reps", n=n_reps),
        "top_angle_deg": Metric(float(np.median([r[3] for r in rows])), "deg", 0.5, n_reps),
        "pause_s": Metric(1.0, "s", 0.0, n_reps),
    }
    findings = [
        Finding(
            "bridge_set",
            "flag",
            "reps",
            float(n_reps),
            "reps",
            "15 reps",
            f"{n_reps} reps: build up to a set of 15.",
            "cues.md [A0]",
            priority=40,
        ),
        Finding(
            "bridge_top_line",
            "ok",
            "top_angle_deg",
            metrics["top_angle_deg"].value,
            "deg",
            "at least 165°",
            "Hips reach a straight line at the top.",
            "cues.md [A0][A3]",
            priority=10,
            frame=rows[0][1],
        ),
    ]
    result = ActivityResult(
        "glute-bridge", "side-left", metrics, findings, [], events, frames, {"reps": table}
    )
    return Report.from_result(
        result, _source(series, fps), PoseInfo(series.n_frames, series.n_frames), [], series=series
    )


def plank_report(fps: float = 25.0, seconds: float = 12.0) -> Report:
    """A plank held 12 s with hips sagging from 6 to 8 s."""
    n = int(seconds * fps)
    t = np.arange(n) / fps
    sag = np.where((t >= 6) & (t < 8), 0.25, 0.02)
    series = lying_series(sag, fps, 1920, 1080, kind="plank")
    dev = 180.0 - joint_angle_deg(
        series.xy(L.LEFT_SHOULDER), series.xy(L.LEFT_HIP), series.xy(L.LEFT_ANKLE)
    )
    frames, hold = [], 0.0
    for i in range(n):
        good = sag[i] < 0.1
        if i and good:
            hold += t[i] - t[i - 1]
        frames.append(
            FrameState(
                i,
                float(t[i]),
                phase="hold" if good else "break",
                form="good" if good else "hips_sagging",
                angles={"hip_line_deg": float(dev[i])},
                hold_s=hold,
                cue="Lift your hips" if i == int(6.5 * fps) else None,
            )
        )
    events = [
        Event("hold_start", 0.0, 0),
        Event("hold_break", 6.0, int(6 * fps)),
        Event("hold_start", 8.0, int(8 * fps)),
    ]
    metrics = {"hold_s": Metric(hold, "s", n=n), "longest_hold_s": Metric(6.0, "s", n=2)}
    findings = [
        Finding(
            "plank_line",
            "flag",
            "hip_line_deg",
            float(dev.max()),
            "deg",
            "within 10° of straight",
            "Hips sagged for 2 s: squeeze glutes and brace.",
            "cues.md [A3][A1]",
            priority=10,
            frame=int(7 * fps),
        ),
        Finding(
            "hold_time",
            "flag",
            "longest_hold_s",
            6.0,
            "s",
            "30 s, building up",
            "Longest straight hold 6 s; build towards 30 s.",
            "cues.md [A3]",
            priority=30,
        ),
    ]
    result = ActivityResult("plank", "side-left", metrics, findings, [], events, frames)
    return Report.from_result(
        result, _source(series, fps), PoseInfo(series.n_frames, series.n_frames), [], series=series
    )


def empty_report(activity: str = "run") -> Report:
    """Nothing measured: no metrics, findings, events, frames or tables."""
    xyzv = np.full((30, N_LANDMARKS, 4), np.nan, np.float32)
    series = PoseSeries(xyzv, np.arange(30) / 30.0, 480, 360)
    return Report.from_result(
        ActivityResult(activity, "unknown"),
        _source(series, 30.0),
        PoseInfo(30, 0),
        [],
        series=series,
    )


SAMPLES = {
    "run": running_report,
    "glute-bridge": bridge_report,
    "plank": plank_report,
    "empty": empty_report,
}


# ---------------------------------------------------------------------------------------
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
