"""``manage.py simulation_boundary`` lists each integration's mode and the send boundary."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command


def test_it_lists_every_integration_with_its_mode_and_tools(settings):
    settings.INTEGRATION_MODES = {**settings.INTEGRATION_MODES, "email": "live"}
    out = StringIO()
    call_command("simulation_boundary", "--json", stdout=out)
    data = json.loads(out.getvalue())
    modes = {row["integration"]: row["mode"] for row in data["integrations"]}
    assert modes == {
        "crm": "simulated",
        "enrichment": "simulated",
        "calendar": "simulated",
        "knowledge": "simulated",
        "email": "live",
    }
    tools = {row["integration"]: row["tools"] for row in data["integrations"]}
    assert tools["crm"] == ["crm.lookup_account", "crm.read_contact"]
    assert data["agents_that_send"] == ["send_pipeline"]


def test_the_table_says_what_is_simulated():
    out = StringIO()
    call_command("simulation_boundary", stdout=out)
    text = out.getvalue()
    assert "crm         SIMULATED" in text
    assert "only send_pipeline may call email.send" in text
