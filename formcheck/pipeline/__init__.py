"""The use cases, each written once; the command line, the batch and the app call them.

- :mod:`.analysis`: ``analyze(path)`` for a clip, ``analyze_pose(series)`` for
  landmarks from any source (the Python API).
- :mod:`.clip`: ``analyse_clip``: one clip analysed, its files written, saved to
  history (the command line, the batch and the Review page).
- :mod:`.batch`: several clips, one after another or in processes.
- :mod:`.export`: the export pass (HTML report, annotated video, key frames).
- :mod:`.live`: the live session (pose -> live analyzer -> overlay, frame by frame).
- :mod:`.landmarks`, :mod:`.notices`, :mod:`.combine`: the pose pass with its
  cache, what a report says about the recording, two side views combined.
"""

from formcheck.pipeline.analysis import analyze, analyze_pose

__all__ = ["analyze", "analyze_pose"]
