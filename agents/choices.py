from django.db import models


class LeadStatus(models.TextChoices):
    NEW = "new", "New"
    QUALIFIED = "qualified", "Qualified"
    DISQUALIFIED = "disqualified", "Disqualified"
    CONTACTED = "contacted", "Contacted"
    REPLIED = "replied", "Replied"
    MEETING_BOOKED = "meeting_booked", "Meeting booked"
    BOUNCED = "bounced", "Bounced"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"


# A later open/click/engagement event never overwrites these.
LEAD_TERMINAL_STATUSES = frozenset(
    {LeadStatus.BOUNCED, LeadStatus.UNSUBSCRIBED, LeadStatus.DISQUALIFIED}
)
# Nobody has been in touch yet: qualification may (re)decide these, and a first send moves a
# lead on from them to ``contacted``.
BEFORE_CONTACT_STATUSES = frozenset({LeadStatus.NEW, LeadStatus.QUALIFIED})


class Tier(models.TextChoices):
    TIER_1 = "tier_1", "Tier 1"
    TIER_2 = "tier_2", "Tier 2"
    TIER_3 = "tier_3", "Tier 3"
    DISQUALIFIED = "disqualified", "Disqualified"


class LeadSource(models.TextChoices):
    CSV = "csv", "CSV import"
    API = "api", "API"
    WEBHOOK = "webhook", "Provider webhook"
    DEMO = "demo", "Demo data"
    REPLAY = "replay", "Replay"


class AgentJobStatus(models.TextChoices):
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    SKIPPED = "skipped", "Skipped"
    FAILED = "failed", "Failed"


# A job in one of these is done: a redelivered task with the same key does nothing.
AGENT_JOB_DONE_STATUSES = frozenset({AgentJobStatus.SUCCEEDED, AgentJobStatus.SKIPPED})


class CallPrepStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PUBLISHED = "published", "Published"
    IN_REVIEW = "in_review", "Queued for review"
    FAILED = "failed", "Failed"


CALL_PREP_TERMINAL_STATUSES = frozenset(
    {CallPrepStatus.PUBLISHED, CallPrepStatus.IN_REVIEW, CallPrepStatus.FAILED}
)
