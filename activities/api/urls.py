"""The activities resources of the REST API, mounted under ``/api/`` beside the lifecycle's."""

from rest_framework.routers import SimpleRouter

app_name = "activities_api"

router = SimpleRouter()

urlpatterns = [*router.urls]
