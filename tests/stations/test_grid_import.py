"""Grids and their leaders from a spreadsheet: upsert by code, all or nothing, every bad row
reported with its line, scope, re-import unchanged, export round trip, admin buttons, command."""

import pytest
from django.core.management import CommandError, call_command

from deputies.grid_io import COLUMNS, export_grids, grids_template, import_grids
from liaison.models import Role
from stations.models import Grid
from tests import factories as f
from tests.spreadsheets import csv_bytes, read_xlsx, upload, xlsx_bytes


def run(rows, *, user=None, dry_run=False, header=COLUMNS, name="网格.csv"):
    return import_grids(upload(csv_bytes(rows, header=header), name), user=user, dry_run=dry_run)


def messages(result) -> list[str]:
    return [str(error) for error in result.sorted_errors()]


def leaders(code) -> set[str]:
    return set(Grid.objects.get(code=code).leaders.values_list("name", flat=True))


GOOD = [
    ["A11-01", "第一网格", "A11", "13800000001", "东门一组、二组"],
    ["A11-02", "第二网格", "A11", "13800000001、13800000002", ""],
    ["B1-01", "河口一网格", "B1", "", "河口街"],
]


def test_grids_are_created_with_their_leaders(network):
    result = run(GOOD)
    assert result.ok, messages(result)
    assert result.created == 3
    first = Grid.objects.get(code="A11-01")
    assert (first.station, first.name, first.description) == (network["a_village"], "第一网格", "东门一组、二组")
    assert leaders("A11-01") == {"张建国"}
    assert leaders("A11-02") == {"张建国", "李秀英"}
    assert set(network["deputy_a"].grids_led.values_list("code", flat=True)) == {"A11-01", "A11-02"}
    assert leaders("B1-01") == set()


def test_reimport_changes_nothing_and_updates_only_what_changed(network):
    assert run(GOOD).ok
    again = run(GOOD)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    changed = run([["A11-01", "第一网格", "A11", "13800000002", "东门一组、二组"]])
    assert (changed.updated, changed.rows[0].changes) == (1, ("网格长手机号",))
    assert leaders("A11-01") == {"李秀英"}
    blank_station = run([["A11-02", "二网格", ""]], header=("网格编码", "网格名称", "所属联络站编码"))
    assert [error.line for error in blank_station.errors] == [2]


def test_leaving_the_leaders_column_out_keeps_them(network):
    assert run(GOOD).ok
    result = run([["A11-02", "第二网格东", "A11"]], header=("网格编码", "网格名称", "所属联络站编码"))
    assert result.ok, messages(result)
    assert Grid.objects.get(code="A11-02").name == "第二网格东"
    assert leaders("A11-02") == {"张建国", "李秀英"}


def test_every_bad_row_is_reported_and_nothing_is_written(network):
    f.DeputyFactory(phone="13700000009", is_active=False)
    Grid.objects.create(station=network["a_village"], code="OLD", name="老网格")
    result = run(
        [
            ["A11-01", "第一网格", "A11", "13800000001", ""],  # fine
            ["", "无编码", "A11", "", ""],  # 3: code missing
            ["A11-03", "", "A11", "", ""],  # 4: name missing
            ["A11-04", "第四网格", "ZZZ", "", ""],  # 5: station unknown
            ["A11-05", "第五网格", "A", "", ""],  # 6: a center station cannot have grids
            ["A11-06", "第六网格", "A11", "12345", ""],  # 7: not a phone
            ["A11-07", "第七网格", "A11", "13900009999", ""],  # 8: no such deputy
            ["A11-01", "重复", "A11", "", ""],  # 9: code again
            ["A11-09", "老网格", "A11", "", ""],  # 10: name taken at the station
            ["A11-10", "第十网格", "A11", "13700000009", ""],  # 11: deputy no longer serving
            ["A11-11", "第" * 101, "A11", "", ""],  # 12: name too long
        ]
    )
    assert not result.ok
    lines = sorted({error.line for error in result.errors})
    assert lines == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    assert all(text.startswith("第") or text.startswith("Line") for text in messages(result))
    assert Grid.objects.count() == 1
    assert not network["deputy_a"].grids_led.exists()


def test_township_staff_import_only_in_their_area(network):
    staff = f.StaffProfileFactory(
        user=f.UserFactory(username="township", is_staff=True), role=Role.TOWNSHIP_STAFF, township=network["a"]
    ).user
    result = run(GOOD, user=staff)
    assert [error.line for error in result.errors] == [4]
    assert not Grid.objects.exists()
    assert run(GOOD[:2], user=staff).ok


def test_dry_run_writes_nothing(network):
    result = run(GOOD, dry_run=True)
    assert result.ok and result.created == 3
    assert not Grid.objects.exists()


def test_xlsx_and_export_round_trip(network):
    result = import_grids(upload(xlsx_bytes(GOOD, header=COLUMNS), "网格.xlsx"))
    assert result.ok, messages(result)
    exported = export_grids(Grid.objects.all(), "xlsx")
    sheet = read_xlsx(exported)
    rows = next(iter(sheet.values()))
    assert rows[0] == list(COLUMNS)
    again = import_grids(upload(exported, "导出.xlsx"))
    assert again.ok and again.unchanged == 3, messages(again)
    masked = export_grids(Grid.objects.all(), "csv", mask_phones=True).decode("utf-8-sig")
    assert "13800000001" not in masked
    assert "说明" in str(read_xlsx(grids_template("xlsx")))


def test_the_command_imports_and_reports_bad_rows(network, tmp_path):
    good = tmp_path / "grids.csv"
    good.write_bytes(csv_bytes(GOOD, header=COLUMNS))
    call_command("import_grids", str(good))
    assert Grid.objects.count() == 3
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([["X1", "x", "ZZZ", "", ""]], header=COLUMNS))
    with pytest.raises(CommandError):
        call_command("import_grids", str(bad))
    out = tmp_path / "out.xlsx"
    call_command("export_grids", str(out))
    assert out.exists()


@pytest.mark.parametrize(
    ("role", "can_import"),
    [("county", True), ("township", True), ("liaison", True), ("deputy", False), ("handler", False)],
)
def test_admin_import_buttons_follow_the_rights(client, role_users, role, can_import):
    client.force_login(role_users[role])
    response = client.get("/admin/stations/grid/import/")
    assert response.status_code == (200 if can_import else 302 if role in ("deputy", "handler") else 403)


def test_admin_import_preview_then_confirm(client, role_users, network):
    client.force_login(role_users["county"])
    data = csv_bytes(GOOD, header=COLUMNS)
    preview = client.post("/admin/stations/grid/import/", {"file": upload(data, "网格.csv")})
    assert preview.status_code == 200
    token = preview.context["token"]
    assert token and not Grid.objects.exists()
    done = client.post("/admin/stations/grid/import/confirm/", {"token": token})
    assert done.status_code == 302
    assert Grid.objects.count() == 3
    listing = client.get("/admin/stations/grid/")
    assert "第一网格" in listing.content.decode()
