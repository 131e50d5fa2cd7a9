"""Forms of the approval console's decisions."""

from __future__ import annotations

from django import forms

from approvals.models import RejectionCategory


class DraftDecisionForm(forms.Form):
    """The draft text as the Head of Sales leaves it and the version they reviewed (the change
    page's decision buttons post it to the approve views)."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    # Room to read and edit the whole draft, footer included.
    subject = forms.CharField(
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"size": 90, "style": "width: 100%; max-width: 50em"}),
    )
    body = forms.CharField(
        required=False, strip=False, widget=forms.Textarea(attrs={"rows": 18, "cols": 100})
    )

    def clean_body(self):
        # Browsers post CRLF line ends; the stored draft has LF.
        return self.cleaned_data["body"].replace("\r\n", "\n")


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
