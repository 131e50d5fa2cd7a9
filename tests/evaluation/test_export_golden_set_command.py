"""manage.py export_golden_set."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from tests.evaluation.factories import GoldenCaseFactory, GoldenSetFactory

pytestmark = pytest.mark.django_db


def test_it_writes_the_newest_version_as_v2_json(tmp_path):
    GoldenCaseFactory(golden_set=GoldenSetFactory(name="gtm", version=1), case_id="OLD")
    GoldenCaseFactory(golden_set=GoldenSetFactory(name="gtm", version=2), case_id="NEW")
    out = tmp_path / "gtm.json"
    call_command("export_golden_set", "gtm", "--output", str(out))
    doc = json.loads(out.read_text())
    assert (doc["schema_version"], doc["version"]) == (2, 2)
    assert [c["id"] for c in doc["cases"]] == ["NEW"]


def test_it_exports_a_named_version_to_stdout(capsys):
    GoldenCaseFactory(golden_set=GoldenSetFactory(name="gtm", version=1), case_id="OLD")
    GoldenSetFactory(name="gtm", version=2)
    call_command("export_golden_set", "gtm@v1")
    assert [c["id"] for c in json.loads(capsys.readouterr().out)["cases"]] == ["OLD"]


@pytest.mark.parametrize("name", ["missing", "gtm@vX", "gtm@v9"])
def test_an_unknown_set_is_bad_input(name):
    GoldenSetFactory(name="gtm", version=1)
    with pytest.raises(CommandError) as error:
        call_command("export_golden_set", name)
    assert error.value.returncode == 2
