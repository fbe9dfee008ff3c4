"""The API under ``/api/``: the resources, the token endpoint, the schema and its doc page."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter()
router.register("opinions", views.OpinionViewSet, basename="opinion")
router.register("suggestions", views.SuggestionViewSet, basename="suggestion")
router.register("assignments", views.AssignmentViewSet, basename="assignment")
router.register("extension-requests", views.ExtensionRequestViewSet, basename="extension-request")
router.register("commitments", views.CommitmentViewSet, basename="commitment")
router.register("categories", views.CategoryViewSet, basename="category")
router.register("result-classes", views.ResultClassViewSet, basename="result-class")
router.register("departments", views.DepartmentViewSet, basename="department")

urlpatterns = [
    path("token/", views.TokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
]
