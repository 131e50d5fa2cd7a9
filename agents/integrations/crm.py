"""CRM integration: contact records and account relationships (customer, competitor)."""

from __future__ import annotations

from agents.integrations import NotConfigured, dataset
from agents.models import Lead


class Simulated:
    """Simulated CRM over agents/data/crm.json (accounts, contacts, excluded domains)."""

    # Contacts not in the dataset are read from our own Lead table (the local record of the
    # contact), so this adapter runs in the caller's thread and sees its transaction.
    runs_inline = True

    def read_contact(self, *, email: str = "", contact_id: str = "", timeout=None) -> dict:
        data = dataset("crm")
        email = (email or "").strip().lower()
        contact_id = str(contact_id or "").strip()
        for contact in data["contacts"]:
            if (email and contact["email"] == email) or (
                contact_id and contact.get("contact_id") == contact_id
            ):
                return {"found": True, "contact": dict(contact), "source": "crm:simulated"}
        if email:
            lead = (
                Lead.objects.filter(email__iexact=email).values(*Lead.FACT_FIELDS, "status").first()
            )
            if lead is not None:
                return {"found": True, "contact": lead, "source": "crm:simulated (lead record)"}
        return {"found": False, "contact": None, "source": "crm:simulated"}

    def lookup_account(self, *, domain: str, timeout=None) -> dict:
        data = dataset("crm")
        domain = (domain or "").strip().lower()
        excluded = any(domain == d or domain.endswith("." + d) for d in data["excluded_domains"])
        for account in data["accounts"]:
            if account["domain"] == domain:
                return {
                    "found": True,
                    **account,
                    "excluded": excluded,
                    "source": "crm:simulated",
                }
        return {
            "found": False,
            "domain": domain,
            "relationship": "",
            "excluded": excluded,
            "source": "crm:simulated",
        }


class Live:
    """Live CRM (no provider wired yet: every call raises NotConfigured)."""

    def read_contact(self, **kwargs) -> dict:
        raise NotConfigured("crm live mode has no provider configured")

    def lookup_account(self, **kwargs) -> dict:
        raise NotConfigured("crm live mode has no provider configured")
