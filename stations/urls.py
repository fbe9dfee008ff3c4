from django.urls import path

from . import views

app_name = "stations"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/qr.<str:fmt>", views.qr_code, name="qr"),
    path("<str:code>/poster/", views.poster, name="poster"),
]
