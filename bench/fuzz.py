"""The long fuzz run (issue 8): the tests' fuzzing code (``tests/security/fuzzing.py``) with a larger budget.

Run by hand, not in the tests: ``.venv/bin/python -m bench.fuzz [--api-budget N] [--loader-budget N]``. It writes
``bench/results/fuzz.json``: the examples run per target, the 5xx and masked internal errors of the API, the
unhandled exceptions of the loaders and the extractor, every failure found (none is the target), and the time taken.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bench.assessment import machine
from tests.security.fuzzing import SEED, fuzz_api, fuzz_loaders

RESULTS = Path(__file__).resolve().parent / "results" / "fuzz.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--api-budget", type=int, default=300, help="examples per root field and mode (x46)")
    parser.add_argument("--loader-budget", type=int, default=3000, help="examples per loader (bulk import: a fifth)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    api = fuzz_api(args.api_budget)
    print(f"api: {api.total} examples, {api.server_errors} 5xx, {api.internal_errors} internal, {api.seconds:.0f} s")
    loaders = fuzz_loaders(args.loader_budget)
    print(f"loaders: {loaders.total} examples, {loaders.unhandled} unhandled, {loaders.seconds:.0f} s")
    result = {
        "machine": machine(),
        "seed": SEED,
        "budget": {"api_examples_per_field_and_mode": args.api_budget, "loader_examples": args.loader_budget},
        "api": api.as_dict(),
        "loaders": loaders.as_dict(),
        "wall_seconds": round(time.perf_counter() - started, 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    failed = api.server_errors or api.internal_errors or loaders.unhandled or api.failures or loaders.failures
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
