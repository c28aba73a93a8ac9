"""The batch's plan without any analysis: discovery, output folders, resume decisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from formcheck.pipeline.batch_plan import (
    MARK_NAME,
    ClipKey,
    ClipMark,
    discover,
    folder_name,
    plan,
    resume_decision,
)


def _touch(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "clips"
    for rel in (
        "a/IMG_0001.mp4",
        "a/IMG_0002.MOV",
        "a/notes.txt",
        "a/.hidden.mp4",
        "b/IMG_0001.mp4",
        "b/deep/c.webm",
        "top.mkv",
    ):
        _touch(root / rel)
    return root


def _rels(videos: list[Path], root: Path) -> list[str]:
    return [v.relative_to(root).as_posix() for v in videos]


def test_a_folder_gives_its_videos_and_only_with_recursive_its_subfolders(tree: Path) -> None:
    flat, unmatched = discover([tree])
    assert _rels(flat, tree) == ["top.mkv"]
    assert unmatched == []
    deep, _ = discover([tree], recursive=True)
    assert _rels(deep, tree) == [
        "a/IMG_0001.mp4",
        "a/IMG_0002.MOV",  # suffixes in any case
        "b/IMG_0001.mp4",
        "b/deep/c.webm",
        "top.mkv",
    ]  # no .txt, no hidden file


def test_globs_files_duplicates_and_inputs_that_name_nothing(tree: Path) -> None:
    videos, unmatched = discover(
        [
            str(tree / "*" / "IMG_0001.mp4"),
            tree / "top.mkv",
            tree / "a" / "notes.txt",  # named on its own: tried (the analysis says why not)
            tree / "top.mkv",  # twice: once
            tree / "missing.mp4",
            str(tree / "*.avi"),
        ]
    )
    assert _rels(videos, tree) == ["a/IMG_0001.mp4", "a/notes.txt", "b/IMG_0001.mp4", "top.mkv"]
    assert unmatched == [str(tree / "missing.mp4"), str(tree / "*.avi")]
    deep, _ = discover([str(tree / "**" / "*.webm")], recursive=True)
    assert _rels(deep, tree) == ["b/deep/c.webm"]


def test_the_output_folder_is_never_searched(tree: Path) -> None:
    """Results written inside the clips' folder (annotated videos) are not clips."""
    out = tree / "reports"
    _touch(out / "a" / "IMG_0001_mp4" / "annotated.mp4")
    videos, _ = discover([tree], recursive=True, exclude=out)
    assert not any(out in v.parents for v in videos)
    assert len(videos) == 5


def test_links_keep_their_own_names(tmp_path: Path) -> None:
    target = _touch(tmp_path / "store" / "long_name.mp4")
    (tmp_path / "in" / "a").mkdir(parents=True)
    (tmp_path / "in" / "a" / "IMG_0001.mp4").symlink_to(target)
    videos, _ = discover([tmp_path / "in"], recursive=True)
    assert videos == [tmp_path / "in" / "a" / "IMG_0001.mp4"]


def test_same_names_in_different_folders_get_different_output_folders(tree: Path) -> None:
    videos, _ = discover([tree], recursive=True)
    out = tree.parent / "out"
    clips = plan(videos, out)
    folders = [c.out_dir for c in clips]
    assert len(set(folders)) == len(folders)
    by_rel = {c.rel: c.out_dir.relative_to(out).as_posix() for c in clips}
    assert by_rel["a/IMG_0001.mp4"] == "a/IMG_0001_mp4"
    assert by_rel["b/IMG_0001.mp4"] == "b/IMG_0001_mp4"
    assert by_rel["b/deep/c.webm"] == "b/deep/c_webm"
    assert all(c.video.is_absolute() and out in c.out_dir.parents for c in clips)


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["x.mp4", "x.mov"], 2),  # same stem, other suffix
        (["X.mp4", "x.mp4"], 2),  # letter case only (one folder on macOS/Windows)
        ([], 0),
    ],
)
def test_folders_never_collide(tmp_path: Path, names: list[str], expected: int) -> None:
    videos = [_touch(tmp_path / "in" / n) for n in names]
    folders = [str(c.out_dir).casefold() for c in plan(videos, tmp_path / "out")]
    assert len(set(folders)) == expected == len(folders)


def test_a_clip_keeps_its_folder_when_clips_are_added(tree: Path) -> None:
    """Resuming after new clips were added must find the old results where they are."""
    videos, _ = discover([tree / "a"])
    before = {c.rel: c.out_dir for c in plan(videos, tree.parent / "out")}
    _touch(tree / "a" / "IMG_0001.mov")
    _touch(tree / "a" / "zzz.mp4")
    videos, _ = discover([tree / "a"])
    after = {c.rel: c.out_dir for c in plan(videos, tree.parent / "out")}
    assert all(after[rel] == folder for rel, folder in before.items())


def test_folder_name_keeps_the_suffix_apart() -> None:
    assert folder_name(Path("a/IMG_0001.MP4")) == Path("a/IMG_0001_mp4")
    assert folder_name(Path("noext")) == Path("noext")


# ---------------------------------------------------------------------------------------
KEY = ClipKey("sha", "model", "settings", "auto")
OTHER = {
    "content": ClipKey("sha2", "model", "settings", "auto"),
    "model": ClipKey("sha", "model2", "settings", "auto"),
    "settings": ClipKey("sha", "model", "settings2", "auto"),
    "activity": ClipKey("sha", "model", "settings", "plank"),
}


def _mark(status: str, key: ClipKey = KEY, code: str | None = None) -> ClipMark:
    return ClipMark(status, key, 10, 20, {}, code)


@pytest.mark.parametrize(
    ("report", "mark", "key", "history", "expected"),
    [
        (False, None, None, False, "run"),  # never analysed
        (True, _mark("ok"), KEY, False, "done"),
        (True, None, KEY, True, "done"),  # killed after the history save
        (True, _mark("ok"), KEY, True, "done"),
        (False, _mark("ok"), KEY, True, "run"),  # its report was deleted
        (True, None, KEY, False, "run"),  # a stopped clip's partial report
        (True, _mark("ok", OTHER["content"]), KEY, False, "run"),
        (True, _mark("ok", OTHER["model"]), KEY, False, "run"),
        (True, _mark("ok", OTHER["settings"]), KEY, False, "run"),
        (True, _mark("ok", OTHER["activity"]), KEY, False, "run"),
        (False, _mark("failed", code="not_video"), KEY, False, "failed"),
        (False, _mark("failed", OTHER["content"], "not_video"), KEY, False, "run"),  # fixed
        (False, _mark("failed", code="worker_lost"), KEY, False, "run"),  # not its fault
        (False, _mark("failed", code="unexpected_error"), KEY, False, "run"),
    ],
)
def test_resume_decision(
    report: bool, mark: ClipMark | None, key: ClipKey | None, history: bool, expected: str
) -> None:
    assert resume_decision(report, mark, key, history) == expected


def test_a_mark_round_trips_and_a_damaged_one_is_ignored(tmp_path: Path) -> None:
    mark = ClipMark("ok", KEY, 123, 456, {"clip": "a.mp4", "metrics": {"x": [1.5, "s"]}}, None)
    mark.save(tmp_path)
    assert ClipMark.load(tmp_path) == mark
    (tmp_path / MARK_NAME).write_text("{not json")
    assert ClipMark.load(tmp_path) is None
    assert ClipMark.load(tmp_path / "nowhere") is None


def test_the_plan_line_counts_one_clip_as_one_clip() -> None:
    from formcheck.cues.words_batch import plan_line

    assert plan_line(1, 1, 0, 0, "local").startswith("formcheck batch: 1 clip, 1 to analyse")
    assert "3 clips, 2 to analyse, 1 done already" in plan_line(3, 2, 1, 0, "local")
