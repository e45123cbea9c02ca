from django import forms
from django.utils.translation import gettext_lazy as _

from .models import LearnerSettings, ReviewLog

MAX_IMPORT_BYTES = 1_000_000


class GradeForm(forms.Form):
    card = forms.IntegerField(min_value=1)
    key = forms.CharField(max_length=80)
    rating = forms.TypedChoiceField(choices=ReviewLog.Rating.choices, coerce=int)
    shown_at = forms.IntegerField(required=False, min_value=0)


class CramGradeForm(forms.Form):
    card = forms.IntegerField(min_value=1)
    rating = forms.TypedChoiceField(choices=ReviewLog.Rating.choices, coerce=int)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = LearnerSettings
        fields = ["desired_retention", "new_per_day", "reviews_per_day"]
        widgets = {
            "desired_retention": forms.NumberInput(
                attrs={"step": "0.01", "min": "0.70", "max": "0.97"}
            )
        }


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"), help_text=_("Columns: front, back, topic, tags. At most 1 MB.")
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        return upload
