"""``manage.py import_leads``: good rows imported and qualified, bad rows reported by line."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from agents.choices import LeadSource, LeadStatus
from agents.models import Lead

pytestmark = pytest.mark.django_db

GOOD_AND_BAD = (
    "email,first_name,title,company,company_domain,industry,employee_count,tech_stack,"
    "page_views,demo_request,favourite_colour\n"
    "maya.chen@brightpath-agency.example,Maya,CEO,Brightpath Agency,brightpath-agency.example,"
    "Marketing agency,140,HubSpot;Slack,4,true,blue\n"
    "not-an-email,Bad,CEO,X,,,12,,,,\n"
    "ok@ironforge-mfg.example,Luis,Director of Operations,Ironforge,ironforge-mfg.example,"
    "Manufacturing,many,,,,\n"
    "\n"
    "dev.patel@acmeai.example,Dev,CRO,AcmeAI,acmeai.example,B2B SaaS,180,,x,maybe,\n"
    "jordan@cloudkite.example,Jordan,CTO,CloudKite,cloudkite.example,B2B software,240,Slack,,,\n"
)


def _run(tmp_path, text, *args):
    path = tmp_path / "leads.csv"
    path.write_text(text, encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_leads", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_good_rows_and_reports_bad_ones_with_line_numbers(
    tmp_path, without_redis, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        out, err = _run(tmp_path, GOOD_AND_BAD)
    assert sorted(Lead.objects.values_list("email", flat=True)) == [
        "jordan@cloudkite.example",
        "maya.chen@brightpath-agency.example",
    ]
    assert "line 3: email:" in err
    assert "line 4: employee_count:" in err
    assert "line 6: page_views:" in err
    assert "line 6: demo_request:" in err
    assert "ignored unknown column 'favourite_colour'" in err
    assert "Imported 2 leads (2 created, 0 updated); 3 rows with errors." in out
    maya = Lead.objects.get(email="maya.chen@brightpath-agency.example")
    assert maya.source == LeadSource.CSV
    assert maya.tech_stack == ["HubSpot", "Slack"]
    assert maya.signals == {"page_views": 4, "demo_request": True}
    assert maya.status == LeadStatus.QUALIFIED


def test_importing_the_same_file_twice_is_idempotent(tmp_path, without_redis):
    _run(tmp_path, GOOD_AND_BAD)
    out, _ = _run(tmp_path, GOOD_AND_BAD)
    assert Lead.objects.count() == 2
    assert "(0 created, 2 updated)" in out


def test_fail_on_error_exits_non_zero_after_importing_the_good_rows(tmp_path, without_redis):
    with pytest.raises(CommandError, match="3 rows had errors"):
        _run(tmp_path, GOOD_AND_BAD, "--fail-on-error")
    assert Lead.objects.count() == 2


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("import_leads", str(tmp_path / "nope.csv"))


def test_a_file_without_an_email_column_is_refused(tmp_path):
    with pytest.raises(CommandError, match="no email column"):
        _run(tmp_path, "name,company\nMaya,Brightpath\n")


def test_a_binary_file_is_refused(tmp_path):
    path = tmp_path / "leads.csv"
    path.write_bytes(b"\xff\xfe\x00\x81binary")
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_leads", str(path))
