"""Full benchmark: ``python benchmarks/run.py [bench.py options]``.

Same as ``python benchmarks/bench.py``, and also writes ``benchmarks/results.json`` and
``benchmarks/RESULTS.md`` (the table of this run, the machine and its load,
followed by ``benchmarks/notes.md``: where the time goes and what changed).
Takes 15-25 minutes on a 2-core machine (the 10-minute memory clip is most of
it; ``--long-minutes 0`` skips it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench import format_table, main

HERE = Path(__file__).resolve().parent


def write_results_md(results_json: Path, out: Path) -> Path:
    res = json.loads(results_json.read_text())
    m = res["machine"]
    notes = (HERE / "notes.md").read_text() if (HERE / "notes.md").is_file() else ""
    text = (
        "# Benchmark results\n\n"
        "Written by `python benchmarks/run.py` (the full `python benchmarks/bench.py`); raw "
        "figures in "
        "`benchmarks/results.json`. Never asserted in tests: the machine is shared, so the "
        "load average is recorded with every run and ratios measured within one run count.\n\n"
        f"- machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB RAM, {m['platform']}, "
        f"Python {m['python']}\n"
        f"- versions: {', '.join(f'{k} {v}' for k, v in m['versions'].items())}\n"
        f"- load average (1, 5, 15 min) at start {m['load_at_start']}, at end "
        f"{res.get('load_at_end')}\n\n"
        "```\n" + format_table(res) + "\n```\n\n" + notes
    )
    out.write_text(text)
    return out


def carry_memory(previous: dict[str, object] | None, results_json: Path) -> None:
    """With ``--long-minutes 0``, keep the memory figures of the previous full run
    (labelled with that run's date and load) instead of dropping them."""
    res = json.loads(results_json.read_text())
    if "memory" in res or not previous or "memory" not in previous:
        return
    mem = dict(previous["memory"])  # type: ignore[arg-type]
    prev_m = previous.get("machine", {})
    mem["from_earlier_run"] = {
        "started_at": prev_m.get("started_at"),  # type: ignore[union-attr]
        "load_at_start": prev_m.get("load_at_start"),  # type: ignore[union-attr]
    }
    res["memory"] = mem
    from benchmarks.bench import summarize

    res["summary"] = summarize(res)
    results_json.write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--json" not in args:
        args += ["--json", str(HERE / "results.json")]
    out = Path(args[args.index("--json") + 1])
    previous = json.loads(out.read_text()) if out.is_file() else None
    code = main(args)
    carry_memory(previous, out)
    write_results_md(out, HERE / "RESULTS.md")
    sys.exit(code)
