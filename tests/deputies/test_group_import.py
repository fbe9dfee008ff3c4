"""Deputy groups as a spreadsheet through django-import-export: leader by phone, scope."""

import pytest

from deputies.models import DeputyGroup, GroupKind
from deputies.resources import DeputyGroupResource
from liaison.spreadsheets.resources import TabularCSV

HEADER = ["名称", "类型", "所属乡镇", "组长"]


def import_rows(rows, *, user=None):
    text = "\n".join(",".join(row) for row in [HEADER, *rows]) + "\n"
    return DeputyGroupResource(user=user).import_data(TabularCSV().create_dataset(text.encode()), dry_run=False)


def errors(result) -> dict[int, dict]:
    return {row.number: row.error_dict for row in result.invalid_rows}


@pytest.mark.parametrize("leader", ["张建国 13800000001", "张建国（138-0000-0001）", "13800000001"])
def test_a_group_is_created_with_its_leader_as_member(network, leader):
    result = import_rows([["城关法律小组", "专业小组", "城关镇中心联络站", leader]])
    assert not result.has_validation_errors(), errors(result)
    group = DeputyGroup.objects.get(name="城关法律小组")
    assert (group.kind, group.township, group.leader) == (GroupKind.FIELD, network["a"], network["deputy_a"])
    assert list(group.members.all()) == [network["deputy_a"]]


@pytest.mark.parametrize(
    ("leader", "message"),
    [
        ("张建国", "请填写代表的联系电话（可同时写姓名）：“张建国”。"),
        ("李秀英 13800000001", "未找到代表“李秀英 13800000001”。"),
        ("13899999999", "未找到代表“13899999999”。"),
    ],
)
def test_a_leader_that_cannot_be_found_is_refused(network, leader, message):
    result = import_rows([["城关法律小组", "专业小组", "A", leader]])
    assert errors(result)[1]["leader"] == [message]
    assert not DeputyGroup.objects.exists()


def test_township_staff_cannot_take_over_a_group_of_another_township(role_users, network):
    DeputyGroup.objects.create(name="河口小组", township=network["b"])
    result = import_rows([["河口小组", "区域小组", "A", ""]], user=role_users["township"])
    assert result.has_validation_errors()
    assert DeputyGroup.objects.get(name="河口小组").township == network["b"]
