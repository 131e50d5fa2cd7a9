"""Factories shared by every app's tests. App-specific factories live beside them here."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from agents.choices import LeadStatus
from agents.models import Lead

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@caio.example")
    # Hashed when the factory builds the user: no post-generation step, so no second save.
    password = factory.django.Password(PASSWORD)


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lead
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"lead{n}@northwind{n}.example")
    first_name = "Dana"
    last_name = factory.Sequence(lambda n: f"Rivera{n}")
    title = "Chief Executive Officer"
    company = factory.Sequence(lambda n: f"Northwind Agency {n}")
    company_domain = factory.LazyAttribute(lambda o: o.email.rsplit("@", 1)[-1])
    industry = "agency"
    employee_count = 120
    revenue_band = "$10M-$50M"
    tech_stack = factory.LazyFunction(lambda: ["HubSpot", "Slack"])
    signals = factory.LazyFunction(lambda: {"page_views": 4, "demo_request": False})
    status = LeadStatus.NEW
