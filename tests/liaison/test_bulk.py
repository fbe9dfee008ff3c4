"""Multi-row inserts fill columns exactly as bulk_create would."""

import datetime

import pytest
from django.utils import timezone

from deputies.models import Deputy, Mandate, StationAssignment
from liaison.bulk import insert_rows
from tests import factories as f


def test_given_columns_defaults_and_timestamps_are_written(db):
    before = timezone.now()
    written = insert_rows(
        Deputy,
        ("name", "phone", "birth_month", "gender"),
        [("张建国", "13800000001", datetime.date(1975, 3, 1), "M"), ("李秀英", "", None, "F")],
    )
    assert written == 2
    zhang, li = Deputy.objects.order_by("id")
    assert (zhang.name, zhang.phone, zhang.birth_month, zhang.gender) == (
        "张建国",
        "13800000001",
        datetime.date(1975, 3, 1),
        "M",
    )
    assert (li.birth_month, li.ethnicity, li.is_active, li.user_id) == (None, "", True, None)
    assert zhang.code != li.code and len(zhang.code) == 10
    assert before <= zhang.created_at == zhang.updated_at <= timezone.now()


def test_rows_are_cut_into_batches(db, django_assert_max_num_queries):
    deputy = f.DeputyFactory()
    rows = [(deputy.pk, "county", f"第{n}届", "") for n in range(1, 500)]
    with django_assert_max_num_queries(10):
        insert_rows(Mandate, ("deputy_id", "level", "term", "constituency"), rows, batch_rows=100)
    assert Mandate.objects.filter(deputy=deputy, is_active=True).count() == 499


def test_foreign_keys_and_choice_defaults(network):
    insert_rows(StationAssignment, ("deputy_id", "station_id"), [(network["deputy_b"].pk, network["a_village"].pk)])
    assignment = StationAssignment.objects.get(deputy=network["deputy_b"], station=network["a_village"])
    assert assignment.role == "member" and assignment.created_at is not None


def test_unknown_columns_are_refused(db):
    with pytest.raises(ValueError, match="no columns"):
        insert_rows(Deputy, ("name", "nickname"), [("张建国", "小张")])


def test_update_column_sets_each_row_its_own_value_and_leaves_others(network):
    from liaison.bulk import update_column
    from stations.models import Station

    a, b, untouched = network["a_village"], network["b_village"], network["a_area"]
    update_column(Station, "address", {a.pk: "东门村委会", b.pk: "河口村委会"})
    assert Station.objects.get(pk=a.pk).address == "东门村委会"
    assert Station.objects.get(pk=b.pk).address == "河口村委会"
    assert Station.objects.get(pk=untouched.pk).address == untouched.address
    update_column(Station, "address", {})
