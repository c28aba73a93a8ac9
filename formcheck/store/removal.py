"""Deleting a session together with the files formcheck made for it.

A session records its files: the artefacts (report.json, report.html, the
annotated video, key frames, the landmark cache) and the clip it analysed. When
the session is deleted, a file is removed only if

- it lies inside formcheck's data folder (:func:`formcheck.settings.data_dir`),
  after resolving links, and for the analysed clip only if it is the app's
  upload copy (``<data folder>/uploads/``): a clip of the user's, anywhere
  else, is never touched;
- no other saved session records the same file (the same clip analysed for
  another activity shares its upload, report folder and landmark cache).

Everything else is left in place and said so. Folders left empty inside the data
folder (a report folder, its key frames) go too; the data folder's own
sub-folders (``uploads``, ``reports``, ``cache``) stay. A routine done that named the
session as one of its moves says the move's session was deleted
(:func:`formcheck.store.routines.drop_session`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from formcheck.settings import data_dir
from formcheck.store.connect import Connection
from formcheck.store.records import SessionRecord
from formcheck.store.routines import drop_session
from formcheck.store.tables import read_record

#: The app's upload copies, inside the data folder (ui.clips.uploads_dir()).
UPLOADS = "uploads"

#: Why a file was left in place (``Removed.kept``): not formcheck's own copy, or
#: another session records it; anything else is the OS error's text.
KEPT_YOURS = "yours"
KEPT_SHARED = "shared"


@dataclass(frozen=True, slots=True)
class Removed:
    """A deleted session and what became of its files.

    removed : (kind, path) of the files deleted; kind is an artefact kind
        (``annotated_video``, ``landmark_cache`` ...) or ``upload`` for the
        uploaded clip.
    kept : (kind, path, why) of files that exist and were left in place; why is
        :data:`KEPT_YOURS`, :data:`KEPT_SHARED` or the reason removing failed.
    """

    record: SessionRecord
    removed: tuple[tuple[str, Path], ...]
    kept: tuple[tuple[str, Path, str], ...]


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def _files_of(rec: SessionRecord) -> list[tuple[str, str]]:
    """(kind, recorded path) of every file the session recorded."""
    out = [(k, p) for k, p in rec.artefacts.items() if p]
    if rec.source_path:
        out.append(("upload", rec.source_path))
    for kind, p in list(out):
        if kind == "landmark_cache" and p.endswith(".npz"):
            out.append((kind, p[: -len(".npz")] + ".json"))  # its sidecar
    return out


def _in_use(conn: sqlite3.Connection, paths: list[str]) -> set[str]:
    """Which of ``paths`` another (remaining) session still records."""
    if not paths:
        return set()
    marks = ", ".join("?" * len(paths))
    rows = conn.execute(
        f"SELECT path FROM artefacts WHERE path IN ({marks}) "
        f"UNION SELECT source_path FROM sessions WHERE source_path IN ({marks})",
        (*paths, *paths),
    ).fetchall()
    used = {r[0] for r in rows}
    # a landmark cache's sidecar is in use when its .npz is
    used |= {p[: -len(".npz")] + ".json" for p in used if p.endswith(".npz")}
    return used


def _prune_empty(folders: set[Path], root: Path) -> None:
    """Remove folders left empty, up to (not including) the data folder's own sub-folders."""
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        f = folder
        while _inside(f, root) and f.parent != root and f != root:
            try:
                f.rmdir()
            except OSError:
                break  # not empty (or not ours to remove): stop here
            f = f.parent


class Removal(Connection):
    """Deleting a session and its files (see the module docstring)."""

    def delete_session_and_files(self, session_id: int, root: Path | None = None) -> Removed:
        """Delete a session (one transaction), then the files formcheck made for it
        inside ``root`` (default: the data folder) that no other session records."""
        root = Path(root if root is not None else data_dir()).resolve()
        with self._write("deleting the session") as conn:
            rec = read_record(conn, int(session_id), self.path)
            drop_session(conn, int(session_id))  # and out of the routines done
            files = _files_of(rec)
            used = _in_use(conn, [p for _, p in files])
        removed: list[tuple[str, Path]] = []
        kept: list[tuple[str, Path, str]] = []
        emptied: set[Path] = set()
        seen: set[Path] = set()
        for kind, recorded in files:
            path = Path(recorded)
            if not path.exists() or path in seen:
                continue
            seen.add(path)
            real = path.resolve()
            allowed = root / UPLOADS if kind == "upload" else root
            if not _inside(real, allowed) or real == root or not real.is_file():
                kept.append((kind, path, KEPT_YOURS))
            elif recorded in used:
                kept.append((kind, path, KEPT_SHARED))
            else:
                try:
                    real.unlink()
                except OSError as exc:
                    kept.append((kind, path, str(exc.strerror or exc)))
                else:
                    removed.append((kind, path))
                    emptied.add(real.parent)
        _prune_empty(emptied, root)
        return Removed(rec, tuple(removed), tuple(kept))
