"""Issue 21, item 8: any upload name, a NUL byte included, is stored under a safe name;
the page never falls through to Streamlit's generic error page."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from formcheck.errors import VideoError
from formcheck.ui.clips import store_upload
from tests.app.test_clips import _clip

TIMEOUT_S = 120
NUL_NAMES = ["my\x00run.mp4", "\x00", "run\x00", "run\x00.MOV"]


@pytest.mark.parametrize("name", NUL_NAMES)
def test_store_upload_takes_a_nul_byte(tmp_path: Path, name: str) -> None:
    src = _clip(tmp_path / "src.mp4")
    folder = tmp_path / "uploads"
    out = store_upload(io.BytesIO(src.read_bytes()), name, 10**8, folder)
    assert out.parent.parent == folder.resolve()
    assert "\x00" not in str(out) and out.read_bytes() == src.read_bytes()


def test_store_upload_refuses_a_type_hidden_behind_a_nul_byte(tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    with pytest.raises(VideoError) as exc:
        store_upload(io.BytesIO(b"MZ" + bytes(500)), "run.mp4\x00.exe", 10**8, folder)
    assert exc.value.code == "not_video" and exc.value.hint
    assert "run.mp4.exe" in exc.value.message
    assert not folder.exists() or not list(folder.iterdir())


def _upload_page() -> AppTest:
    return AppTest.from_string(
        "from formcheck.ui import review_choose\nreview_choose._upload()\n",
        default_timeout=TIMEOUT_S,
    )


def test_upload_with_a_nul_byte_in_its_name_is_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORMCHECK_HOME", str(tmp_path / "home"))
    data = _clip(tmp_path / "src.mp4").read_bytes()
    at = _upload_page().run()
    at.file_uploader[0].upload("my\x00run.mp4", data, "video/mp4")
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    stored = [p for p in (tmp_path / "home" / "uploads").rglob("*") if p.is_file()]
    assert len(stored) == 1 and stored[0].name == "my_run.mp4"
    assert stored[0].read_bytes() == data
    assert any("my_run.mp4" in c.value for c in at.caption)


def test_upload_of_another_type_is_a_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the uploader's own type list, a wrong type gets formcheck's sentence."""
    monkeypatch.setenv("FORMCHECK_HOME", str(tmp_path / "home"))
    at = _upload_page().run()
    at.file_uploader[0].upload("notes\x00.txt", b"not a video" * 50, "text/plain")
    at.run()
    assert not at.exception, at.exception
    assert any("notes.txt is not a clip" in e.value for e in at.error)
    assert any(i.value.startswith("Next step") for i in at.info)
    uploads = tmp_path / "home" / "uploads"
    assert not uploads.exists() or not list(uploads.iterdir()), "nothing is kept"


def test_a_refused_upload_clears_the_earlier_clips_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Results of a clip analysed before stay on the page only while nothing else is
    chosen: an upload that is refused (an empty file) shows its error alone."""
    from formcheck.ui.review_choose import RESULTS_KEY

    monkeypatch.setenv("FORMCHECK_HOME", str(tmp_path / "home"))
    at = _upload_page()
    at.session_state[RESULTS_KEY] = "the earlier clip's results"
    at.run()
    at.file_uploader[0].upload("empty.mp4", b"", "video/mp4")
    at.run()
    assert not at.exception, at.exception
    assert any("empty" in e.value for e in at.error), [e.value for e in at.error]
    assert RESULTS_KEY not in at.session_state
