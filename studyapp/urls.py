from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    # First: scripts call the SDK endpoint many times a second, and every pattern tried
    # before it costs (its paths, aws/ and api-access/, shadow no other).
    path("", include("studyapp.awsapi.urls")),
    path("", include("studyapp.notes.urls")),
    path("", include("studyapp.cards.urls")),
    path("", include("studyapp.quizzes.urls")),
    path("", include("studyapp.readiness.urls")),
    path("sims/", include("studyapp.sims.urls")),
    path("live/", include("studyapp.live.urls")),
    path("classroom/", include("studyapp.classroom.urls")),
    path("accounts/", include("studyapp.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
