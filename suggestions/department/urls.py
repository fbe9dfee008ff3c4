from django.urls import path

from . import views

app_name = "department"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/<str:action>/", views.assignment_action, name="action"),
]
