"""The articles behind the coaching cues, named as every source line names them.

The coaching-cue notes number them [A0]..[A4]; the threshold table, the routines and
the findings cite them by these names (the runner reads the names, not the numbers).
"""

from __future__ import annotations

#: [A0] warm-up and recovery tips for runners
A0 = "Runners' warm-up and recovery tips (article)"
#: [A1] stretches before and after a run for a sore lower back
A1 = "Lower-back stretches before and after running (article)"
#: [A3] fixing lower-back pain from running
A3 = "Fixing lower-back pain from running (article)"
#: [A4] causes of lower-back pain in runners
A4 = "Causes of lower-back pain in runners (article)"
