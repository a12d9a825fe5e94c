"""Fuzzing inside ``make test`` (issue 8), on a fixed seed and a small budget; bench/fuzz.py runs the same code longer.

Zero server errors from schemathesis' GraphQL operations; zero unhandled exceptions from the loaders and the policy
extractor. A failure lists the examples that broke.
"""

from __future__ import annotations

from tests.security.fuzzing import fuzz_api, fuzz_loaders

API_BUDGET = 20  # examples per root field and mode: 23 fields x 2 modes, about 900 requests
LOADER_BUDGET = 150


def test_schemathesis_finds_no_server_error() -> None:
    report = fuzz_api(API_BUDGET)
    assert report.total >= 23 * 2, report.examples
    assert (report.server_errors, report.internal_errors, report.failures) == (0, 0, []), report.failures


def test_hypothesis_finds_no_unhandled_exception_in_the_loaders() -> None:
    report = fuzz_loaders(LOADER_BUDGET)
    assert set(report.examples) == {"seed loader", "extractor", "document intake", "bulk import"}
    assert (report.unhandled, report.failures) == (0, []), report.failures
