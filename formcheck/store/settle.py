"""Where a finished analysis is kept: in its own session, or merged into an earlier
analysis of the same clip, activity, settings and model (the more complete of the
two is kept, under the earlier id). A complete run also removes the empty partial
sessions of the same clip (killed before their first checkpoint)."""

from __future__ import annotations

import sqlite3

from formcheck.store.values import now_utc


def settle(conn: sqlite3.Connection, row: sqlite3.Row, status: str, note: str) -> int:
    """End the session of ``row`` as ``status``, merging it with an earlier analysis
    of the same clip/activity/settings/model; the id it is kept under. Runs inside
    the caller's transaction."""
    sid = int(row["id"])
    if status == "complete":
        drop_empty_partials(conn, sid, row["source_sha256"], row["source_path"])
    dup = None
    if row["source_sha256"] and row["model_sha256"] and row["settings_fingerprint"]:
        dup = conn.execute(
            "SELECT id, status, analysed_s, created_at, recorded_at FROM sessions "
            "WHERE source_sha256 = ? AND activity = ? AND settings_fingerprint = ? "
            "AND model_sha256 = ? AND status != 'running' AND id != ?",
            (
                row["source_sha256"],
                row["activity"],
                row["settings_fingerprint"],
                row["model_sha256"],
                sid,
            ),
        ).fetchone()
    if dup is None:
        conn.execute(
            "UPDATE sessions SET status = ?, note = ?, owner = NULL, updated_at = ? WHERE id = ?",
            (status, note, now_utc(), sid),
        )
        return sid

    def rank(st: str, analysed: float | None) -> tuple[bool, float]:
        return (st == "complete", analysed or 0.0)

    old_id = int(dup["id"])
    if rank(status, row["analysed_s"]) < rank(dup["status"], dup["analysed_s"]):
        # the stored analysis covers more: keep it, drop this one
        conn.execute("DELETE FROM sessions WHERE id = ?", (sid,))
        return old_id
    # this analysis replaces the stored one, under the stored id
    conn.execute(
        "UPDATE artefacts SET session_id = ? WHERE session_id = ? AND kind NOT IN "
        "(SELECT kind FROM artefacts WHERE session_id = ?)",
        (sid, old_id, sid),
    )
    conn.execute("PRAGMA defer_foreign_keys = ON")
    conn.execute("DELETE FROM sessions WHERE id = ?", (old_id,))
    conn.execute(
        "UPDATE sessions SET id = ?, status = ?, note = ?, owner = NULL, updated_at = ?, "
        "created_at = ?, recorded_at = COALESCE(recorded_at, ?) WHERE id = ?",
        (old_id, status, note, now_utc(), dup["created_at"], dup["recorded_at"], sid),
    )
    for table in ("metrics", "findings", "notices", "step_tables", "step_rows", "artefacts"):
        conn.execute(f"UPDATE {table} SET session_id = ? WHERE session_id = ?", (old_id, sid))
    return old_id


def drop_empty_partials(
    conn: sqlite3.Connection, sid: int, sha: str | None, path: str | None
) -> None:
    """Delete the partial sessions of the same clip (same sha256, or same path when
    no sha256 was stored) that hold nothing: a run killed before its first
    checkpoint, now replaced by the complete run ``sid``."""
    if sha is None and path is None:
        return
    conn.execute(
        "DELETE FROM sessions WHERE id != ? AND status = 'partial' AND report_zlib IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM metrics m WHERE m.session_id = sessions.id) "
        "AND NOT EXISTS (SELECT 1 FROM artefacts a WHERE a.session_id = sessions.id) "
        "AND ((? IS NOT NULL AND source_sha256 = ?) "
        "OR (? IS NOT NULL AND source_sha256 IS NULL AND source_path = ?))",
        (sid, sha, sha, path, path),
    )
