"""Live running page: cadence, trunk lean and overstride over the last seconds, large.

For a runner on a treadmill side-on to the laptop. The numbers come from
:class:`formcheck.gait.live.LiveRunAnalyzer` (a rolling window of the last
10-20 s), coloured against formcheck's default targets; when one leaves its
target the analyzer's cue is shown and spoken. STOP saves the run to history.
The page body is shared with the Live exercise page (:func:`live.render_live`).
"""

from __future__ import annotations

from formcheck.ui.live import render_live


def page() -> None:
    render_live("run")
