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
