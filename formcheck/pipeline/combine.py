"""Two side views of one run combined into one report (``--combine-sides``)."""

from __future__ import annotations

from formcheck.errors import WrongSetupError
from formcheck.pipeline.analysis import versions
from formcheck.report.model import PoseInfo, Report, SourceInfo
from formcheck.settings import Settings


def combine_side_views(first: Report, second: Report, settings: Settings | None = None) -> Report:
    """One running report from a clip filmed from the left and one from the right.

    From one side the far leg is partly hidden (google-ai-edge/mediapipe#3496,
    #4969), so each two-sided metric takes the left leg from the clip that sees
    it nearest and the right leg from the other (:func:`formcheck.gait.combine.combine_sides`);
    findings are re-judged from the combined metrics.

    Raises :class:`WrongSetupError` unless both are running reports, one from each side.
    """
    from formcheck.cues.judge import judge_metrics
    from formcheck.cues.running import running_findings
    from formcheck.gait.combine import combine_sides
    from formcheck.results import ActivityResult

    settings = settings or Settings()
    if first.activity != "run" or second.activity != "run":
        raise WrongSetupError(
            "Only running reports can be combined.",
            "Analyse both clips with --activity run.",
            code="combine_not_run",
        )
    parts = [
        ActivityResult(r.activity, r.view, metrics=dict(r.metrics), notices=list(r.warnings))
        for r in (first, second)
    ]
    try:
        result = combine_sides(*parts)
    except ValueError as exc:
        raise WrongSetupError(
            f"These clips cannot be combined: one must be filmed from the runner's left and "
            f"one from the right (got {first.view} and {second.view}).",
            "Film once from each side, at the same speed, and pass both clips.",
            code="combine_views",
        ) from exc
    result.metrics = judge_metrics("run", result.metrics, settings.thresholds)
    result.findings = running_findings(result.metrics, settings.thresholds)
    source = SourceInfo(
        kind="combined",
        path=f"{first.source.path} + {second.source.path}",
        duration_s=sum(r.source.decoded_s or 0.0 for r in (first, second)),
        decoded_s=sum(r.source.decoded_s or 0.0 for r in (first, second)),
        frames=(first.source.frames or 0) + (second.source.frames or 0),
    )
    pose = PoseInfo(
        first.pose.frames_total + second.pose.frames_total,
        first.pose.frames_with_pose + second.pose.frames_with_pose,
        first.pose.model_sha256,
    )
    return Report.from_result(
        result,
        source,
        pose,
        [],
        activity_requested="run",
        activity_reason="two side views combined",
        versions=versions(),
    )
