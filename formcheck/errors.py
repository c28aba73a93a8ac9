"""User-facing errors: what happened and what to do about it.

Every error a runner can cause (a bad file, nobody in view, a missing model)
is a :class:`FormcheckError`. The CLI and the app print ``str(error)`` (one
line, no traceback) and keep whatever was analysed before it happened.
"""

from __future__ import annotations


class FormcheckError(Exception):
    """A problem the user can act on.

    Parameters
    ----------
    message : str
        What is wrong, in plain words ("The file is empty (0 bytes).").
    hint : str
        What to do next ("Record the clip again, or pick another file.").
    code : str
        A stable machine-readable id (``"empty_file"``), used by tests and the
        JSON report.
    """

    exit_code: int = 1

    def __init__(self, message: str, hint: str = "", code: str = "error") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.code = code

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()

    def __reduce__(self) -> tuple[type[FormcheckError], tuple[str, str, str]]:
        # whole across processes (a batch's workers): message, hint and code
        return (type(self), (self.message, self.hint, self.code))


class VideoError(FormcheckError):
    """The input file cannot be read as a usable video."""


class NoPersonError(FormcheckError):
    """No person was found in any frame."""


class ModelError(FormcheckError):
    """The pose model bundle is missing or damaged."""


class WrongSetupError(FormcheckError):
    """The clip does not suit the chosen activity (wrong view, still image...)."""


class StoreError(FormcheckError):
    """The history database cannot be used."""
