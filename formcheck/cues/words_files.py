"""Words about files formcheck writes: results that could not be written, a results
folder that cannot be used, an annotated video that does not fit on the disk."""

from __future__ import annotations


def _why(exc: BaseException) -> str:
    """An OS error in words, without the temporary file's name it may carry."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror[0].lower() + exc.strerror[1:]
    return str(exc)


def files_not_written(
    what: str, exc: BaseException, in_history: bool, folder: str | None = None
) -> str:
    """Result files (``what``, written into ``folder`` when given) that could not be
    written; the analysis goes on (``in_history``: it is saved to the history)."""
    where = f" in {folder}" if folder else ""
    kept = "The analysis is kept in your history. " if in_history else ""
    return (
        f"{what} could not be written{where} ({_why(exc)}). {kept}Free some space or "
        "choose a folder you can write to, and analyse the clip again."
    )


def out_folder_unusable(folder: str, blocker: str, is_file: bool, flag: str) -> str:
    """Results cannot go into ``folder`` (given with ``flag``, e.g. "--out"): ``blocker``
    (the folder or one above it) is a file, or cannot be written; said before anything
    is analysed."""
    why = f"{blocker} is a file" if is_file else f"{blocker} cannot be written"
    return (
        f"Cannot write results into {folder}: {why}. Choose a folder you can write to with {flag}."
    )


def _mb(n_bytes: float) -> str:
    if n_bytes >= 1e10:
        return f"{n_bytes / 1e9:.0f} GB"
    if n_bytes >= 1e9:
        return f"{n_bytes / 1e9:.1f} GB"
    return f"{n_bytes / 1e6:.0f} MB" if n_bytes >= 1e6 else f"{n_bytes / 1e6:.1f} MB"


def video_not_written(
    path: str,
    exc: BaseException,
    disk_full: bool,
    needed_bytes: float | None,
    free_bytes: float | None,
) -> tuple[str, str]:
    """The annotated video could not be written (message, hint); the analysis, report.json
    and the HTML report are kept without it. ``needed_bytes``: about what the whole video
    takes; ``free_bytes``: what is free where it goes (each None when unknown)."""
    why = "the disk is full" if disk_full else str(exc)
    message = f"The annotated video {path} could not be written ({why})"
    sizes = []
    if needed_bytes is not None:
        sizes.append(f"it needs about {_mb(needed_bytes)}")
    if free_bytes is not None:
        sizes.append(f"{_mb(free_bytes)} {'is' if free_bytes < 1.5e6 else 'are'} free there")
    message += f": {' and '.join(sizes)}." if sizes else "."
    hint = "The analysis is kept (report.json, the HTML report and the history). " + (
        "Free some space and analyse the clip again, or analyse it without the video."
        if disk_full
        else "Analyse the clip again for the video, or analyse it without the video."
    )
    return message, hint
