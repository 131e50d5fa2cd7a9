"""Forms of the approval console's decisions."""

from __future__ import annotations

from django import forms

from approvals.models import RejectionCategory


class DraftDecisionForm(forms.Form):
    """The posted draft text and the version the Head of Sales reviewed."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    subject = forms.CharField(max_length=300, required=False)
    body = forms.CharField(required=False, strip=False)


class RejectForm(forms.Form):
    category = forms.ModelChoiceField(
        queryset=RejectionCategory.objects.filter(active=True),
        empty_label="Choose a category…",
        help_text="The category's policy runs after the rejection (regenerate, suppress…).",
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="Say what is wrong; regenerated drafts get this as feedback.",
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why the draft is rejected.")
        return reason


class SingleRejectForm(RejectForm):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
