"""Property-based tests of the whole API (tests/api/test_schemathesis.py) with more
examples: 150 per operation in make test, 2000 in make soak (RELIABILITY_SOAK=1)."""

import os

from hypothesis import HealthCheck, settings

from tests.api.test_schemathesis import CHECKS, schema, steer, world  # noqa: F401  (the world fixture)

EXAMPLES = 2000 if os.environ.get("RELIABILITY_SOAK") == "1" else 150


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES < 2000,  # make test: the same cases every run; the soak: new ones each time
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_more_requests_within_its_schema(case, world):  # noqa: F811
    case.call_and_validate(headers=steer(case, world), checks=CHECKS)
