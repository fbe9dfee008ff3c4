from django.urls import path

from . import views

app_name = "deputy"

urlpatterns = [
    path("", views.home, name="home"),
    path("suggestions/new/", views.suggestion_new, name="suggestion_new"),
    path("suggestions/<int:pk>/", views.suggestion_detail, name="suggestion"),
    path("suggestions/<int:pk>/edit/", views.suggestion_edit, name="suggestion_edit"),
    path("suggestions/<int:pk>/submit/", views.suggestion_submit, name="suggestion_submit"),
    path("suggestions/<int:pk>/rate/", views.suggestion_rate, name="rate"),
    path("opinions/new/", views.opinion_new, name="opinion_new"),
    path("opinions/<int:pk>/act/", views.opinion_action, name="opinion_action"),
]
