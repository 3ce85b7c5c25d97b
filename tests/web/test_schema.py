"""Fuzz the REST API from its OpenAPI schema (schemathesis): no 500s, no schema violations.

schemathesis' own pytest plugin does not run under this pytest version, so the operations are
driven directly: one hypothesis run per operation of the live server's schema. 20 examples per
operation in the suite; ``SMARTSPEC_FUZZ_EXAMPLES=300`` for a deeper run (about a minute).
"""
from __future__ import annotations

import os

import schemathesis
from hypothesis import HealthCheck, given, settings

EXAMPLES = int(os.environ.get("SMARTSPEC_FUZZ_EXAMPLES", "20"))


def test_api_conforms_to_its_schema(server):
    schema = schemathesis.openapi.from_url(f"{server}/api/openapi.json")
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= 10
    checked = []
    for op in operations:

        @given(case=op.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            response = case.call_and_validate(base_url=server, timeout=120)  # a cold match ranking can take tens of seconds
            assert response.status_code < 500, (case.path, case.query, response.text[:300])

        run()
        checked.append(op.label)
    assert any("/api/region/{region}" in label for label in checked)
