from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path("quiz/practice/", views.practice, name="practice"),
    path("quiz/practice/answer/", views.practice_answer, name="practice_answer"),
    path("quiz/practice/summary/", views.practice_summary, name="practice_summary"),
    path("exam/", views.exam_home, name="exam_home"),
    path("exam/start/", views.exam_start, name="exam_start"),
    path("exam/<int:attempt_id>/q/<int:position>/", views.exam_question, name="exam_question"),
    path("exam/<int:attempt_id>/q/<int:position>/answer/", views.exam_answer, name="exam_answer"),
    path("exam/<int:attempt_id>/review/", views.exam_review, name="exam_review"),
    path("exam/<int:attempt_id>/finish/", views.exam_finish, name="exam_finish"),
    path("exam/<int:attempt_id>/results/", views.exam_results, name="exam_results"),
]
