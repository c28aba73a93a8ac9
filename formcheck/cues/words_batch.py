"""Every sentence of ``formcheck batch`` (and its executors) a user reads.

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
