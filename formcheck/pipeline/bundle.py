"""One download for the HTML report and its annotated video (the Review page's).

The report links its video by its file name (``annotated.mp4``, written beside it
by :func:`formcheck.pipeline.export.export_artifacts`): saved alone, it cannot
play it. :func:`report_bundle` packs both into one zip, in a folder of their own
and under the names the export gave them, so unzipping it and opening the report
plays the video offline.
"""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path


def report_bundle(report_html: Path, video: Path | None, folder: str) -> bytes:
    """A zip of ``folder/<report's name>`` and, when given, ``folder/<video's name>``.

    report_html : the exported report. video : the annotated video it links to, by
    this file name (None or a missing file: the report goes alone, and says so when
    it is opened).
    folder : the folder the zip unpacks into (e.g. the clip's name).
    """
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.write(
            report_html, f"{folder}/{Path(report_html).name}", compress_type=zipfile.ZIP_DEFLATED
        )
        if video is not None and Path(video).is_file():
            # H.264 is compressed already: stored, not deflated again
            zf.write(video, f"{folder}/{Path(video).name}", compress_type=zipfile.ZIP_STORED)
    return buf.getvalue()
