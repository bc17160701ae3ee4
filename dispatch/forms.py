from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhifu.core.widgets import DatePicker

from .choices import DispatchMode


class RunForm(forms.Form):
    date = forms.DateField(label=_("Service date"), widget=DatePicker())
    districts = forms.MultipleChoiceField(label=_("Districts"), required=False,
                                          widget=forms.CheckboxSelectMultiple)
    mode = forms.ChoiceField(label=_("Mode"), choices=DispatchMode.choices,
                             initial=DispatchMode.COMMAND)
    seconds = forms.FloatField(label=_("Time limit per district (seconds)"), min_value=1,
                               max_value=600, initial=20)
    allow_cross_district = forms.BooleanField(label=_("Allow cross-district help"),
                                              required=False, initial=True)

    def __init__(self, *args, districts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["districts"].choices = [(str(d.id), d.name) for d in districts]
        self.fields["date"].initial = timezone.localdate()


class ReassignForm(forms.Form):
    specialist = forms.TypedChoiceField(label=_("Specialist"), coerce=int, required=False,
                                        empty_value=None)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)

    def __init__(self, *args, specialists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialist"].choices = [("", _("— back to the open list —"))] + [
            (s.pk, s.user.display_name) for s in specialists]
