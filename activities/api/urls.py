"""The activities resources of the REST API, mounted under ``/api/`` beside the lifecycle's."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import duty, views

app_name = "activities_api"

router = SimpleRouter()
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("activity-types", views.ActivityTypeViewSet, basename="activity-type")
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("duties", duty.DutyViewSet, basename="duty")
router.register("leave-requests", duty.LeaveViewSet, basename="leave-request")
router.register("grids", duty.GridViewSet, basename="grid")

urlpatterns = [
    path("reception-days/", duty.ReceptionDaysView.as_view(), name="reception-days"),
    *router.urls,
]
