from django.apps import AppConfig


class AuthoringConfig(AppConfig):
    name = "studyapp.authoring"
    verbose_name = "Authoring"
