"""Running gait: events, stride and posture metrics, live window. Pure (no cv2/mediapipe).

Entry points:

* :func:`formcheck.gait.analysis.analyze_run` - the pipeline's analyzer for
  ``activity="run"`` (landmark series -> :class:`formcheck.results.ActivityResult`).
* :class:`formcheck.gait.live.LiveRunAnalyzer` - the same analysis fed frame by
  frame over a rolling window.
* :func:`formcheck.gait.combine.combine_sides` - one report from a clip filmed
  from the left and one from the right.

Modules, in the order the analysis runs: ``core`` (the core pass up to the
steps) calls ``prep`` (smoothing), ``legs`` (left/right relabelling, far-leg
guard), ``view``, ``rhythm``, ``timebase`` (slow motion), ``events``, ``steps``,
``cadence``, ``frontal``; then ``metrics`` and ``side_metrics`` (with
``summary``), and ``analysis`` assembles the result.
"""
