"""The activities pages: the deputy's logging pages, the staff review lists, rosters and campaigns.

Mounted at ``/activities/`` by ``config/urls.py``; each audience package adds its routes here.
"""

app_name = "activities"

urlpatterns = []
