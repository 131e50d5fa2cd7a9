"""Leads and the agents' own records."""

from django.conf import settings
from django.db import models

from agents.choices import AgentJobStatus, CallPrepStatus, LeadSource, LeadStatus, Tier
from traces.choices import AgentName


class Lead(models.Model):
    """A prospect the swarm may qualify, draft to and prepare meetings for.

    ``email`` is the natural key: imports and the API create or update by it. ICP fields are
    written only by the ``qualify`` agent.
    """

    # The fields that describe the prospect: the input of every agent job, the simulated CRM
    # record and the snapshot a golden case keeps.
    FACT_FIELDS = (
        "email",
        "first_name",
        "last_name",
        "title",
        "company",
        "company_domain",
        "industry",
        "employee_count",
        "revenue_band",
        "tech_stack",
        "signals",
        "notes",
    )

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
        # Who may hold them: caio_site.roles.
        permissions = [
            ("submit_lead", "Can create or update leads by email (API)"),
            ("requalify_lead", "Can re-run the qualification of leads"),
        ]
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

    @property
    def domain(self) -> str:
        """The company's domain: the one the lead gave, else its email's."""
        return (self.company_domain or self.email_domain).lower()

    def facts(self) -> dict:
        """The prospect's facts (``FACT_FIELDS``): an agent job's input, a golden case's lead."""
        return {name: getattr(self, name) for name in self.FACT_FIELDS}


class AgentJob(models.Model):
    """One agent run, keyed by (agent, lead, input hash) so a redelivered task does nothing twice.

    The ``qualify``/``draft_email``/``call_prep`` tasks claim their key here before working; a
    second delivery finds the row done and returns its recorded result.
    """

    agent = models.CharField(max_length=20, choices=AgentName)
    lead = models.ForeignKey(Lead, null=True, blank=True, on_delete=models.CASCADE)
    idempotency_key = models.CharField(max_length=64, unique=True)
    input_hash = models.CharField(max_length=64)
    status = models.CharField(max_length=20, choices=AgentJobStatus, default=AgentJobStatus.RUNNING)
    attempts = models.PositiveSmallIntegerField(default=0)
    correlation_id = models.CharField(max_length=128, blank=True)
    # The approvals QueueItem the job produced (plain id: the agents app does not depend on
    # the approvals migrations).
    queue_item_id = models.BigIntegerField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # admin changelist and the operator's "what did agent X do today" filter
            models.Index(
                fields=["agent", "status", "created_at"], name="agentjob_agent_status_idx"
            ),
            # lead change page: the jobs for one lead
            models.Index(fields=["lead", "created_at"], name="agentjob_lead_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.agent} lead={self.lead_id} ({self.status})"


class CallPrepJob(models.Model):
    """A request for a meeting brief; the ``call_prep`` agent fills ``brief`` and ``confidence``.

    Published when the confidence meets MeetingPrepPolicy's threshold, otherwise sent to the
    approval queue as a ``call_prep`` item (``queue_item_id``).
    """

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="call_prep_jobs")
    meeting_at = models.DateTimeField()
    meeting_notes = models.TextField(blank=True, help_text="Context from the requester (data).")
    status = models.CharField(max_length=20, choices=CallPrepStatus, default=CallPrepStatus.PENDING)
    brief = models.JSONField(default=dict, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    queue_item_id = models.BigIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    source = models.CharField(max_length=20, default="api")
    correlation_id = models.CharField(max_length=128, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # one brief per meeting: a repeated request (API retry, scan) returns the same job
            models.UniqueConstraint(
                fields=["lead", "meeting_at"], name="callprep_lead_meeting_uniq"
            ),
        ]
        indexes = [
            # pipeline_scan retries pending jobs, oldest first
            models.Index(
                fields=["created_at"],
                name="callprep_pending_idx",
                condition=models.Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"Call prep for {self.lead} at {self.meeting_at:%Y-%m-%d %H:%M}"
