"""Departments as a spreadsheet through django-import-export, with our formats, rights and scope."""

import pytest
from django.urls import reverse

from liaison.spreadsheets.resources import TabularCSV, TabularXLSX
from suggestions.models import Department, DepartmentLevel
from suggestions.resources import DepartmentResource
from tests.spreadsheets import read_xlsx, upload, xlsx_bytes

HEADER = ["名称", "层级", "所属乡镇", "联系电话"]


def dataset(rows, *, encoding="utf-8"):
    text = "\n".join(",".join(row) for row in [HEADER, *rows]) + "\n"
    return TabularCSV().create_dataset(text.encode(encoding))


def import_rows(rows, *, user=None, dry_run=False, **kwargs):
    return DepartmentResource(user=user).import_data(dataset(rows, **kwargs), dry_run=dry_run)


def errors(result) -> dict[int, dict]:
    return {row.number: row.error_dict for row in result.invalid_rows}


def test_departments_are_created_and_updated_by_name(network):
    result = import_rows(
        [["县交通运输局", "县级部门", "", "0766-3821234"], ["城关镇人民政府", "乡镇", "城关镇中心联络站", ""]],
        encoding="gbk",
    )
    assert not result.has_validation_errors() and result.totals["new"] == 2
    county = Department.objects.get(name="县交通运输局")
    assert (county.level, county.township, county.phone) == (DepartmentLevel.COUNTY, None, "07663821234")
    township = Department.objects.get(name="城关镇人民政府")
    assert (township.level, township.township) == (DepartmentLevel.TOWNSHIP, network["a"])
    result = import_rows([["城关镇人民政府", "乡镇政府", "B", "13800001111"]])
    assert result.totals["update"] == 1
    township.refresh_from_db()
    assert (township.township, township.phone) == (network["b"], "13800001111")


def test_reimporting_the_same_rows_changes_nothing(network):
    rows = [["县交通运输局", "县级部门", "", "0766-3821234"]]
    import_rows(rows)
    result = import_rows(rows)
    assert result.totals["skip"] == 1 and result.totals["new"] == 0 and result.totals["update"] == 0


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (["", "县级部门", "", ""], "name", "单位名称未填写。"),
        (["县交通运输局", "省级", "", ""], "level", "“省级”不在可选值之内，请填写：县级部门、乡镇。"),
        (["城关镇人民政府", "乡镇", "", ""], "township", "乡镇政府必须指定所属乡镇。"),
        (["县交通运输局", "县级部门", "A", ""], "township", "县级部门不属于任何乡镇，请不要填写所属乡镇。"),
        (["城关镇人民政府", "乡镇", "东门村联络站", ""], "township", "未找到乡镇“东门村联络站”"),
        (["县交通运输局", "县级部门", "", "12345"], "phone", "联系电话“12345”不是有效的手机号码或带区号的固定电话。"),
    ],
)
def test_a_bad_row_is_refused_in_chinese_and_nothing_is_written(network, row, field, message):
    before = list(Department.objects.values_list("name", flat=True))
    result = import_rows([["县财政局", "县级部门", "", ""], row])
    assert any(text.startswith(message) for text in errors(result)[2][field]), errors(result)
    assert list(Department.objects.values_list("name", flat=True)) == before


def test_unreadable_files_raise_the_readers_message():
    from liaison.spreadsheets.tabular import TabularError

    with pytest.raises(TabularError, match="文件是空的"):
        TabularCSV().create_dataset(b"")
    data = xlsx_bytes([["县财政局", "县级部门", "", ""]], header=HEADER)
    assert TabularXLSX().create_dataset(data).headers == HEADER


@pytest.fixture
def county_client(client, role_users):
    client.force_login(role_users["county"])
    return client


def test_the_admin_import_previews_and_confirms(county_client, network):
    url = reverse("admin:suggestions_department_import")
    data = "\n".join([",".join(HEADER), "县交通运输局,县级部门,,0766-3821234"]).encode("gbk")
    preview = county_client.post(url, {"import_file": upload(data, "单位.csv"), "format": 0})
    assert preview.status_code == 200
    confirm = preview.context["confirm_form"]
    assert not Department.objects.filter(name="县交通运输局").exists()
    response = county_client.post(reverse("admin:suggestions_department_process_import"), confirm.initial)
    assert response.status_code == 302
    assert Department.objects.filter(name="县交通运输局").exists()


def test_the_admin_shows_a_read_problem_in_chinese(county_client, network):
    url = reverse("admin:suggestions_department_import")
    page = county_client.post(url, {"import_file": upload(b"anything", "x.xls"), "format": 0}).content.decode()
    assert "不支持旧版 Excel 文件" in page


def test_import_follows_our_rights_not_django_permissions(client, role_users, network):
    url = reverse("admin:suggestions_department_import")
    client.force_login(role_users["county"])
    assert client.get(url).status_code == 200
    client.force_login(role_users["township"])
    assert client.get(url).status_code == 403
    export = client.post(reverse("admin:suggestions_department_export"), {"format": 1, "resource": 0})
    assert export.status_code in (200, 302)


def test_the_admin_export_writes_the_import_columns(county_client, network):
    import_rows([["县交通运输局", "县级部门", "", "0766-3821234"]])
    response = county_client.post(
        reverse("admin:suggestions_department_export"),
        {
            "format": 1,
            "resource": 0,
            **{f"departmentresource_{name}": "on" for name in ("name", "level", "township", "phone")},
        },
    )
    sheet = next(iter(read_xlsx(response.content).values()))
    assert sheet[0] == HEADER
    assert ["县交通运输局", "县级部门", None, "0766-3821234"] in [list(row) for row in sheet]
