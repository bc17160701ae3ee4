"""Forms of the demand pages: they parse input; services decide."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from profiling.choices import Segment
from zhifu.accounts.choices import BusinessFormat, GradeBand, MarketType
from zhifu.accounts.models import Skill
from zhifu.core.widgets import DateTimePicker

from .choices import ApprovalLevel, DemandKind, Tier
from .models import CatalogueItem

NEED_KINDS = [(k, label) for k, label in DemandKind.choices if k != DemandKind.SERVICE]


def new_token() -> str:
    return uuid.uuid4().hex



class SubmissionTokenField(forms.CharField):
    """The hidden one-time token a phone form is rendered with: a double tap or a resent
    form carries the same token, so the second submission is recognised, never stored."""

    def __init__(self, **kwargs):
        super().__init__(widget=forms.HiddenInput, required=True, max_length=64,
                         error_messages={"required": _("This form has expired; open it "
                                                       "again.")}, **kwargs)

class OrderForm(forms.Form):
    preferred_start = forms.DateTimeField(
        label=_("Preferred from"), required=False,
        widget=DateTimePicker(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    preferred_end = forms.DateTimeField(
        label=_("Preferred until"), required=False,
        widget=DateTimePicker(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    note = forms.CharField(label=_("Note"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    client_token = SubmissionTokenField()


class NeedForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of request"), choices=NEED_KINDS,
                             initial=DemandKind.PERSONALISED)
    text = forms.CharField(label=_("What do you need?"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 5}))
    photo = forms.FileField(label=_("Photo (optional)"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))
    client_token = SubmissionTokenField()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ManagerActionForm(forms.Form):
    action = forms.CharField(max_length=24)
    reason = forms.CharField(required=False, max_length=1000)
    specialist = forms.IntegerField(required=False, min_value=1)
    handler = forms.IntegerField(required=False, min_value=1)
    planned_start = forms.DateTimeField(required=False,
                                        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    reply_due_on = forms.DateField(required=False)
    answer = forms.CharField(required=False, max_length=2000)
    adopted = forms.NullBooleanField(required=False)
    point = forms.CharField(required=False, max_length=200)
    item = forms.IntegerField(required=False, min_value=1)
    into = forms.IntegerField(required=False, min_value=1)


class TriageForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Existing service"), required=False,
                                  queryset=CatalogueItem.objects.filter(active=True))
    new_tier = forms.ChoiceField(label=_("Or a new service in tier"), required=False,
                                 choices=[("", "—"), *Tier.choices])
    new_name = forms.CharField(label=_("New service name"), required=False, max_length=64)


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class CatalogueItemForm(forms.Form):
    name_zh = forms.CharField(label=_("Chinese name"), max_length=64)
    name_en = forms.CharField(label=_("English name"), max_length=96, required=False)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    grade_bands = forms.MultipleChoiceField(label=_("Eligible grade bands"), required=False,
                                            choices=GradeBand.choices,
                                            widget=forms.CheckboxSelectMultiple)
    market_types = forms.MultipleChoiceField(label=_("Eligible market types"), required=False,
                                             choices=MarketType.choices,
                                             widget=forms.CheckboxSelectMultiple)
    business_formats = forms.MultipleChoiceField(label=_("Eligible business formats"),
                                                 required=False, choices=BusinessFormat.choices,
                                                 widget=forms.CheckboxSelectMultiple)
    segments = forms.MultipleChoiceField(label=_("Eligible segments"), required=False,
                                         choices=Segment.choices,
                                         widget=forms.CheckboxSelectMultiple)
    checklist = forms.CharField(label=_("Compliance checklist (one point per line)"),
                                required=False, widget=forms.Textarea(attrs={"rows": 3}))
    approval_level = forms.ChoiceField(label=_("Approval level"), required=False,
                                       choices=ApprovalLevel.choices)
    response_hours = forms.IntegerField(label=_("Response time (working hours)"), min_value=1,
                                        max_value=2000)
    resolution_hours = forms.IntegerField(label=_("Resolution time (working hours)"),
                                          min_value=1, max_value=5000)
    service_minutes = forms.IntegerField(label=_("Capacity consumption (minutes)"),
                                         min_value=1, max_value=1440)
    impact_scope = forms.IntegerField(label=_("Impact scope (1-5)"), min_value=1, max_value=5)
    compliance_risk = forms.IntegerField(label=_("Compliance risk (1-5)"), min_value=1,
                                         max_value=5)
    capacity_pressure = forms.IntegerField(label=_("Capacity pressure (1-5)"), min_value=1,
                                           max_value=5)
    skills = forms.ModelMultipleChoiceField(label=_("Skills needed"), required=False,
                                            queryset=Skill.objects.all(),
                                            widget=forms.CheckboxSelectMultiple)
    active = forms.BooleanField(label=_("Offered"), required=False)

    def clean_checklist(self):
        return _lines(self.cleaned_data.get("checklist", ""))

    def clean(self):
        data = super().clean()
        if (data.get("resolution_hours") and data.get("response_hours")
                and data["resolution_hours"] < data["response_hours"]):
            self.add_error("resolution_hours",
                           _("The resolution time cannot be shorter than the response time."))
        return data

    @classmethod
    def initial_for(cls, item: CatalogueItem) -> dict:
        values = {name: getattr(item, name) for name in cls.base_fields if name != "skills"}
        values["checklist"] = "\n".join(item.checklist)
        values["skills"] = list(item.skills.all())
        return values
