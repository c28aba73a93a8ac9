"""Issue 20, item 7: what a user reads never shows formcheck's internals.

A clip is uploaded through the app's own upload path (so it lives in the data
folder), analysed as the Review page does, and every text the pages then show
(Review, Summary, History, their pickers and tables), the HTML report and the
CLI's history listing is checked: no data-folder path, no stored upload name
(the time-stamped folder it is kept in), and no reference to the developers'
notes file. Plus a check of every string in the product's code for that file's
name.
"""

from __future__ import annotations

import ast
import io
import os
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from formcheck.cli import main as cli_main
from formcheck.ui.clips import store_upload
from tests.fixtures.clips import REPO, clip_path

TIMEOUT_S = 400
NOTES_FILE = "cues" + ".md"
#: The time stamp of an upload's folder (YYYYmmdd-HHMMSS).
STAMP = re.compile(r"\d{8}-\d{6}")


def page_text(at: AppTest) -> str:
    """Every text an AppTest run shows: markdown, captions, titles, alerts, tables,
    and the options of its pickers."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text"):
        parts += [str(e.value) for e in getattr(at, kind)]
    for kind in ("error", "warning", "info", "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    for kind in ("selectbox", "radio", "multiselect"):
        for w in getattr(at, kind):
            parts += [str(w.label), *(str(o) for o in w.options)]
    for t in (*at.table, *at.dataframe):
        parts.append(t.value.to_string())
    return "\n".join(parts)


def assert_no_internals(text: str, where: str) -> None:
    home = os.environ["FORMCHECK_HOME"]
    assert home not in text, f"{where} shows the data folder:\n{text[:2000]}"
    assert not STAMP.search(text), f"{where} shows a stored upload name: {STAMP.search(text)}"
    assert NOTES_FILE not in text, f"{where} names the notes file"
    assert not re.search(r"\[A\d", text), f"{where} shows an article key"


def test_no_product_string_names_the_notes_file() -> None:
    """No string literal in formcheck/ names the developers' notes file."""
    hits = []
    for path in sorted((REPO / "formcheck").rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and NOTES_FILE in text:
                hits.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not hits, hits


@pytest.mark.clips
def test_an_upload_is_shown_by_its_own_name_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORMCHECK_DB", str(tmp_path / "history.sqlite3"))
    data = clip_path("run_treadmill_male_side.mp4").read_bytes()
    upload = store_upload(io.BytesIO(data), "My run.mp4", 10**9)
    assert os.environ["FORMCHECK_HOME"] in str(upload) and STAMP.search(str(upload))

    review = AppTest.from_string(
        "from pathlib import Path\nfrom formcheck.ui import review, widgets\n"
        "widgets.inject_css()\n"
        f"state = review.analyse(Path({str(upload)!r}), 'run')\n"
        "review.results(state)\n",
        default_timeout=TIMEOUT_S,
    ).run()
    assert not review.exception, review.exception
    text = page_text(review)
    assert "My_run.mp4" in text
    assert_no_internals(text, "Review")

    for name in ("summary", "history"):
        at = AppTest.from_string(
            f"from formcheck.ui import {name}\n{name}.page()\n", default_timeout=TIMEOUT_S
        )
        if name == "summary":
            at.query_params["session"] = "1"
        at.run()
        assert not at.exception, at.exception
        text = page_text(at)
        assert "My_run.mp4" in text, f"{name} does not name the clip"
        assert_no_internals(text, name)

    html = next(Path(os.environ["FORMCHECK_HOME"]).rglob("report.html")).read_text()
    shown = re.sub(r"data:[^\"')]+", "", html)  # embedded images
    shown = re.sub(r"<script.*?</script>", "", shown, flags=re.S)
    assert "My_run.mp4" in shown
    assert_no_internals(shown, "the HTML report")

    capsys.readouterr()
    assert cli_main(["history", "show", "1"]) == 0
    assert cli_main(["history", "list"]) == 0
    out = capsys.readouterr().out
    rows = "\n".join(ln for ln in out.splitlines() if "session(s) in" not in ln)
    assert "My_run.mp4" in rows
    assert_no_internals(rows, "formcheck history")
