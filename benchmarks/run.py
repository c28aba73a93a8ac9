"""Full benchmark: ``python benchmarks/run.py`` (same as ``formcheck bench``).

Writes benchmarks/results.json and prints the table; copy the figures into
benchmarks/RESULTS.md. Options as ``formcheck bench --help``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from formcheck.bench import main

if __name__ == "__main__":
    args = sys.argv[1:]
    if "--json" not in args:
        args += ["--json", str(Path(__file__).with_name("results.json"))]
    sys.exit(main(args))
