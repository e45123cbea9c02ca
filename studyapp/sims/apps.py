from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SimsConfig(AppConfig):
    name = "studyapp.sims"
    verbose_name = _("Simulators")
