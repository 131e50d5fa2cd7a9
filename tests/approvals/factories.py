"""Draft text and evidence for approvals tests (drafts go through approvals.queue.submit)."""

from __future__ import annotations

from approvals.compliance import with_footer


def draft_body(lead, text: str | None = None) -> str:
    """A draft that passes every default rubric check, with the recipient's real footer."""
    text = text or (
        f"Hi {lead.first_name},\n\n"
        f"{lead.company} added eleven people to the team page this quarter, which usually means "
        f"more proposals than partners to write them.\n\n"
        f"Agencies cut proposal turnaround by 38% with CAIO drafting from their past wins.\n\n"
        f"Worth a 15-minute look next week?\n\nSam"
    )
    return with_footer(text, lead.email)


def good_evidence(lead) -> list[dict]:
    return [
        {
            "kind": "company",
            "fact": f"{lead.company} lists eleven new hires on its team page this quarter",
            "source": f"https://{lead.company_domain}/team",
        },
        {
            "kind": "role",
            "fact": f"{lead.title}s at agencies own proposal turnaround",
            "source": "crm.read_contact",
        },
    ]
