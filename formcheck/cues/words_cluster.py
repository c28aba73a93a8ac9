"""Every sentence of the Ray executor (``formcheck batch --executor ray``) a user reads.

Pairs (what happened, what to do) are spread into a
:class:`~formcheck.errors.FormcheckError` as ``FormcheckError(*pair)``.
"""

from __future__ import annotations

#: How to start a cluster, for the messages below.
_START = (
    "Start one with 'ray start --head --port 6379' on the machine that runs the batch "
    "and 'ray start --address HEAD:6379' on each other machine, then pass "
    "--address HEAD:6379"
)

#: ``--executor ray`` without Ray installed.
RAY_MISSING = (
    "Ray is not installed, and --executor ray needs it.",
    "Install the cluster extra (pip install 'formcheck[cluster]') here and on every "
    "machine of the cluster, or leave out --executor ray to use this machine's cores.",
)


def unreachable(address: str, detail: str) -> tuple[str, str]:
    """No Ray cluster answers at ``address``."""
    return (
        f"No Ray cluster answers at {address} ({detail}).",
        f"Check the address 'ray start --head' printed. {_START}.",
    )


def cannot_connect(address: str | None, detail: str) -> tuple[str, str]:
    """Ray refused to connect (or start a local instance)."""
    where = f"the Ray cluster at {address}" if address else "a Ray cluster"
    return (
        f"Could not connect to {where} ({detail}).",
        f"Run the batch on a machine of the cluster (the head is simplest). {_START}.",
    )


def workers_not_ready(detail: str) -> tuple[str, str]:
    """The actors could not start (formcheck missing on a node, no free CPU)."""
    return (
        f"The Ray workers could not start formcheck ({detail}).",
        "Install the same formcheck with its cluster extra (pip install "
        "'formcheck[cluster]') on every machine of the cluster, and check that the "
        "cluster has free CPUs ('ray status').",
    )


def version_mismatch(host: str, theirs: str, ours: str) -> tuple[str, str]:
    """A worker runs another formcheck than the driver."""
    return (
        f"The Ray worker on {host} runs formcheck {theirs}, this machine {ours}: "
        "their results would not match.",
        f"Install formcheck {ours} on every machine of the cluster.",
    )


#: The cluster has no CPU to give.
NO_CPUS = (
    "The Ray cluster has no CPUs to run workers on.",
    "Start worker nodes with 'ray start --address HEAD:6379' (each gives its cores), "
    "or check 'ray status'.",
)


def clip_unreadable(clip: str, exc: BaseException) -> tuple[str, str]:
    """The driver could not read a clip to send it to a worker."""
    return (
        f"{clip}: could not be read to send it to a Ray worker ({exc}).",
        "Check the file can be read here, then run the same batch again.",
    )
