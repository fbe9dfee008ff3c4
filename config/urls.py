from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from liaison import views as inbox_views

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("inbox/", inbox_views.inbox, name="inbox"),
    path("inbox/read/", inbox_views.inbox_read, name="inbox_read_all"),
    path("inbox/<int:pk>/read/", inbox_views.inbox_read, name="inbox_read"),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The public lifecycle pages first: they serve /stations/<code>/opinion/ and /deputies/<code>/opinion/.
    path("", include("suggestions.public.urls")),
    path("stations/", include("stations.urls")),
    path("deputies/", include("deputies.urls")),
    path("dept/", include("suggestions.department.urls")),
    path("files/", include("suggestions.files")),
    path("me/", include("suggestions.deputy.urls")),
    path("activities/", include("activities.urls")),
    path("api/", include("suggestions.api.urls")),
    path("api/", include("activities.api.urls")),
]
