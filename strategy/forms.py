from django import forms
from django.utils.translation import gettext_lazy as _

from demands.models import CatalogueItem

from .choices import ConditionKind
from .models import GradeBandTemplate, StrategyRule
from .selectors import condition_parameter_choices


def _items():
    return CatalogueItem.objects.filter(active=True).order_by("tier", "sort_order")


class TemplateForm(forms.ModelForm):
    items = forms.ModelMultipleChoiceField(queryset=None, required=False,
                                           widget=forms.CheckboxSelectMultiple,
                                           label=_("Services offered"))
    talking_points_text = forms.CharField(label=_("Talking points (one per line)"),
                                          required=False, widget=forms.Textarea(attrs={"rows": 4}))

    class Meta:
        model = GradeBandTemplate
        fields = ["visit_cycle_days", "visit_minutes", "visit_priority"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = _items()
        if self.instance.pk:
            self.fields["items"].initial = list(self.instance.items.all())
            self.fields["talking_points_text"].initial = "\n".join(self.instance.talking_points)


class RuleForm(forms.ModelForm):
    items = forms.ModelMultipleChoiceField(queryset=None, required=False,
                                           widget=forms.CheckboxSelectMultiple,
                                           label=_("Recommended services"))
    # Offered as a list in words; the service checks the value against the condition.
    parameter = forms.CharField(label=_("Condition parameter"), required=False, max_length=40,
                                widget=forms.Select,
                                help_text=_("The dimension, customer segment, market type or "
                                            "drop of points the condition is about."))

    class Meta:
        model = StrategyRule
        fields = ["code", "name", "condition", "reason", "talking_point", "visit_cycle_days",
                  "priority", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = _items()
        self.fields["condition"].choices = ConditionKind.choices
        if self.instance.pk:
            self.fields["items"].initial = list(self.instance.items.all())
            params = self.instance.condition_params or {}
            self.fields["parameter"].initial = next(iter(params.values()), "")
        current = str(self.data.get("parameter") or self.fields["parameter"].initial or "")
        self.fields["parameter"].widget.choices = condition_parameter_choices(current)
