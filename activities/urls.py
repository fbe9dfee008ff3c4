"""The activities pages: the deputy's logging pages, the staff review lists, rosters and campaigns.

Mounted at ``/activities/`` by ``config/urls.py``; each audience package adds its routes here.
"""

from django.urls import path

from .admin import progress, review, rosters
from .deputy import duty
from .deputy import views as deputy_views

app_name = "activities"

duty_urlpatterns = [
    path("duty/mine/", duty.mine, name="my_duties"),
    path("duty/<int:pk>/leave/", duty.ask_leave, name="duty_leave"),
    path("duty/check-in/<str:code>/", duty.check_in, name="duty_check_in"),
    path("duty/missed/", rosters.missed, name="missed_duties"),
    path("duty/leave/", rosters.leave_list, name="leave_list"),
    path("duty/leave/<int:pk>/decide/", rosters.leave_decision, name="leave_decide"),
    path("rosters/", rosters.roster_index, name="roster_index"),
    path("rosters/<str:code>/<int:year>/<int:month>/", rosters.roster, name="roster"),
]

activity_urlpatterns = [
    path("log/", deputy_views.log, name="log"),
    path("mine/", deputy_views.mine, name="mine"),
    path("<int:pk>/", deputy_views.detail, name="detail"),
    path("<int:pk>/edit/", deputy_views.edit, name="edit"),
    path("<int:pk>/review/", review.review_action, name="review_action"),
    path("photos/<int:pk>/", deputy_views.photo, name="photo"),
    path("deputies/search/", deputy_views.deputy_search, name="deputy_search"),
    path("review/", review.review_list, name="review"),
    path("campaigns/", progress.campaign_list, name="campaigns"),
    path("campaigns/<int:pk>/", progress.campaign_detail, name="campaign"),
]

urlpatterns = [*activity_urlpatterns, *duty_urlpatterns]
