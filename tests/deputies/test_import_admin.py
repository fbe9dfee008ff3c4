"""The admin import flow (upload → preview → confirm), the export and template downloads."""

import pytest
from django.urls import reverse

from deputies.models import Deputy
from liaison.spreadsheets.admin import SESSION_KEY
from stations.models import Station
from tests.spreadsheets import csv_bytes, csv_upload, db_state, read_xlsx, roster_row, upload

IMPORT = reverse("admin:deputies_deputy_import")
CONFIRM = reverse("admin:deputies_deputy_import_confirm")
CHANGELIST = reverse("admin:deputies_deputy_changelist")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def county_client(client, role_users, media):
    client.force_login(role_users["county"])
    return client


def stashed_files(media) -> list:
    folder = media / "imports"
    return list(folder.iterdir()) if folder.exists() else []


def test_the_change_list_shows_the_buttons_to_those_with_the_rights(client, role_users):
    client.force_login(role_users["county"])
    page = client.get(CHANGELIST).content.decode()
    for label in ("导入", "导出 CSV", "导出 Excel", "下载模板"):
        assert f">{label}</a>" in page
    client.force_login(role_users["liaison"])
    page = client.get(CHANGELIST).content.decode()
    assert ">导出 CSV</a>" in page and ">导入</a>" not in page


def test_upload_preview_confirm_writes_and_reports(county_client, media):
    response = county_client.get(IMPORT)
    assert response.status_code == 200 and 'accept=".csv,.xlsx"' in response.content.decode()

    preview = county_client.post(IMPORT, {"file": csv_upload([roster_row()])})
    page = preview.content.decode()
    assert "本次导入将新增 1 条、更新 0 条、未变 0 条。" in page
    assert "确认导入" in page and "正在导入，请稍候…" in page
    assert "<td>王小明</td><td>新增</td>" in page
    assert not Deputy.objects.filter(name="王小明").exists()
    assert len(stashed_files(media)) == 1

    done = county_client.post(CONFIRM, {"token": preview.context["token"]}, follow=True)
    assert done.redirect_chain == [(CHANGELIST, 302)]
    assert "导入完成：新增 1 条、更新 0 条、未变 0 条" in [str(m) for m in done.context["messages"]]
    assert Deputy.objects.filter(name="王小明").exists()
    assert stashed_files(media) == []
    assert county_client.session[SESSION_KEY] == {}


def test_a_bad_file_shows_every_error_in_chinese_and_writes_nothing(county_client, media):
    before = db_state()
    rows = [roster_row(进驻联络站="东门村站"), roster_row(姓名="赵六", 联系电话="123")]
    page = county_client.post(IMPORT, {"file": csv_upload(rows)}).content.decode()
    assert "文件中有 2 处问题，未导入任何数据。" in page
    assert "<td>2</td><td>未找到联络站“东门村站”</td>" in page
    assert "<td>3</td><td>联系电话“123”不是有效的手机号码或带区号的固定电话。</td>" in page
    assert "确认导入" not in page and "上传修改后的文件" in page
    assert stashed_files(media) == []
    assert db_state() == before


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"anything", "roster.xls", "不支持旧版 Excel 文件"),
        (b"", "roster.csv", "文件是空的。"),
        ("姓名\n王小明\n".encode("gbk"), "roster.csv", "缺少必需的列：代表层级、届次、进驻联络站"),
    ],
)
def test_an_unreadable_file_is_reported(county_client, data, name, message):
    before = db_state()
    page = county_client.post(IMPORT, {"file": upload(data, name)}).content.decode()
    assert message in page
    assert db_state() == before


def test_an_oversize_upload_is_refused_before_it_is_stored(county_client, media, settings):
    settings.IMPORT_MAX_BYTES = 50
    page = county_client.post(IMPORT, {"file": csv_upload([roster_row()])}).content.decode()
    assert "文件超过 50" in page
    assert stashed_files(media) == []


def test_a_confirm_without_a_valid_token_writes_nothing(county_client, client, role_users):
    preview = county_client.post(IMPORT, {"file": csv_upload([roster_row()])})
    token = preview.context["token"]
    client.force_login(role_users["superuser"])
    response = client.post(CONFIRM, {"token": token}, follow=True)
    assert "上传的文件已过期，请重新上传。" in [str(m) for m in response.context["messages"]]
    assert county_client.post(CONFIRM, {"token": "nope"}).status_code == 302
    assert not Deputy.objects.filter(name="王小明").exists()


def test_import_needs_the_add_and_change_rights(client, role_users):
    client.force_login(role_users["liaison"])
    assert client.get(IMPORT).status_code == 403
    assert client.post(CONFIRM, {"token": "x"}).status_code == 403


def test_township_staff_import_within_their_township(client, role_users, media):
    client.force_login(role_users["township"])
    page = client.post(IMPORT, {"file": csv_upload([roster_row(进驻联络站="河口村联络站")])}).content.decode()
    assert "未找到联络站“河口村联络站”" in page


def test_the_export_holds_what_the_user_may_see_with_the_list_filters(client, role_users):
    client.force_login(role_users["township"])
    response = client.get(reverse("admin:deputies_deputy_export", args=["xlsx"]))
    assert response["Content-Disposition"].startswith("attachment;")
    names = [row[0] for row in next(iter(read_xlsx(response.content).values()))[1:]]
    assert names == ["张建国"]
    client.force_login(role_users["county"])
    response = client.get(reverse("admin:deputies_deputy_export", args=["csv"]) + "?gender__exact=F")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["李秀英"]


def test_the_export_masks_phones_for_those_without_the_right(client, role_users):
    client.force_login(role_users["liaison"])
    response = client.get(reverse("admin:deputies_deputy_export", args=["csv"]))
    assert "138****0001" in response.content.decode("utf-8-sig")
    assert "13800000001" not in response.content.decode("utf-8-sig")


def test_the_template_downloads(county_client):
    response = county_client.get(reverse("admin:deputies_deputy_template", args=["xlsx"]))
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert list(read_xlsx(response.content))[1] == "填写说明"
    assert county_client.get(reverse("admin:deputies_deputy_template", args=["pdf"])).status_code == 404


def test_the_station_admin_imports_the_same_way(county_client):
    rows = [["A12", "西门村联络站", "村级联络站", "A1", "", ""]]
    data = csv_bytes(rows, header=["编码", "名称", "类型", "上级编码", "地址", "联系电话"])
    url = reverse("admin:stations_station_import")
    preview = county_client.post(url, {"file": upload(data, "联络站.csv")})
    assert "<td>A12 西门村联络站</td><td>新增</td>" in preview.content.decode()
    county_client.post(reverse("admin:stations_station_import_confirm"), {"token": preview.context["token"]})
    assert Station.objects.get(code="A12").parent.code == "A1"
    export = county_client.get(reverse("admin:stations_station_export", args=["csv"]))
    assert "A12,西门村联络站,村级联络站,A1" in export.content.decode("utf-8-sig")


def test_deputy_form_stores_phones_as_the_import_does(client, role_users, network):
    from deputies.models import Deputy

    client.force_login(role_users["county"])
    deputy = network["deputy_b"]
    url = f"/admin/deputies/deputy/{deputy.pk}/change/"
    form = {
        "name": deputy.name,
        "gender": "F",
        "phone": "138 0000-0009",
        "is_active": "on",
        "mandates-TOTAL_FORMS": "0",
        "mandates-INITIAL_FORMS": "0",
        "assignments-TOTAL_FORMS": "0",
        "assignments-INITIAL_FORMS": "0",
        "assignments-2-TOTAL_FORMS": "0",
        "assignments-2-INITIAL_FORMS": "0",
    }
    client.post(url, form)
    bad = client.post(url, {**form, "phone": "12345"})
    assert Deputy.objects.get(pk=deputy.pk).phone == "13800000009"
    assert bad.status_code == 200 and bad.context["adminform"].form.errors["phone"]
