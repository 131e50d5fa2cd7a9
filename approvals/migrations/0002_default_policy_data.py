"""Default Head of Sales policy data (DESIGN section 9). Everything here is editable in admin.

The data is written out here (not imported from the app) so this migration keeps producing the
same defaults when the code moves on. Existing rows are left alone: re-running never overwrites
what the Head of Sales changed.
"""

from django.db import migrations

CATEGORIES = [
    (
        "personalization_mismatch",
        "Personalization mismatch",
        "The personal details are wrong, generic or about someone else.",
        "regenerate",
        [
            "Mentions a product launch that was a different company's.",
            "Calls her VP Operations; she is COO.",
            "The 'recent funding' line is two years old.",
            "Personal detail is generic enough to fit any agency.",
            "References Boston office; they are in Austin.",
        ],
    ),
    (
        "icp_mismatch",
        "ICP mismatch",
        "The lead is not someone we sell to (wrong size, industry or role).",
        "suppress_lead",
        [
            "Company has 4 employees.",
            "This is a public school district.",
            "Contact is an intern, not a buyer.",
            "Non-profit; out of our ICP.",
            "They are a competitor.",
        ],
    ),
    (
        "campaign_mismatch",
        "Campaign mismatch",
        "The angle or offer belongs to another segment or campaign.",
        "regenerate",
        [
            "Uses the manufacturing angle for a law firm.",
            "Pitches the enterprise plan to a 60-person agency.",
            "Talks about Q4 promo that ended.",
            "Tier 3 messaging sent to a tier 1 founder.",
            "Wrong product line for a healthcare buyer.",
        ],
    ),
    (
        "tone_style_issue",
        "Tone or style issue",
        "Reads as pushy, stiff, salesy or off-brand.",
        "regenerate",
        [
            "Too pushy for a first touch.",
            "Sounds like a template; no human voice.",
            "Overly formal for a founder.",
            "Uses three exclamation marks.",
            "Flattery in the opener feels fake.",
        ],
    ),
    (
        "factual_inaccuracy",
        "Factual inaccuracy",
        "States something untrue about us, them or the market.",
        "manual_rewrite",
        [
            "Claims a SOC 2 Type II report we do not have yet.",
            "Says we integrate with SAP; we do not.",
            "Quotes a 60% figure that is not in our proof points.",
            "Wrong company name in the second paragraph.",
            "Misstates their headcount.",
        ],
    ),
    (
        "weak_subject",
        "Weak subject",
        "The subject line will not get opened or misleads.",
        "regenerate",
        [
            "Subject is just 'Hello'.",
            "Subject is clickbait unrelated to the body.",
            "Subject over 60 characters and cut off on mobile.",
            "Subject reads like a newsletter.",
            "Subject repeats the company name twice.",
        ],
    ),
    (
        "weak_cta",
        "Weak call to action",
        "No clear next step, or too many of them.",
        "regenerate",
        [
            "Asks for a 45-minute demo on a first touch.",
            "Three different asks in one email.",
            "No call to action at all.",
            "CTA is 'let me know your thoughts'.",
            "Asks them to fill in a long form.",
        ],
    ),
    (
        "length_issue",
        "Length issue",
        "Too long to read on a phone, or too short to say anything.",
        "regenerate",
        [
            "Five paragraphs; nobody reads that.",
            "Two lines with no value proposition.",
            "Wall of text without breaks.",
            "Repeats the value proposition twice.",
            "Long feature list instead of one outcome.",
        ],
    ),
    (
        "compliance_issue",
        "Compliance issue",
        "Breaks outreach rules: consent, footer, claims we may not make.",
        "manual_rewrite",
        [
            "Unsubscribe footer edited out.",
            "Makes a guarantee legal has not approved.",
            "Contacts an EU address without a lawful basis.",
            "Implies an existing relationship that does not exist.",
            "Mentions a client by name without permission.",
        ],
    ),
    (
        "placeholder_or_rendering_issue",
        "Placeholder or rendering issue",
        "Template leftovers, broken formatting or encoding.",
        "regenerate",
        [
            "'Hi {{first_name}}' left in the greeting.",
            "[COMPANY] placeholder in the subject.",
            "Broken characters in the company name.",
            "Signature block duplicated.",
            "Markdown asterisks show up in plain text.",
        ],
    ),
    (
        "queue_hygiene_non_actionable",
        "Queue hygiene / non-actionable",
        "The draft should not exist: duplicate, stale lead or already in conversation.",
        "suppress_lead",
        [
            "We already have an open deal with them.",
            "Lead left the company last month.",
            "Duplicate of a draft approved yesterday.",
            "Role-based address (info@) with nobody behind it.",
            "They asked us not to contact them by phone call already.",
        ],
    ),
    (
        "other",
        "Other",
        "Anything else; say what in the reason.",
        "manual_rewrite",
        [
            "Holding until after their earnings call.",
            "Sales leadership wants to contact them personally.",
            "Timing: their office is closed this week.",
            "Needs a partner introduction first.",
            "Legal review pending for this account.",
        ],
    ),
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

RUBRIC_CHECKS = [
    ("unsubscribe_link", "Unsubscribe link present", "hard", {}),
    ("sender_address", "Sender postal address present", "hard", {}),
    ("no_placeholder", "No unrendered placeholder", "hard", {}),
    ("body_not_empty", "Body not empty", "hard", {"min_words": 5}),
    ("recipient_not_suppressed", "Recipient not suppressed", "hard", {}),
    ("subject_length", "Subject at most 60 characters", "soft", {"max_chars": 60}),
    ("subject_not_all_caps", "Subject not all caps", "hard", {}),
    (
        "subject_no_reply_prefix",
        "No Re:/Fwd: on a first touch",
        "hard",
        {"prefixes": ["re", "fw", "fwd"]},
    ),
    ("banned_opener", "No banned opener", "soft", {"phrases": BANNED_OPENERS}),
    (
        "generic_density",
        "Generic phrases in at most 40% of sentences",
        "soft",
        {"phrases": GENERIC_PHRASES, "max_ratio": 0.4},
    ),
    (
        "spam_words",
        "No spam trigger words",
        "soft",
        {"phrases": ["act now", "risk free", "risk-free", "click here", "limited time"]},
    ),
    (
        "no_competitor_in_subject",
        "No competitor name in the subject",
        "soft",
        {"competitors": ["Outreach", "Salesloft", "Apollo", "Clay", "Artisan", "11x", "Regie.ai"]},
    ),
    ("single_cta", "Exactly one call to action", "soft", {"patterns": CTA_PATTERNS}),
    ("evidence_coverage", "Company- and role-specific evidence", "hard", {}),
    ("groundedness", "Every statistic is an approved proof claim or lead data", "hard", {}),
]

STANDARDS = [
    {
        "tier": "tier_1",
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
        "tier": "tier_2",
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
        "tier": "tier_3",
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


def load_defaults(apps, schema_editor):
    RejectionCategory = apps.get_model("approvals", "RejectionCategory")
    RubricCheck = apps.get_model("approvals", "RubricCheck")
    SegmentStandard = apps.get_model("approvals", "SegmentStandard")
    SlaPolicy = apps.get_model("approvals", "SlaPolicy")
    MeetingPrepPolicy = apps.get_model("approvals", "MeetingPrepPolicy")
    SendingLimits = apps.get_model("approvals", "SendingLimits")

    for position, (key, name, description, policy, examples) in enumerate(CATEGORIES):
        RejectionCategory.objects.get_or_create(
            key=key,
            defaults={
                "name": name,
                "description": description,
                "policy": policy,
                "examples": examples,
                "position": position,
            },
        )
    for position, (key, name, severity, params) in enumerate(RUBRIC_CHECKS):
        RubricCheck.objects.get_or_create(
            key=key,
            defaults={"name": name, "severity": severity, "params": params, "position": position},
        )
    for standard in STANDARDS:
        SegmentStandard.objects.get_or_create(tier=standard["tier"], defaults=standard)
    if not SlaPolicy.objects.exists():
        SlaPolicy.objects.create(
            target_hours=4,
            at_risk_after_hours=8,
            breached_after_hours=24,
            max_age_hours=72,
            daily_capacity=50,
        )
    if not MeetingPrepPolicy.objects.exists():
        MeetingPrepPolicy.objects.create(
            required_fields=["summary", "pain_points", "objections", "recommended_approach"],
            min_pain_points=2,
            min_objections=2,
            confidence_threshold=0.7,
        )
    if not SendingLimits.objects.exists():
        SendingLimits.objects.create(per_day=25, per_hour=15, per_domain_per_hour=3)


class Migration(migrations.Migration):
    dependencies = [("approvals", "0001_initial")]

    operations = [migrations.RunPython(load_defaults, migrations.RunPython.noop)]
