"""formcheck on the real clips with known truths (``../shared/clips/MANIFEST.md``).

The truths are read from the manifest (:mod:`tests.fixtures.truths`), never typed
here; each clip is analysed as the activity it shows.
"""

from __future__ import annotations

#: clip -> (activity, truth kind, metric read from the report)
CLIPS = {
    "run_treadmill_male_side.mp4": ("run", "cadence", "cadence_spm"),
    "glute_bridge_side_darebee.mp4": ("glute-bridge", "count", "reps"),
    "plank_forearm_side_mrpose.mp4": ("plank", "hold", "hold_s"),
    "plank_trajnovd.mp4": ("plank", "hold", "hold_s"),
    "side_plank_pwarenfo.mp4": ("side-plank", "hold", "hold_s"),
}


def clip_rows() -> list[str]:
    """Markdown rows: clip, truth with its tolerance, formcheck's figure, error."""
    import formcheck
    from benchmarks.bench import metric_like
    from tests.fixtures import truths

    rows = [
        "| clip | activity | truth | formcheck | error | within the truth's tolerance |",
        "| --- | --- | --- | ---: | ---: | --- |",
    ]
    man = truths.manifest()
    for name, (activity, kind, metric) in CLIPS.items():
        if name not in man:
            rows.append(f"| {name} | {activity} | not in the manifest | - | - | - |")
            continue
        row = man[name]
        truth = {
            "cadence": lambda r: r.cadence_spm,
            "count": lambda r: r.count,
            "hold": lambda r: r.hold_s,
        }[kind](row)
        path = truths.CLIPS / name
        try:
            report = formcheck.analyze(path, activity)
            value = metric_like(report, metric)
        except Exception as exc:
            rows.append(f"| {name} | {activity} | {truth} | failed: {exc} | - | no |")
            continue
        if value is None:
            rows.append(f"| {name} | {activity} | {truth} | not measured | - | no |")
            continue
        err = value - truth.value
        ok = abs(err) <= truth.tolerance + 1e-9
        verdict = "yes" if ok else "**no**"
        rows.append(f"| {name} | {activity} | {truth} | {value:.2f} | {err:+.2f} | {verdict} |")
    return rows
