"""Every sentence of ``formcheck batch`` (and its executors) a user reads, and what a
clip stopped (Ctrl-C) before anything could be kept says.

Messages that go with a :class:`~formcheck.errors.FormcheckError` are pairs
(what happened, what to do), spread into the error as ``FormcheckError(*pair)``.
"""

from __future__ import annotations

from collections.abc import Sequence

#: ``--address`` without ``--executor ray``.
ADDRESS_WITHOUT_RAY = (
    "--address names a Ray cluster, but the batch runs on this machine.",
    "Add --executor ray to run it on the cluster, or leave out --address.",
)


def unknown_executor(name: str, known: Sequence[str]) -> tuple[str, str]:
    """An ``--executor`` that does not exist."""
    return (f"There is no executor called {name!r}.", f"Use one of: {', '.join(known)}.")


def ray_missing(exc: BaseException) -> tuple[str, str]:
    """``--executor ray`` without Ray installed."""
    return (
        f"The Ray executor cannot be loaded ({exc}).",
        "Install the cluster extra (pip install 'formcheck[cluster]') on this machine and "
        "every worker, or leave out --executor ray to run on this machine.",
    )


def worker_lost(clip: str) -> tuple[str, str]:
    """The process analysing a clip died under it."""
    return (
        f"{clip}: the process analysing it stopped unexpectedly (out of memory?).",
        "Run the same batch again: it picks up the clips not done, this one included.",
    )


def unexpected_error(clip: str, exc: BaseException) -> tuple[str, str]:
    """A bug while analysing one clip (the batch goes on with the others)."""
    return (
        f"{clip}: unexpected error ({type(exc).__name__}: {exc}).",
        "Analyse it on its own (formcheck analyze) to see where, and please report it.",
    )


# ---- summary ------------------------------------------------------------------------------
#: The heading of summary.html.
SUMMARY_TITLE = "formcheck batch summary"
#: summary.html's column headings.
HTML_HEADERS = ("Clip", "Status", "Activity", "Main metrics", "Top finding", "Reason", "Report")
#: The text of each clip's report link.
REPORT_LINK = "report"
#: Under the summary table.
SUMMARY_NOTE = (
    "Rewritten after every clip. Run the same command again to analyse the clips not done "
    "(pending, stopped, or failed for a reason that was not the clip's own); clips already "
    "analysed with the same content, model and settings are skipped. Form feedback, not a "
    "medical diagnosis."
)


def counts_line(counts: dict[str, int]) -> str:
    """How many clips have each status, those with none left out."""
    return ", ".join(f"{n} {status}" for status, n in counts.items() if n) or "no clips"


# ---- command line -------------------------------------------------------------------------
def nothing_found(inputs: Sequence[str]) -> tuple[str, str]:
    """No video among the arguments."""
    return (
        f"No video found in {', '.join(inputs)}.",
        "Name clips, folders or globs (e.g. 'clips/**/*.mp4'); add --recursive to look in "
        "sub-folders. Folders contribute .mp4 .mov .m4v .webm .mkv .avi files.",
    )


def unmatched(text: str) -> str:
    """An argument that named no video (the batch goes on with the others)."""
    return f"formcheck: nothing found for {text} (not a file, a folder with videos, or a glob)"


def plan_line(total: int, to_run: int, done: int, failed_before: int, workers: str) -> str:
    """Printed before the clips start."""
    parts = [f"{total} clip{'' if total == 1 else 's'}", f"{to_run} to analyse"]
    if done:
        parts.append(f"{done} done already (skipped)")
    if failed_before:
        parts.append(f"{failed_before} failed before (not tried again)")
    return f"formcheck batch: {', '.join(parts)}; {workers}."


def status_line(n: int, total: int, status: str, clip: str, detail: str) -> str:
    """One clip's line as it finishes (or is skipped)."""
    width = len(str(total))
    return f"[{n:>{width}}/{total}] {status:<20} {clip}" + (f"  {detail}" if detail else "")


def bar_counts(done: int, failed: int, left: int) -> str:
    """Beside the progress bar."""
    return f"done {done}, failed {failed}, left {left}"


def end_line(counts: dict[str, int], csv_path: str, html_path: str) -> str:
    """After the batch."""
    return f"formcheck batch: {counts_line(counts)}.\nsummary: {csv_path}\nsummary: {html_path}"


#: After Ctrl-C.
STOPPED = (
    "formcheck batch: stopped. The clips analysed are kept; run the same command again to "
    "go on where it stopped."
)


def stopped_too_soon(analysed_s: float, why: str) -> tuple[str, str]:
    """A clip stopped (Ctrl-C, a stop) before enough of it was analysed to keep."""
    return (
        f"Stopped after {analysed_s:.1f} s of the clip had been analysed: too little to "
        f"keep ({why[:1].lower() + why[1:]}).",
        "Nothing was saved from this clip. Analyse it again and let it run longer.",
    )
