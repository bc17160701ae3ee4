"""Forms of the profiling pages: they parse input; the services decide what is valid."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import RuleKind

IMPORT_KINDS = [
    ("retailers", _("Retailer master data")),
    ("specialists", _("Specialist master data")),
    ("orders", _("Orders (cigarette and non-tobacco, with SKUs)")),
    ("raw_values", _("Indicator values (terminal, trade area, …)")),
]


class ProfileImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=IMPORT_KINDS)
    file = forms.FileField(label=_("CSV or Excel file"),
                           help_text=_("The first row holds the column titles."))


class IndicatorRuleForm(forms.Form):
    rule_kind = forms.ChoiceField(label=_("Rule kind"), choices=RuleKind.choices)
    max_points = forms.FloatField(label=_("Maximum points"), min_value=0, max_value=100)
    rule_params = forms.CharField(label=_("Rule parameters (JSON)"), widget=forms.Textarea(
        attrs={"rows": 3, "cols": 48}))

    def clean_rule_params(self):
        try:
            return json.loads(self.cleaned_data["rule_params"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("This is not valid JSON.")) from exc


class DimensionForm(forms.Form):
    weight = forms.FloatField(label=_("Weight"), min_value=0, max_value=100)
    strength_threshold = forms.FloatField(label=_("Strength at or above"), min_value=0,
                                          max_value=100)
    weakness_threshold = forms.FloatField(label=_("Weakness below"), min_value=0, max_value=100)
    peer_margin = forms.FloatField(label=_("Peer margin"), min_value=0, max_value=100)
