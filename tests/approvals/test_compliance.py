"""approvals.compliance: the footer, signed unsubscribe tokens, the rendered-message check."""

import pytest

from approvals import compliance

pytestmark = pytest.mark.django_db


def test_the_footer_holds_the_link_and_the_postal_address(settings):
    url = compliance.unsubscribe_url("dana@northwind.example")
    footer = compliance.footer(url)
    assert url in footer
    assert settings.SENDER_POSTAL_ADDRESS in footer


def test_tokens_are_stable_and_name_the_address():
    token = compliance.unsubscribe_token("Dana@Northwind.example")
    assert token == compliance.unsubscribe_token("dana@northwind.example")
    assert compliance.email_from_token(token) == "dana@northwind.example"


def test_a_tampered_token_names_nobody():
    token = compliance.unsubscribe_token("dana@northwind.example")
    assert compliance.email_from_token(token[:-2] + "xx") is None


def test_with_footer_replaces_an_existing_footer_instead_of_stacking():
    body = compliance.with_footer("Hello there.", "a@b.example")
    again = compliance.with_footer(body, "c@d.example")
    assert again.count(compliance.FOOTER_DELIMITER) == 1
    assert compliance.email_from_token(compliance.unsubscribe_tokens_in(again)[0]) == "c@d.example"


def test_check_rendered_accepts_a_compliant_message():
    body = compliance.with_footer("Hi Dana, a short useful note.", "dana@northwind.example")
    assert compliance.check_rendered("Subject", body, "dana@northwind.example") == []


def test_check_rendered_lists_every_problem(settings):
    body = compliance.with_footer("", "someone@else.example").replace(
        settings.SENDER_POSTAL_ADDRESS, ""
    )
    problems = compliance.check_rendered("Hi {{first_name}}", body, "dana@northwind.example")
    assert problems == [
        "no unsubscribe link for this recipient",
        "sender postal address missing",
        "unrendered placeholder",
        "empty body",
    ]
