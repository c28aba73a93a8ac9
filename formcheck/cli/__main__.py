"""``python -m formcheck.cli``: the same as the ``formcheck`` command."""

import os
import sys

if os.environ.get("FORMCHECK_LIVE_FRESH"):
    # the live window's fresh interpreter: OpenCV before anything that imports
    # PyAV (see formcheck.cli.live._gui_needs_fresh_process)
    import cv2  # noqa: F401

from formcheck.cli import main

sys.exit(main())
