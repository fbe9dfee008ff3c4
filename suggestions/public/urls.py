"""Public addresses of the lifecycle, mounted at the site root (see ``liaison/urls.py``)."""

from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("stations/<str:code>/opinion/", views.station_opinion, name="station_opinion"),
    path("deputies/<str:code>/opinion/", views.deputy_opinion, name="deputy_opinion"),
    path("opinion/sent/", views.opinion_sent, name="opinion_sent"),
    path("track/", views.track, name="track"),
    path("s/", views.suggestion_list, name="suggestion_list"),
    path("s/<str:number>/", views.suggestion_detail, name="suggestion"),
]
