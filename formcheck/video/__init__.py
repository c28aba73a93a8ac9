"""Video in: clips, still images and cameras as upright frames with real timestamps."""

import os

# FFmpeg inside OpenCV prints every damaged NAL unit to stderr; formcheck reports
# damage itself (DecodeLog.damaged), so keep the terminal readable.
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")

from formcheck.video.reader import DecodeLog, Frame, VideoInfo, VideoReader, probe

__all__ = ["DecodeLog", "Frame", "VideoInfo", "VideoReader", "probe"]
