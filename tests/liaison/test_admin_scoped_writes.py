"""Writes stay inside the writer's scope: every foreign key a scoped user can post in the admin.

The generator walks every registered admin (and its inlines), builds the add and change forms
as a township user and a liaison officer get them, and for every choice field whose model has
``visible_to`` posts the id of a row outside the user's area: the server refuses it. Rows the
edited record already holds stay accepted, so editing never drops a saved link.
"""

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms import ModelMultipleChoiceField
from django.test import RequestFactory

from deputies.models import DeputyGroup, StationAssignment
from liaison.admin_mixins import ScopedAdminMixin
from suggestions import workflow
from suggestions.models import Channel, Department, DepartmentLevel, Suggestion
from tests import factories as f


@pytest.fixture
def outside(network, role_users):
    """Rows of township B: what a township-A user or A's liaison officer may not link to."""
    b = network["b"]
    group = DeputyGroup.objects.create(name="河口镇代表小组", township=b, leader=network["deputy_b"])
    department = Department.objects.create(name="河口镇人民政府", level=DepartmentLevel.TOWNSHIP, township=b)
    opinion = workflow.opinion_create(content="河口村路灯不亮", channel=Channel.PHONE, station=network["b_village"])
    suggestion = Suggestion.objects.create(
        title="河口村路灯",
        content="修复路灯",
        category=f.category(),
        lead_deputy=network["deputy_b"],
        station=network["b_village"],
        township=b,
    )
    return {"group": group, "department": department, "opinion": opinion, "suggestion": suggestion}


def scoped_admins():
    """Every registered admin with scoped rights, and each of its inline classes."""
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, ScopedAdminMixin):
            yield model, model_admin


def choice_fields(form_class):
    for name, field in form_class.base_fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and hasattr(queryset, "visible_to"):
            yield name, field


def forms_for(model_admin, request, obj):
    """The admin's own form and its inlines' forms, as the page would build them for ``obj``,
    each with the rows whose saved values it holds (those values stay accepted)."""
    if model_admin.has_add_permission(request) or (obj and model_admin.has_change_permission(request, obj)):
        rows = model_admin.model._default_manager.filter(pk=getattr(obj, "pk", None))
        yield model_admin.model, model_admin.get_form(request, obj, change=obj is not None), rows
    for inline in model_admin.get_inline_instances(request, obj):
        formset = inline.get_formset(request, obj)
        rows = inline.model._default_manager.filter(**{formset.fk.name: getattr(obj, "pk", None)})
        yield inline.model, formset.form, rows


def refused(field, pk) -> bool:
    try:
        field.clean([pk] if isinstance(field, ModelMultipleChoiceField) else pk)
    except ValidationError:
        return True
    return False


@pytest.mark.parametrize("role", ["township", "liaison"])
def test_no_admin_form_accepts_an_out_of_scope_id(role_users, network, outside, role):
    user = role_users[role]
    request = RequestFactory().get("/admin/")
    request.user = user
    checked = []
    for model, model_admin in scoped_admins():
        in_scope = model_admin.get_queryset(request).first()
        for obj in {None, in_scope}:
            for form_model, form_class, rows in forms_for(model_admin, request, obj):
                for name, field in choice_fields(form_class):
                    related = field.queryset.model
                    foreign = related._default_manager.exclude(pk__in=related.objects.visible_to(user).values("pk"))
                    held = rows.exclude(**{f"{name}__isnull": True}).values(name)
                    for candidate in foreign.exclude(pk__in=held)[:3]:
                        assert refused(field, candidate.pk), (model.__name__, form_model.__name__, name, candidate)
                        checked.append((model.__name__, form_model.__name__, name))
    names = {(form_model, name) for _model, form_model, name in checked}
    # the writes reproduced in the issue are all among the checked fields
    expected = {("StationAssignment", "deputy"), ("Opinion", "deputies"), ("Opinion", "station")}
    if role == "township":  # the liaison officer only views groups, assessments and suggestions
        expected |= {("DeputyGroup", "members"), ("DeputyGroup", "leader"), ("StationAssessment", "station")}
        expected |= {("Suggestion", "co_signers"), ("Suggestion", "lead_deputy")}
    assert expected <= names, sorted(names)


def test_a_saved_link_outside_the_area_stays_editable(role_users, network):
    """A group of township A whose leader was stationed elsewhere keeps its leader on save."""
    user = role_users["township"]
    group = DeputyGroup.objects.create(name="城关镇代表小组", township=network["a"], leader=network["deputy_b"])
    request = RequestFactory().get("/admin/")
    request.user = user
    form_class = admin.site._registry[DeputyGroup].get_form(request, group, change=True)
    field = form_class.base_fields["leader"]
    assert field.clean(network["deputy_b"].pk) == network["deputy_b"]


def test_township_staff_cannot_put_another_townships_deputy_into_a_group(client, role_users, network):
    client.force_login(role_users["township"])
    response = client.post(
        "/admin/deputies/deputygroup/add/",
        {"name": "越界小组", "kind": "regional", "township": network["a"].pk, "members": [network["deputy_b"].pk]},
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not DeputyGroup.objects.filter(name="越界小组").exists()


def test_a_liaison_officer_cannot_station_a_deputy_of_another_township(client, role_users, network):
    client.force_login(role_users["liaison"])
    station = network["a_village"]
    url = f"/admin/stations/station/{station.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    before = StationAssignment.objects.count()
    response = client.post(url, station_page_data(page, station, new_deputy=network["deputy_b"]))
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert StationAssignment.objects.count() == before
    assert not StationAssignment.objects.filter(deputy=network["deputy_b"], station=station).exists()


def station_page_data(page, station, *, new_deputy=None, new_role="member", existing_role=None) -> dict:
    """The station change form as the page shows it, with an optional new assignment row."""
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data.update({"parent": station.parent_id, "kind": station.kind, "code": station.code, "name": station.name})
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        prefix = formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = formset.total_form_count()
        data[f"{prefix}-INITIAL_FORMS"] = formset.initial_form_count()
        for index, sub in enumerate(formset.forms):
            for name in sub.fields:  # what the browser would send: each field's shown value
                value = sub[name].value()
                if value not in (None, "", []) and not isinstance(value, list):
                    data[f"{prefix}-{index}-{name}"] = value
            if sub.instance.pk:
                data[f"{prefix}-{index}-id"] = sub.instance.pk
                if existing_role and "role" in sub.fields:
                    data[f"{prefix}-{index}-role"] = existing_role
            if new_deputy and "deputy" in sub.fields and index >= formset.initial_form_count():
                data[f"{prefix}-{index}-deputy"] = new_deputy.pk
                data[f"{prefix}-{index}-role"] = new_role
    return data


def test_a_second_station_master_is_a_form_error_not_a_crash(client, role_users, network):
    client.force_login(role_users["county"])
    station = network["a_village"]  # deputy_a is its master
    other = f.DeputyFactory(name="王五")
    url = f"/admin/stations/station/{station.pk}/change/"
    data = station_page_data(client.get(url), station, new_deputy=other, new_role="master")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "一个联络站只能有一位站长" in response.content.decode()
    assert not StationAssignment.objects.filter(deputy=other).exists()
    # handing over in one save (the old master becomes a member) is fine
    data = station_page_data(client.get(url), station, new_deputy=other, new_role="master", existing_role="member")
    assert client.post(url, data).status_code == 302
    assert StationAssignment.objects.get(station=station, role="master").deputy == other


def test_township_staff_save_their_own_center_station(client, role_users, network):
    """Its parent, the county hub, is outside their area but stays its saved value."""
    client.force_login(role_users["township"])
    station = network["a"]
    url = f"/admin/stations/station/{station.pk}/change/"
    data = station_page_data(client.get(url), station)
    data["address"] = "城关镇人民路8号"
    response = client.post(url, data)
    assert response.status_code == 302, [
        (inline.formset.prefix, inline.formset.errors, inline.formset.non_form_errors())
        for inline in response.context["inline_admin_formsets"]
    ] + [response.context["adminform"].form.non_field_errors()]
    station.refresh_from_db()
    assert station.address == "城关镇人民路8号" and station.parent_id == network["hub"].pk
    # but they cannot move it under a station of another township
    data["parent"] = network["b"].pk
    assert client.post(url, data).status_code == 200
    station.refresh_from_db()
    assert station.parent_id == network["hub"].pk
