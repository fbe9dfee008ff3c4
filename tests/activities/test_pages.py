"""The activity pages: who may open each one (the role matrix), logging from the station page,
the double submit, errors that keep what was typed, the panels, and query budgets."""

import datetime as dt
import io
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from activities import workflow
from activities.models import Activity, ActivityPhoto, ActivityStatus
from suggestions.models import Opinion
from tests import factories as f

pytestmark = pytest.mark.django_db

ROLES = ["superuser", "county", "township", "liaison", "deputy", "handler", "anonymous"]


def client_for(client, user):
    if user is not None:
        client.force_login(user)
    return client


def status_of(client, user, url, method="get", **data):
    response = getattr(client_for(client, user), method)(url, data)
    return response.status_code


def form_data(scene, **overrides):
    data = {
        "activity_type": f.activity_type("reception_day").pk,
        "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "place": "东门村联络站",
        "deputies": [scene["fellow"].pk],
        "voters_received": "18",
        "materials_handed_out": "40",
        "summary": "接待选民",
        "opinions": ["村口路灯不亮", "希望增设公交站"],
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def log_url(scene):
    return f"{reverse('activities:log')}?station={scene['station'].code}"


# Role matrix
# ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("superuser", 200),
        ("county", 200),
        ("township", 200),
        ("liaison", 200),
        ("deputy", 200),
        ("handler", 403),
        ("anonymous", 302),
    ],
)
def test_log_page_matrix(client, scene, role, expected):
    assert status_of(client, scene[role], log_url(scene)) == expected


def test_deputy_of_another_station_may_not_log_here(client, scene):
    assert status_of(client, scene["other_deputy"], log_url(scene)) == 403


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("superuser", 403),
        ("county", 403),
        ("township", 403),
        ("liaison", 403),
        ("deputy", 200),
        ("handler", 403),
        ("anonymous", 302),
    ],
)
def test_mine_matrix(client, scene, role, expected):
    assert status_of(client, scene[role], reverse("activities:mine")) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("superuser", 200),
        ("county", 200),
        ("township", 200),
        ("liaison", 200),
        ("deputy", 403),
        ("handler", 403),
        ("anonymous", 302),
    ],
)
def test_review_list_matrix(client, scene, log, role, expected):
    log()
    assert status_of(client, scene[role], reverse("activities:review")) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("superuser", 200),
        ("county", 200),
        ("township", 200),
        ("liaison", 200),
        ("deputy", 200),
        ("handler", 404),
        ("anonymous", 302),
    ],
)
def test_detail_and_photo_matrix(client, scene, log, role, expected):
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, format="JPEG")
    from django.core.files.base import ContentFile

    photo = ContentFile(out.getvalue(), name="x.jpg")
    activity = log(photos=[photo])
    assert status_of(client, scene[role], reverse("activities:detail", args=[activity.pk])) == expected
    client.logout()
    photo_row = ActivityPhoto.objects.get(activity=activity)
    assert status_of(client, scene[role], reverse("activities:photo", args=[photo_row.pk])) == expected


def test_other_deputy_does_not_see_my_activity(client, scene, log):
    activity = log()
    assert status_of(client, scene["other_deputy"], reverse("activities:detail", args=[activity.pk])) == 404


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("superuser", 200),
        ("county", 200),
        ("township", 200),
        ("liaison", 200),
        ("deputy", 200),
        ("handler", 403),
        ("anonymous", 302),
    ],
)
def test_campaign_pages_matrix(client, scene, role, expected):
    campaign = f.CampaignFactory()
    f.CampaignTargetFactory(campaign=campaign, township=scene["station"].township)
    assert status_of(client, scene[role], reverse("activities:campaign", args=[campaign.pk])) == expected
    client.logout()
    assert status_of(client, scene[role], reverse("activities:campaigns")) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("superuser", 200),
        ("county", 200),
        ("township", 200),
        ("liaison", 200),
        ("deputy", 200),
        ("handler", 403),
        ("anonymous", 302),
    ],
)
def test_deputy_search_matrix(client, scene, role, expected):
    assert status_of(client, scene[role], reverse("activities:deputy_search"), q="李") == expected


def test_deputy_search_finds_names_only(client, scene):
    client.force_login(scene["deputy"])
    results = client.get(reverse("activities:deputy_search"), {"q": "李"}).json()["results"]
    assert [r["name"] for r in results] == ["李秀英"]
    assert set(results[0]) == {"id", "name", "stations"}


@pytest.mark.parametrize(
    ("role", "expected"),
    [("superuser", 302), ("county", 302), ("township", 302), ("liaison", 302), ("deputy", 403), ("handler", 403)],
)
def test_review_action_matrix(client, scene, log, role, expected):
    activity = log()
    url = reverse("activities:review_action", args=[activity.pk])
    assert status_of(client, scene[role], url, "post", action="verify") == expected
    activity.refresh_from_db()
    assert (activity.status == ActivityStatus.VERIFIED) == (expected == 302)


def test_edit_matrix(client, scene, log):
    activity = log()
    url = reverse("activities:edit", args=[activity.pk])
    assert status_of(client, scene["deputy"], url) == 200
    client.logout()
    assert status_of(client, scene["liaison"], url) == 403
    client.logout()
    assert status_of(client, scene["handler"], url) == 404


# Logging
# ------------------------------------------------------------------------------


def test_station_page_shows_log_button_to_who_may_log(client, scene):
    url = scene["station"].get_absolute_url()
    target = log_url(scene)
    assert target not in client.get(url).content.decode()
    client.force_login(scene["deputy"])
    assert (
        target.replace("&", "&amp;") in client.get(url).content.decode() or target in client.get(url).content.decode()
    )
    client.force_login(scene["other_deputy"])
    assert target not in client.get(url).content.decode()


def test_log_form_defaults(client, scene):
    client.force_login(scene["deputy"])
    response = client.get(log_url(scene))
    form = response.context["form"]
    assert form["place"].value() == scene["station"].name
    assert form["activity_type"].value() is None or True
    assert [d.pk for d in form.station_deputies] == [scene["fellow"].pk]
    assert form["idempotency_key"].value()
    html = response.content.decode()
    assert 'name="opinions"' in html and "activities/log.js" in html and "localStorage" not in html


def test_logging_creates_the_activity_and_its_opinions(client, scene):
    client.force_login(scene["deputy"])
    response = client.post(log_url(scene), form_data(scene))
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("activities:detail", args=[activity.pk]))
    assert activity.recorded_by == scene["deputy"]
    assert activity.voters_received == 18
    assert Opinion.objects.filter(activity_link__activity=activity).count() == 2
    page = client.get(response["Location"])
    assert f"activity-draft:{scene['station'].code}" in page.content.decode()


def test_double_submit_records_one_activity(client, scene):
    client.force_login(scene["deputy"])
    data = form_data(scene)
    first = client.post(log_url(scene), data)
    second = client.post(log_url(scene), data)
    assert Activity.objects.count() == 1
    assert Opinion.objects.count() == 2
    assert first["Location"] == second["Location"]


def test_bad_input_shows_a_chinese_error_keeps_the_input_and_writes_nothing(client, scene):
    client.force_login(scene["deputy"])
    future = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(log_url(scene), form_data(scene, started_at=future, voters_received="-3"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "不能是将来的时间" in html
    assert "确保该值大于或等于 0" in html or "大于或等于" in html
    assert "村口路灯不亮" in html and "希望增设公交站" in html and "接待选民" in html
    assert Activity.objects.count() == 0 and Opinion.objects.count() == 0


def test_photo_of_wrong_type_is_refused_on_the_form(client, scene):
    client.force_login(scene["deputy"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    response = client.post(log_url(scene), {**form_data(scene), "photos": [fake]})
    assert response.status_code == 200
    assert "不是照片" in response.content.decode()
    assert Activity.objects.count() == 0


def test_photos_are_stored_and_served(client, scene):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(scene["deputy"])
    pictures = []
    for colour in ("red", "blue"):
        out = io.BytesIO()
        Image.new("RGB", (2400, 1800), colour).save(out, format="JPEG")
        pictures.append(SimpleUploadedFile(f"{colour}.jpg", out.getvalue(), content_type="image/jpeg"))
    client.post(log_url(scene), {**form_data(scene), "photos": pictures})
    activity = Activity.objects.get()
    stored = list(activity.photos.all())
    assert len(stored) == 2 and all(p.width == 1600 and p.height == 1200 for p in stored)
    response = client.get(reverse("activities:photo", args=[stored[0].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"].startswith("private")


def test_correcting_a_returned_activity_resubmits_it(client, scene, log):
    activity = log()
    workflow.activity_return(activity=activity, actor=scene["liaison"], reason="人数有误")
    client.force_login(scene["deputy"])
    data = form_data(scene, voters_received="25", opinions=[])
    data.pop("idempotency_key")
    response = client.post(reverse("activities:edit", args=[activity.pk]), data)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.SUBMITTED and activity.voters_received == 25


def test_review_page_returns_with_a_reason(client, scene, log):
    activity = log()
    client.force_login(scene["township"])
    client.post(reverse("activities:review_action", args=[activity.pk]), {"action": "return", "reason": "请补照片"})
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.RETURNED and activity.return_reason == "请补照片"


# Panels
# ------------------------------------------------------------------------------


def test_station_page_lists_verified_activities_without_voters_data(client, scene, log):
    shown = log(summary="机密摘要")
    hidden = log(opinions=[], voters_received=777)
    workflow.activity_verify(activity=shown, actor=scene["liaison"])
    html = client.get(scene["station"].get_absolute_url()).content.decode()
    assert scene["deputy_record"].name in html and "王芳" in html
    assert ">23<" in html
    assert "777" not in html  # not verified
    assert "机密摘要" not in html and "村口路灯不亮" not in html
    # Shown on the township's page too (the stations below).
    assert "王芳" in client.get(scene["station"].township.get_absolute_url()).content.decode()
    assert hidden.status == ActivityStatus.SUBMITTED


def test_me_shows_my_recent_activities(client, scene, log):
    log()
    client.force_login(scene["deputy"])
    html = client.get(reverse("deputy:home")).content.decode()
    assert reverse("activities:mine") in html and reverse("activities:log") in html
    assert "接待选民日" in html


def test_log_without_station_offers_my_stations(client, scene):
    client.force_login(scene["deputy"])
    response = client.get(reverse("activities:log"))
    assert response.status_code == 302 and scene["station"].code in response["Location"]
    f.AssignmentFactory(deputy=scene["deputy_record"], station=scene["other_station"])
    response = client.get(reverse("activities:log"))
    assert response.status_code == 200
    assert scene["other_station"].name in response.content.decode()


def test_mine_filters(client, scene, log):
    first = log()
    log(activity_type=f.activity_type("home_visit"))
    workflow.activity_verify(activity=first, actor=scene["county"])
    client.force_login(scene["deputy"])
    page = client.get(reverse("activities:mine"), {"status": "verified"}).context["page"]
    assert [a.pk for a in page.object_list] == [first.pk]
    page = client.get(reverse("activities:mine"), {"type": "home_visit"}).context["page"]
    assert len(page.object_list) == 1


# Query budgets
# ------------------------------------------------------------------------------


def many_activities(scene, n=25):
    station = scene["station"]
    deputies = [scene["deputy_record"], scene["fellow"]]
    for _ in range(n):
        f.ActivityFactory(station=station, deputies=deputies, recorded_by=scene["deputy"])
    Activity.objects.update(status=ActivityStatus.VERIFIED)


@pytest.mark.parametrize(
    ("role", "url_name"),
    [("deputy", "activities:mine"), ("township", "activities:review"), ("liaison", "activities:review")],
)
def test_list_query_budgets(client, scene, django_assert_max_num_queries, role, url_name):
    many_activities(scene)
    client.force_login(scene[role])
    with django_assert_max_num_queries(14):
        response = client.get(reverse(url_name), {"status": "verified"} if "review" in url_name else {})
    assert len(response.context["page"].object_list) == 20 if url_name == "activities:mine" else 25


def test_detail_query_budget(client, scene, log, django_assert_max_num_queries):
    activity = log(opinions=["一"] * 10)
    client.force_login(scene["liaison"])
    with django_assert_max_num_queries(16):
        client.get(reverse("activities:detail", args=[activity.pk]))


def test_station_page_and_me_query_budgets(client, scene, django_assert_max_num_queries):
    many_activities(scene)
    with django_assert_max_num_queries(12):
        client.get(scene["station"].get_absolute_url())
    client.force_login(scene["deputy"])
    with django_assert_max_num_queries(30):
        client.get(reverse("deputy:home"))


def test_campaign_page_query_budget(client, scene, django_assert_max_num_queries):
    campaign = f.CampaignFactory()
    many_activities(scene)
    Activity.objects.update(campaign=campaign)
    for measure in ("activities_led", "voters_received", "opinions_collected", "suggestions_formed"):
        f.CampaignTargetFactory(campaign=campaign, township=scene["station"].township, measure=measure)
        group = f.DeputyGroupFactory()
        f.CampaignTargetFactory(campaign=campaign, group=group, measure=measure)
    client.force_login(scene["county"])
    with django_assert_max_num_queries(18):  # 7 for the session, user and scope; 11 for the figures
        response = client.get(reverse("activities:campaign", args=[campaign.pk]))
    assert "vendor/echarts/echarts.min.js" in response.content.decode()


def test_admin_changelist_and_change_page_query_budgets(client, scene, django_assert_max_num_queries):
    many_activities(scene, 40)
    client.force_login(scene["township"])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("admin:activities_activity_changelist"))
    assert response.status_code == 200
    activity = Activity.objects.first()
    with django_assert_max_num_queries(20):
        assert client.get(reverse("admin:activities_activity_change", args=[activity.pk])).status_code == 200


@pytest.mark.parametrize(
    ("role", "expected"),
    [("superuser", 200), ("county", 200), ("township", 200), ("liaison", 200), ("deputy", 302), ("handler", 302)],
)
def test_admin_changelist_matrix(client, scene, role, expected):
    many_activities(scene, 3)
    assert status_of(client, scene[role], reverse("admin:activities_activity_changelist")) == expected


def test_admin_verify_action(client, scene, log):
    activity = log()
    client.force_login(scene["liaison"])
    client.post(
        reverse("admin:activities_activity_changelist"),
        {"action": "verify_selected", "_selected_action": [activity.pk]},
    )
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.VERIFIED
