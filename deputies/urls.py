from django.urls import path

from . import views

app_name = "deputies"

urlpatterns = [
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/qr.<str:fmt>", views.qr_code, name="qr"),
]
