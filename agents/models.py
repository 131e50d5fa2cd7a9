"""Leads and the agents' own records."""

from django.db import models

from agents.choices import LeadSource, LeadStatus, Tier


class Lead(models.Model):
    """A prospect the swarm may qualify, draft to and prepare meetings for.

    ``email`` is the natural key: imports and the API create or update by it. ICP fields are
    written only by the ``qualify`` agent.
    """

    email = models.EmailField(unique=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    title = models.CharField(max_length=200, blank=True)
    company = models.CharField(max_length=200, blank=True)
    company_domain = models.CharField(max_length=253, blank=True)
    industry = models.CharField(max_length=100, blank=True)
    employee_count = models.PositiveIntegerField(null=True, blank=True)
    revenue_band = models.CharField(max_length=50, blank=True)
    tech_stack = models.JSONField(default=list, blank=True)
    signals = models.JSONField(
        default=dict, blank=True, help_text="page_views, downloads, demo_request, source…"
    )
    notes = models.TextField(blank=True)
    source = models.CharField(max_length=20, choices=LeadSource, default=LeadSource.API)
    status = models.CharField(max_length=20, choices=LeadStatus, default=LeadStatus.NEW)
    icp_score = models.PositiveSmallIntegerField(null=True, blank=True)
    tier = models.CharField(max_length=20, choices=Tier, blank=True)
    icp_rationale = models.JSONField(default=list, blank=True)
    qualified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # pipeline_scan: leads by status, oldest activity first
            models.Index(fields=["status", "updated_at"], name="lead_status_updated_idx"),
            # suppression and webhook lookups by domain
            models.Index(fields=["company_domain"], name="lead_domain_idx"),
        ]

    def __str__(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return f"{name or self.email} ({self.company})" if self.company else (name or self.email)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def email_domain(self) -> str:
        return self.email.rsplit("@", 1)[-1].lower()
