"""Demo queue for ``manage.py seed_demo``: a small, realistic inbox across tiers and states.

Items go through ``approvals.queue.submit`` (so the rubric really runs) and decisions through
``approvals.decisions``. Idempotent: each item has a fixed idempotency key and is only aged or
decided when it is created. The agents' pipeline produces the real thing; this is a first look.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from agents.choices import LeadSource, LeadStatus
from agents.models import Lead
from approvals import decisions
from approvals.choices import QueueItemKind, SuppressionReason, SuppressionSource
from approvals.compliance import with_footer
from approvals.models import QueueEvent, QueueItem
from approvals.queue import submit
from approvals.suppression import suppress

LEADS = [
    # email, first, last, title, company, industry, employees, tier
    (
        "maya.chen@brightpath-agency.example",
        "Maya",
        "Chen",
        "Founder & CEO",
        "Brightpath Agency",
        "agency",
        85,
        "tier_1",
    ),
    (
        "tom.hale@hale-partners.example",
        "Tom",
        "Hale",
        "Managing Partner",
        "Hale & Partners",
        "legal",
        140,
        "tier_1",
    ),
    (
        "ines.ortiz@crestline-staffing.example",
        "Inés",
        "Ortiz",
        "COO",
        "Crestline Staffing",
        "staffing",
        260,
        "tier_1",
    ),
    (
        "priya.raman@ledgerly.example",
        "Priya",
        "Raman",
        "VP Operations",
        "Ledgerly",
        "b2b_software",
        320,
        "tier_2",
    ),
    (
        "ben.adler@northgate-it.example",
        "Ben",
        "Adler",
        "CIO",
        "Northgate IT Services",
        "it_services",
        450,
        "tier_2",
    ),
    (
        "sara.kim@medisight.example",
        "Sara",
        "Kim",
        "Head of Innovation",
        "MediSight Health",
        "healthcare",
        600,
        "tier_2",
    ),
    (
        "luis.moreno@acme-fab.example",
        "Luis",
        "Moreno",
        "Director of Operations",
        "Acme Fabrication",
        "manufacturing",
        380,
        "tier_3",
    ),
    (
        "dee.walsh@swiftroute.example",
        "Dee",
        "Walsh",
        "Director of IT",
        "SwiftRoute Logistics",
        "logistics",
        210,
        "tier_3",
    ),
    (
        "omar.haddad@keystone-build.example",
        "Omar",
        "Haddad",
        "Director of Data",
        "Keystone Build",
        "construction",
        150,
        "tier_3",
    ),
]

ANGLES = {
    "tier_1": (
        "margin",
        "Agencies cut proposal turnaround by 38% with CAIO drafting from your past wins.",
        "Worth a 15-minute look next week?",
    ),
    "tier_2": (
        "research_time",
        "B2B software teams reduce SDR research time by 52% with CAIO.",
        "Open to a 20-minute call to see it on your accounts?",
    ),
    "tier_3": (
        "data_entry",
        "Logistics operators reduce manual data entry by 44% with CAIO.",
        "Worth a 15-minute call to compare notes?",
    ),
}

# (lead index, key suffix, hours old, variant, outcome)
ITEMS = [
    (0, "a", 1, "clean", None),
    (1, "a", 6, "clean", None),
    (2, "a", 11, "long_subject", None),
    (3, "a", 30, "clean", None),
    (4, "a", 2, "opener", None),
    (5, "a", 3, "placeholder", None),
    (6, "a", 5, "clean", "approve"),
    (7, "a", 20, "clean", "reject"),
    (8, "a", 4, "invented_stat", None),
    (1, "brief", 2, "brief", None),
]


def _lead(row) -> Lead:
    email, first, last, title, company, industry, employees, tier = row
    lead, _ = Lead.objects.get_or_create(
        email=email,
        defaults={
            "first_name": first,
            "last_name": last,
            "title": title,
            "company": company,
            "company_domain": email.rsplit("@", 1)[1],
            "industry": industry,
            "employee_count": employees,
            "revenue_band": "$10M-$50M",
            "tech_stack": ["HubSpot", "Slack", "Google Workspace"],
            "signals": {"page_views": 5, "downloads": 1, "demo_request": False},
            "source": LeadSource.DEMO,
            "status": LeadStatus.QUALIFIED,
            "tier": tier,
            "icp_score": {"tier_1": 86, "tier_2": 71, "tier_3": 55}[tier],
            "icp_rationale": [f"{title} matches the {tier.replace('_', ' ')} title taxonomy"],
            "qualified_at": timezone.now(),
        },
    )
    return lead


def _draft(lead: Lead, variant: str) -> dict:
    angle, proof, cta = ANGLES[lead.tier]
    subject = f"{lead.company}: a faster week for your team"
    opener = f"{lead.company} is hiring for three operations roles, which usually means the backlog is growing."
    if variant == "opener":
        opener = "I hope this email finds you well. " + opener
    if variant == "invented_stat":
        proof = "Construction firms save $2.4M a year and 63% of admin time with CAIO."
    text = f"Hi {lead.first_name},\n\n{opener}\n\n{proof}\n\n{cta}\n\nSam from CAIO"
    if variant == "long_subject":
        subject = f"{lead.company}: an idea about staffing workflows and proposals for this quarter"
    if variant == "placeholder":
        text = text.replace(lead.first_name, "{{first_name}}", 1)
    evidence = [
        {
            "kind": "company",
            "fact": f"{lead.company} lists three open operations roles",
            "source": f"https://{lead.company_domain}/careers",
        },
        {
            "kind": "role",
            "fact": f"{lead.title}s own team throughput in {lead.industry}",
            "source": "crm.read_contact",
        },
    ]
    return {
        "subject": subject,
        "body": with_footer(text, lead.email),
        "angle": angle,
        "evidence": evidence,
    }


def _backdate(item: QueueItem, hours: int) -> None:
    created = timezone.now() - timedelta(hours=hours)
    QueueItem.objects.filter(pk=item.pk).update(created_at=created)
    QueueEvent.objects.filter(item=item, event_type="created").update(created_at=created)
    item.created_at = created


@transaction.atomic
def seed(*, stdout, style) -> None:
    stdout.write(style.MIGRATE_HEADING("Approval queue demo"))
    hos = get_user_model().objects.filter(username="hos").first()
    leads = [_lead(row) for row in LEADS]
    suppressed = _lead(
        ("gone@quietfirm.example", "Ana", "Lopez", "CEO", "Quiet Firm", "consulting", 60, "tier_1")
    )
    suppress(
        email=suppressed.email,
        reason=SuppressionReason.UNSUBSCRIBED,
        source=SuppressionSource.ADMIN,
        note="demo",
    )
    created = 0
    plan = [*ITEMS, ("suppressed", "a", 1, "clean", None)]
    for index, suffix, hours, variant, outcome in plan:
        lead = suppressed if index == "suppressed" else leads[index]
        key = f"demo:{lead.email}:{suffix}"
        if QueueItem.objects.filter(idempotency_key=key).exists():
            continue
        if variant == "brief":
            item = submit(
                kind=QueueItemKind.CALL_PREP,
                lead=lead,
                agent="call_prep",
                subject=f"Call prep: {lead.company} (confidence 0.55)",
                body="Summary: legal practice growing through acquisitions; partners write proposals themselves.",
                idempotency_key=key,
                payload={
                    "summary": "Growing through acquisitions; proposal load on partners.",
                    "pain_points": ["Partner time lost to proposals"],
                    "objections": [
                        {"objection": "Confidentiality", "response": "Drafts stay in your tenant."}
                    ],
                    "recommended_approach": "Lead with partner hours reclaimed.",
                    "confidence": 0.55,
                },
            )
        else:
            draft = _draft(lead, variant)
            item = submit(
                kind=QueueItemKind.EMAIL,
                lead=lead,
                agent="draft_email",
                tier=lead.tier,
                idempotency_key=key,
                **draft,
            )
        _backdate(item, hours)
        created += 1
        if hos is not None and outcome == "approve":
            decisions.approve(item, actor=hos)
        elif hos is not None and outcome == "reject":
            decisions.reject(
                item,
                actor=hos,
                category="tone_style_issue",
                reason="Too generic for a director; name their routes.",
            )
    total = QueueItem.objects.filter(idempotency_key__startswith="demo:").count()
    stdout.write(f"  {created} demo queue item(s) created, {total} in total.")
