"""manage.py import_golden_set."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from evaluation.models import GoldenSet

pytestmark = pytest.mark.django_db


def test_it_imports_the_seed_file_and_says_how_many_cases(v1_seed_path, capsys):
    call_command("import_golden_set", str(v1_seed_path), "--name", "seed")
    assert "Imported 50 cases into seed v1" in capsys.readouterr().out
    assert GoldenSet.objects.get(name="seed").cases.count() == 50


def test_it_refuses_a_bad_file_with_exit_code_two(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"cases": [{"id": "A", "severity": "urgent"}]}')
    with pytest.raises(CommandError, match="severity") as error:
        call_command("import_golden_set", str(path))
    assert error.value.returncode == 2
    assert not GoldenSet.objects.exists()
