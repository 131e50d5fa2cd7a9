"""The default Head of Sales policy of DESIGN section 9: the one copy, as plain data.

Three readers: the data migration ``approvals/0002_default_policy_data`` loads it into a new
database once (``install``); the singleton policies' model field defaults are these values (so
``current()`` creating a missing row gives the same policy); ``RubricCheck.clean`` holds each
check's parameters to the keys and types of its defaults here. The rubric itself reads only the
``RubricCheck`` rows.

Editing this module changes new databases only: a migrated database keeps its rows, which the
Head of Sales owns in admin. To change a default on existing databases too, write a data
migration that updates the rows.
"""

from __future__ import annotations

import copy

from agents.choices import Tier
from approvals.choices import RejectionPolicy, Severity

REJECTION_CATEGORIES = [
    {
        "key": "personalization_mismatch",
        "name": "Personalization mismatch",
        "description": "The personal details are wrong, generic or about someone else.",
        "policy": RejectionPolicy.REGENERATE,
        "examples": [
            "Mentions a product launch that was a different company's.",
            "Calls her VP Operations; she is COO.",
            "The 'recent funding' line is two years old.",
            "Personal detail is generic enough to fit any agency.",
            "References Boston office; they are in Austin.",
        ],
    },
    {
        "key": "icp_mismatch",
        "name": "ICP mismatch",
        "description": "The lead is not someone we sell to (wrong size, industry or role).",
        "policy": RejectionPolicy.SUPPRESS_LEAD,
        "examples": [
            "Company has 4 employees.",
            "This is a public school district.",
            "Contact is an intern, not a buyer.",
            "Non-profit; out of our ICP.",
            "They are a competitor.",
        ],
    },
    {
        "key": "campaign_mismatch",
        "name": "Campaign mismatch",
        "description": "The angle or offer belongs to another segment or campaign.",
        "policy": RejectionPolicy.REGENERATE,
        "examples": [
            "Uses the manufacturing angle for a law firm.",
            "Pitches the enterprise plan to a 60-person agency.",
            "Talks about Q4 promo that ended.",
            "Tier 3 messaging sent to a tier 1 founder.",
            "Wrong product line for a healthcare buyer.",
        ],
    },
    {
        "key": "tone_style_issue",
        "name": "Tone or style issue",
        "description": "Reads as pushy, stiff, salesy or off-brand.",
        "policy": RejectionPolicy.REGENERATE,
        "examples": [
            "Too pushy for a first touch.",
            "Sounds like a template; no human voice.",
            "Overly formal for a founder.",
            "Uses three exclamation marks.",
            "Flattery in the opener feels fake.",
        ],
    },
    {
        "key": "factual_inaccuracy",
        "name": "Factual inaccuracy",
        "description": "States something untrue about us, them or the market.",
        "policy": RejectionPolicy.MANUAL_REWRITE,
        "examples": [
            "Claims a SOC 2 Type II report we do not have yet.",
            "Says we integrate with SAP; we do not.",
            "Quotes a 60% figure that is not in our proof points.",
            "Wrong company name in the second paragraph.",
            "Misstates their headcount.",
        ],
    },
    {
        "key": "weak_subject",
        "name": "Weak subject",
        "description": "The subject line will not get opened or misleads.",
        "policy": RejectionPolicy.REGENERATE,
        "examples": [
            "Subject is just 'Hello'.",
            "Subject is clickbait unrelated to the body.",
            "Subject over 60 characters and cut off on mobile.",
            "Subject reads like a newsletter.",
            "Subject repeats the company name twice.",
        ],
    },
    {
        "key": "weak_cta",
        "name": "Weak call to action",
        "description": "No clear next step, or too many of them.",
        "policy": RejectionPolicy.REGENERATE,
        "examples": [
            "Asks for a 45-minute demo on a first touch.",
            "Three different asks in one email.",
            "No call to action at all.",
            "CTA is 'let me know your thoughts'.",
            "Asks them to fill in a long form.",
        ],
    },
    {
        "key": "length_issue",
        "name": "Length issue",
        "description": "Too long to read on a phone, or too short to say anything.",
        "policy": RejectionPolicy.REGENERATE,
        "examples": [
            "Five paragraphs; nobody reads that.",
            "Two lines with no value proposition.",
            "Wall of text without breaks.",
            "Repeats the value proposition twice.",
            "Long feature list instead of one outcome.",
        ],
    },
    {
        "key": "compliance_issue",
        "name": "Compliance issue",
        "description": "Breaks outreach rules: consent, footer, claims we may not make.",
        "policy": RejectionPolicy.MANUAL_REWRITE,
        "examples": [
            "Unsubscribe footer edited out.",
            "Makes a guarantee legal has not approved.",
            "Contacts an EU address without a lawful basis.",
            "Implies an existing relationship that does not exist.",
            "Mentions a client by name without permission.",
        ],
    },
    {
        "key": "placeholder_or_rendering_issue",
        "name": "Placeholder or rendering issue",
        "description": "Template leftovers, broken formatting or encoding.",
        "policy": RejectionPolicy.REGENERATE,
        "examples": [
            "'Hi {{first_name}}' left in the greeting.",
            "[COMPANY] placeholder in the subject.",
            "Broken characters in the company name.",
            "Signature block duplicated.",
            "Markdown asterisks show up in plain text.",
        ],
    },
    {
        "key": "queue_hygiene_non_actionable",
        "name": "Queue hygiene / non-actionable",
        "description": "The draft should not exist: duplicate, stale lead or already in conversation.",
        "policy": RejectionPolicy.SUPPRESS_LEAD,
        "examples": [
            "We already have an open deal with them.",
            "Lead left the company last month.",
            "Duplicate of a draft approved yesterday.",
            "Role-based address (info@) with nobody behind it.",
            "They asked us not to contact them by phone call already.",
        ],
    },
    {
        "key": "other",
        "name": "Other",
        "description": "Anything else; say what in the reason.",
        "policy": RejectionPolicy.MANUAL_REWRITE,
        "examples": [
            "Holding until after their earnings call.",
            "Sales leadership wants to contact them personally.",
            "Timing: their office is closed this week.",
            "Needs a partner introduction first.",
            "Legal review pending for this account.",
        ],
    },
]


BANNED_OPENERS = [
    "I hope this email finds you",
    "I wanted to reach out",
    "I'm reaching out",
    "Quick question",
    "Just wanted to",
    "Given your role as",
    "I came across",
]
GENERIC_PHRASES = [
    "in today's fast-paced",
    "take your business to the next level",
    "best-in-class",
    "cutting-edge",
    "game-changer",
    "game changer",
    "world-class",
    "innovative solution",
    "synergy",
    "leverage",
    "seamless",
    "revolutionize",
    "unlock",
    "empower",
    "drive growth",
    "boost productivity",
    "streamline your operations",
    "touch base",
    "circle back",
    "value proposition",
]
CTA_PATTERNS = [
    r"\bworth a\b",
    r"\bopen to\b",
    r"\bwould you be\b",
    r"\bare you free\b",
    r"\bbook a\b",
    r"\bschedule a\b",
    r"\bgrab \d+ min",
    r"\b\d+[- ]minute (?:call|chat)\b",
    r"\bquick call\b",
    r"\breply with\b",
    r"\blet me know if\b",
    r"\bhere'?s my calendar\b",
    r"\bshall we\b",
    r"\bcould we\b",
]

SPAM_WORDS = ["act now", "risk free", "risk-free", "click here", "limited time"]
COMPETITORS = ["Outreach", "Salesloft", "Apollo", "Clay", "Artisan", "11x", "Regie.ai"]

# Rubric checks in the order they run and are shown; each key names a function registered in
# approvals/rubric.py, whose parameters are exactly the keys of ``params``.
RUBRIC_CHECKS = [
    {
        "key": "unsubscribe_link",
        "name": "Unsubscribe link present",
        "severity": Severity.HARD,
        "params": {},
    },
    {
        "key": "sender_address",
        "name": "Sender postal address present",
        "severity": Severity.HARD,
        "params": {},
    },
    {
        "key": "no_placeholder",
        "name": "No unrendered placeholder",
        "severity": Severity.HARD,
        "params": {},
    },
    {
        "key": "body_not_empty",
        "name": "Body not empty",
        "severity": Severity.HARD,
        "params": {"min_words": 5},
    },
    {
        "key": "recipient_not_suppressed",
        "name": "Recipient not suppressed",
        "severity": Severity.HARD,
        "params": {},
    },
    {
        "key": "subject_length",
        "name": "Subject at most 60 characters",
        "severity": Severity.SOFT,
        "params": {"max_chars": 60},
    },
    {
        "key": "subject_not_all_caps",
        "name": "Subject not all caps",
        "severity": Severity.HARD,
        "params": {},
    },
    {
        "key": "subject_no_reply_prefix",
        "name": "No Re:/Fwd: on a first touch",
        "severity": Severity.HARD,
        "params": {"prefixes": ["re", "fw", "fwd"]},
    },
    {
        "key": "banned_opener",
        "name": "No banned opener",
        "severity": Severity.SOFT,
        "params": {"phrases": BANNED_OPENERS},
    },
    {
        "key": "generic_density",
        "name": "Generic phrases in at most 40% of sentences",
        "severity": Severity.SOFT,
        "params": {"phrases": GENERIC_PHRASES, "max_ratio": 0.4},
    },
    {
        "key": "spam_words",
        "name": "No spam trigger words",
        "severity": Severity.SOFT,
        "params": {"phrases": SPAM_WORDS},
    },
    {
        "key": "no_competitor_in_subject",
        "name": "No competitor name in the subject",
        "severity": Severity.SOFT,
        "params": {"competitors": COMPETITORS},
    },
    {
        "key": "single_cta",
        "name": "Exactly one call to action",
        "severity": Severity.SOFT,
        "params": {"patterns": CTA_PATTERNS},
    },
    {
        "key": "evidence_coverage",
        "name": "Company- and role-specific evidence",
        "severity": Severity.HARD,
        "params": {},
    },
    {
        "key": "groundedness",
        "name": "Every statistic is an approved proof claim or lead data",
        "severity": Severity.HARD,
        "params": {},
    },
]

SEGMENT_STANDARDS = [
    {
        "tier": Tier.TIER_1,
        "name": "Tier 1 — founders and C-suite at services firms",
        "angles": [
            {
                "key": "margin",
                "label": "Protect margin",
                "hook": "Every hour a partner spends on proposals is an hour not billed.",
                "value_prop": "CAIO drafts proposals and follow-ups from your past wins, so "
                "partners review instead of write.",
                "cta": "Worth a 15-minute look next week?",
            },
            {
                "key": "speed_to_lead",
                "label": "Speed to lead",
                "hook": "The first firm to answer an inbound request usually wins it.",
                "value_prop": "CAIO answers inbound requests within minutes with a brief "
                "your team can send as is.",
                "cta": "Open to a short call on Thursday?",
            },
        ],
        "subject_exemplars": [
            "Proposal turnaround at {company}",
            "{first_name}, partner hours on proposals",
            "Faster answers to inbound at {company}",
        ],
        "body_exemplars": [
            "Hi Dana,\n\nNorthwind's team page shows eleven new hires this quarter, which "
            "usually means more proposals than partners to write them.\n\nAgencies cut proposal "
            "turnaround by 38% with CAIO drafting from their past wins.\n\nWorth a 15-minute "
            "look next week?\n\nSam",
        ],
        "forbidden_claims": [
            "guaranteed revenue increase",
            "replaces your sales team",
            "100% accurate",
            "SOC 2 Type II certified",
        ],
        "forbidden_phrases": ["synergy", "game-changer", "disrupt", "circle back"],
        "proof_claims": [
            {
                "id": "t1_proposal_turnaround",
                "claim": "Agencies cut proposal turnaround by 38%",
                "source": "CAIO customer benchmark 2025 (42 agencies)",
            },
            {
                "id": "t1_inbound_speed",
                "claim": "Staffing firms answer inbound requests 4x faster",
                "source": "CAIO customer benchmark 2025 (18 staffing firms)",
            },
            {
                "id": "t1_partner_hours",
                "claim": "Consulting partners reclaim 12 hours a month of proposal writing",
                "source": "Customer interviews, Q3 2025",
            },
        ],
        "active": True,
    },
    {
        "tier": Tier.TIER_2,
        "name": "Tier 2 — technology and operations leaders in B2B software and services",
        "angles": [
            {
                "key": "research_time",
                "label": "Cut research time",
                "hook": "Your reps spend the morning researching accounts instead of talking "
                "to them.",
                "value_prop": "CAIO researches accounts and drafts the first touch with sources "
                "your reps can check.",
                "cta": "Open to a 20-minute call to see it on your accounts?",
            },
            {
                "key": "governed_ai",
                "label": "AI you can govern",
                "hook": "Most AI outreach tools cannot tell you what they sent or why.",
                "value_prop": "Every CAIO draft is approved by a human and every tool call is "
                "traced.",
                "cta": "Worth a short walkthrough with your security lead?",
            },
        ],
        "subject_exemplars": [
            "Account research at {company}",
            "Governed AI outreach for {company}",
        ],
        "body_exemplars": [
            "Hi Priya,\n\nYou are hiring four SDRs, and each will spend hours a week on "
            "account research.\n\nB2B software teams reduce SDR research time by 52% with "
            "CAIO.\n\nOpen to a 20-minute call to see it on your accounts?\n\nSam",
        ],
        "forbidden_claims": [
            "no security review needed",
            "fully autonomous",
            "HIPAA certified",
        ],
        "forbidden_phrases": ["leverage", "best-in-class", "revolutionize"],
        "proof_claims": [
            {
                "id": "t2_research_time",
                "claim": "B2B software teams reduce SDR research time by 52%",
                "source": "CAIO pilot cohort 2025 (9 software companies)",
            },
            {
                "id": "t2_meeting_rate",
                "claim": "IT services firms lift their meeting-booked rate by 27%",
                "source": "CAIO customer benchmark 2025",
            },
            {
                "id": "t2_compliance_signoff",
                "claim": "Financial services pilots reached compliance sign-off in 21 days",
                "source": "Pilot reports, 2025",
            },
        ],
        "active": True,
    },
    {
        "tier": Tier.TIER_3,
        "name": "Tier 3 — operations, IT and data directors in industrial businesses",
        "angles": [
            {
                "key": "quote_speed",
                "label": "Faster quotes",
                "hook": "Quotes that wait on manual data entry lose jobs to faster bidders.",
                "value_prop": "CAIO assembles quotes and follow-ups from your ERP data.",
                "cta": "Worth a 15-minute call to compare notes?",
            },
            {
                "key": "data_entry",
                "label": "Less manual entry",
                "hook": "Your coordinators retype the same order data into three systems.",
                "value_prop": "CAIO moves order and customer data between systems and drafts "
                "the customer updates.",
                "cta": "Open to a short call next week?",
            },
        ],
        "subject_exemplars": ["Quote turnaround at {company}", "Order data at {company}"],
        "body_exemplars": [
            "Hi Luis,\n\nAcme runs three plants on one ERP, and quotes still go out by hand."
            "\n\nLogistics operators reduce manual data entry by 44% with CAIO.\n\nWorth a "
            "15-minute call to compare notes?\n\nSam",
        ],
        "forbidden_claims": ["zero downtime", "replaces your ERP", "guaranteed savings"],
        "forbidden_phrases": ["digital transformation journey", "synergy"],
        "proof_claims": [
            {
                "id": "t3_data_entry",
                "claim": "Logistics operators reduce manual data entry by 44%",
                "source": "CAIO customer benchmark 2025 (11 logistics firms)",
            },
            {
                "id": "t3_site_visits",
                "claim": "Field-service teams schedule 31% more site visits",
                "source": "Customer case study, 2025",
            },
            {
                "id": "t3_quote_turnaround",
                "claim": "Manufacturers cut quote turnaround from 5 days to 2 days",
                "source": "Customer case study, 2025",
            },
        ],
        "active": True,
    },
]


SLA_POLICY = {
    "target_hours": 4,
    "at_risk_after_hours": 8,
    "breached_after_hours": 24,
    "max_age_hours": 72,
    "daily_capacity": 50,
}
MEETING_PREP_POLICY = {
    "required_fields": ["summary", "pain_points", "objections", "recommended_approach"],
    "min_pain_points": 2,
    "min_objections": 2,
    "confidence_threshold": 0.7,
}
SENDING_LIMITS = {"per_day": 25, "per_hour": 15, "per_domain_per_hour": 3}


def meeting_prep_required_fields() -> list[str]:
    """The model default of ``MeetingPrepPolicy.required_fields`` (a new list for each row)."""
    return list(MEETING_PREP_POLICY["required_fields"])


def install(apps) -> None:
    """Create the default rows that are missing, given an app registry (the migration's state or
    the real one). Existing rows are left alone, so nothing the Head of Sales changed is
    overwritten; a singleton policy is created only when it has no row at all."""
    RejectionCategory = apps.get_model("approvals", "RejectionCategory")
    RubricCheck = apps.get_model("approvals", "RubricCheck")
    SegmentStandard = apps.get_model("approvals", "SegmentStandard")
    for position, category in enumerate(REJECTION_CATEGORIES):
        fields = copy.deepcopy(category)
        RejectionCategory.objects.get_or_create(
            key=fields.pop("key"), defaults={**fields, "position": position}
        )
    for position, check in enumerate(RUBRIC_CHECKS):
        fields = copy.deepcopy(check)
        RubricCheck.objects.get_or_create(
            key=fields.pop("key"), defaults={**fields, "position": position}
        )
    for standard in SEGMENT_STANDARDS:
        fields = copy.deepcopy(standard)
        SegmentStandard.objects.get_or_create(tier=fields.pop("tier"), defaults=fields)
    for model_name, values in (
        ("SlaPolicy", SLA_POLICY),
        ("MeetingPrepPolicy", MEETING_PREP_POLICY),
        ("SendingLimits", SENDING_LIMITS),
    ):
        model = apps.get_model("approvals", model_name)
        if not model.objects.exists():
            model.objects.create(**copy.deepcopy(values))
