"""The roster import: accepted forms, every refusal, upsert rules, dry run, scope, query budget."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from deputies.models import Deputy, DeputyGroup, Gender, Level, Mandate, StationAssignment
from deputies.roster import import_roster
from stations.models import StationKind
from tests import factories as f
from tests.spreadsheets import csv_bytes, csv_upload, db_state, roster_row, upload, xlsx_upload


def run(rows, *, user=None, dry_run=False, **kwargs):
    return import_roster(csv_upload(rows, **kwargs), user=user, dry_run=dry_run)


def messages(result) -> list[str]:
    return [str(error) for error in result.sorted_errors()]


def imported(name="王小明") -> Deputy:
    return Deputy.objects.get(name=name)


# Creating ----------------------------------------------------------------------------
def test_a_new_deputy_is_created_with_mandates_station_and_group(network):
    group = f.DeputyGroupFactory(name="法律服务小组")
    result = run([roster_row(代表层级="县、乡镇", 届次="第十八届、第十九届", 代表小组="法律服务小组")])
    assert result.ok, messages(result)
    assert (result.created, result.updated, result.unchanged) == (1, 0, 0)
    deputy = imported()
    assert deputy.code and deputy.gender == Gender.MALE and deputy.birth_month == datetime.date(1975, 3, 1)
    assert deputy.phone == "13900000001" and deputy.political_status == "中共党员"
    assert sorted(deputy.mandates.values_list("level", "term", "constituency")) == [
        (Level.COUNTY, "第十八届", "第一选区"),
        (Level.TOWNSHIP, "第十九届", "第一选区"),
    ]
    assert list(deputy.assignments.values_list("station", "role")) == [(network["a_village"].pk, "member")]
    assert list(group.members.all()) == [deputy]


def test_the_summary_speaks_chinese(network):
    assert run([roster_row()]).summary() == "导入完成：新增 1 条、更新 0 条、未变 0 条"


@pytest.mark.parametrize(
    ("cell", "levels"),
    [
        ("县、乡镇", {Level.COUNTY, Level.TOWNSHIP}),
        ("省,市", {Level.PROVINCE, Level.CITY}),
        ("县/镇", {Level.COUNTY, Level.TOWNSHIP}),
        ("省，市", {Level.PROVINCE, Level.CITY}),
        (" 县级 ；乡镇级", {Level.COUNTY, Level.TOWNSHIP}),
        ("全国人大", {Level.NATIONAL}),
        ("省级", {Level.PROVINCE}),
        ("市级", {Level.CITY}),
        ("县人大代表", {Level.COUNTY}),
        ("区", {Level.COUNTY}),
        ("乡", {Level.TOWNSHIP}),
        ("镇人大代表", {Level.TOWNSHIP}),
    ],
)
def test_level_forms(network, cell, levels):
    result = run([roster_row(代表层级=cell)])
    assert result.ok, messages(result)
    assert set(imported().mandates.values_list("level", flat=True)) == levels


@pytest.mark.parametrize(
    "cell",
    ["1975.03", "1975-03", "1975/3", "1975年3月", "197503", "1975-03-18", "1975年3月18日", "19750318", "１９７５．３"],
)
def test_birth_month_text_forms(network, cell):
    result = run([roster_row(出生年月=cell)])
    assert result.ok, messages(result)
    assert imported().birth_month == datetime.date(1975, 3, 1)


@pytest.mark.parametrize(
    ("cell", "month"),
    [
        (datetime.datetime(1975, 3, 18), datetime.date(1975, 3, 1)),
        (1975.03, datetime.date(1975, 3, 1)),
        (1975.1, datetime.date(1975, 10, 1)),
        (1975.12, datetime.date(1975, 12, 1)),
        (197503, datetime.date(1975, 3, 1)),
    ],
)
def test_birth_month_excel_cells(network, cell, month):
    result = import_roster(xlsx_upload([roster_row(出生年月=cell)]))
    assert result.ok, messages(result)
    assert imported().birth_month == month


def test_xlsx_phone_number_cells_are_read_as_phones(network):
    result = import_roster(xlsx_upload([roster_row(联系电话=13900000001.0)]))
    assert result.ok, messages(result)
    assert imported().phone == "13900000001"


@pytest.mark.parametrize("cell", ["139 0000 0001", "139-0000-0001", "+86 139 0000 0001", "１３９００００００01"])
def test_phone_forms(network, cell):
    result = run([roster_row(联系电话=cell)])
    assert result.ok, messages(result)
    assert imported().phone == "13900000001"


def test_a_landline_is_accepted(network):
    assert run([roster_row(联系电话="0766-3821234")]).ok
    assert imported().phone == "07663821234"


@pytest.mark.parametrize(
    ("cell", "stations"),
    [
        ("A11", ["a_village"]),
        ("东门村联络站", ["a_village"]),
        ("东门村联络站、河口村联络站", ["a_village", "b_village"]),
        ("A11, B1", ["a_village", "b_village"]),
        ("A11；河口村联络站", ["a_village", "b_village"]),
        ("A11\nB1", ["a_village", "b_village"]),
        (" 东门村联络站 、A11", ["a_village"]),
    ],
)
def test_station_forms(network, cell, stations):
    result = run([roster_row(进驻联络站=cell)])
    assert result.ok, messages(result)
    assert set(imported().assignments.values_list("station", flat=True)) == {network[key].pk for key in stations}


@pytest.mark.parametrize("cell", ["第十八届", "18", "第18届", "十八届", " 第十八届 ", "１８"])
def test_term_forms(network, cell):
    assert run([roster_row(届次=cell)]).ok
    assert imported().mandates.get().term == "第十八届"


def test_terms_and_constituencies_run_parallel_to_the_levels(network):
    result = run([roster_row(代表层级="县、乡镇", 届次="18、19", 选区="第一选区、东门选区")])
    assert result.ok, messages(result)
    assert sorted(imported().mandates.values_list("level", "term", "constituency")) == [
        (Level.COUNTY, "第十八届", "第一选区"),
        (Level.TOWNSHIP, "第十九届", "东门选区"),
    ]


def test_a_constituency_with_separators_in_brackets_stays_whole(network):
    assert run([roster_row(代表层级="县、乡镇", 选区="第一选区（东门、西门）")]).ok
    assert set(imported().mandates.values_list("constituency", flat=True)) == {"第一选区(东门、西门)"}


@pytest.mark.parametrize(("cell", "gender"), [("男", "M"), ("女", "F"), ("女性", "F"), ("", "")])
def test_gender_forms(network, cell, gender):
    assert run([roster_row(性别=cell)]).ok
    assert imported().gender == gender


@pytest.mark.parametrize(("cell", "ethnicity"), [("汉", "汉族"), ("回族", "回族"), ("维吾尔", "维吾尔族"), ("", "")])
def test_ethnicity_forms(network, cell, ethnicity):
    assert run([roster_row(民族=cell)]).ok
    assert imported().ethnicity == ethnicity


def test_surrounding_and_full_width_spaces_are_dropped(network):
    assert run([roster_row(姓名="\u3000王 小明 ", 工作单位及职务="  东门村  党支部书记\u3000")]).ok
    deputy = imported()
    assert deputy.unit_title == "东门村 党支部书记"


def test_gbk_and_bom_files_import_alike(network):
    assert run([roster_row()], encoding="gbk").ok
    assert run([roster_row()], encoding="utf-8-sig").unchanged == 1


def test_blank_lines_are_skipped(network):
    result = run([roster_row(), ["", "", ""], roster_row(姓名="赵六", 联系电话="13900000002")])
    assert result.ok and result.created == 2
    assert [row.line for row in result.rows] == [2, 4]


# Refusing ----------------------------------------------------------------------------
BAD_ROWS = [
    ({"姓名": ""}, "第 2 行：姓名未填写。"),
    ({"代表层级": ""}, "第 2 行：代表层级未填写。"),
    ({"代表层级": "村"}, "第 2 行：代表层级“村”无法识别"),
    ({"届次": ""}, "第 2 行：届次未填写。"),
    ({"届次": "本届"}, "第 2 行：届次“本届”无法识别"),
    ({"代表层级": "县、乡镇", "届次": "18、19、20"}, "填写了 2 个代表层级，却有 3 个届次"),
    ({"代表层级": "县、县"}, "同一层级、同一届次重复填写"),
    ({"出生年月": "七五年"}, "第 2 行：出生年月“七五年”无法识别"),
    ({"出生年月": "1975.13"}, "第 2 行：出生年月“1975.13”不是有效的日期"),
    ({"联系电话": "1380000"}, "第 2 行：联系电话“1380000”不是有效的手机号码或带区号的固定电话"),
    ({"性别": "未知"}, "第 2 行：性别“未知”只能填 男 或 女"),
    ({"进驻联络站": ""}, "第 2 行：未填写进驻联络站"),
    ({"进驻联络站": "东门村站"}, "第 2 行：未找到联络站“东门村站”"),
    ({"代表小组": "不存在的小组"}, "第 2 行：未找到代表小组“不存在的小组”"),
    ({"姓名": "王" * 51}, "第 2 行：姓名超过 50 个字"),
    ({"联系电话": "13800000001"}, "第 2 行：联系电话 13800000001 属于代表 张建国"),
]


@pytest.mark.parametrize(("values", "message"), BAD_ROWS)
def test_a_bad_row_is_refused_with_its_reason_and_nothing_is_written(network, values, message):
    before = db_state()
    result = run([roster_row(**values)])
    assert not result.ok
    assert any(text.startswith(message) or message in text for text in messages(result)), messages(result)
    assert result.rows == []
    assert db_state() == before


def test_every_bad_row_is_reported_and_good_rows_are_not_written(network):
    before = db_state()
    rows = [
        roster_row(姓名="赵六", 联系电话="13900000002"),
        roster_row(进驻联络站="东门村站", 联系电话="13900000003"),
        roster_row(联系电话="123", 性别="x"),
    ]
    result = run(rows)
    assert messages(result) == [
        "第 3 行：未找到联络站“东门村站”",
        "第 4 行：性别“x”只能填 男 或 女。",
        "第 4 行：联系电话“123”不是有效的手机号码或带区号的固定电话。",
    ]
    assert db_state() == before


def test_an_ambiguous_station_name_asks_for_the_code(network):
    f.StationFactory(code="B2", name="东门村联络站", kind=StationKind.VILLAGE, parent=network["b"])
    result = run([roster_row(进驻联络站="东门村联络站")])
    assert messages(result) == ["第 2 行：有多个名为“东门村联络站”的联络站（编码 A11、B2），请改填联络站编码。"]
    assert run([roster_row(进驻联络站="A11")]).ok


def test_the_same_phone_twice_in_a_file_is_refused(network):
    before = db_state()
    result = run([roster_row(), roster_row(姓名="赵六")])
    assert messages(result) == ["第 3 行：联系电话 13900000001 与第 2 行重复，每名代表只能出现一次。"]
    assert db_state() == before


def test_the_same_name_and_birth_month_twice_without_phone_is_refused(network):
    result = run([roster_row(联系电话=""), roster_row(联系电话="")])
    assert messages(result) == [
        "第 3 行：与第 2 行姓名和出生年月相同，且其中一行没有联系电话：请删除重复行，或都填写联系电话。"
    ]


def test_namesakes_with_phones_are_two_deputies(network):
    result = run([roster_row(), roster_row(联系电话="13900000002")])
    assert result.ok and result.created == 2


def test_an_ambiguous_match_without_phone_is_refused(network):
    f.DeputyFactory(name="王小明", birth_month=datetime.date(1975, 3, 1))
    f.DeputyFactory(name="王小明", birth_month=datetime.date(1975, 3, 1))
    before = db_state()
    result = run([roster_row(联系电话="")])
    assert messages(result) == [
        "第 2 行：匹配到 2 名姓名为王小明且出生年月相同的代表，无法确定是哪一位，请填写联系电话。"
    ]
    assert db_state() == before


def test_two_rows_for_one_deputy_are_refused(network):
    f.DeputyFactory(name="王小明", birth_month=datetime.date(1975, 3, 1), phone="13900000009")
    before = db_state()
    result = run([roster_row(联系电话="13900000009", 出生年月="1980.01"), roster_row(联系电话="")])
    assert messages(result) == ["第 3 行：本行与第 2 行是同一名代表（王小明）。"]
    assert db_state() == before


def test_a_row_is_refused_for_every_bad_cell(network):
    result = run([roster_row(性别="x", 出生年月="x", 联系电话="x", 代表层级="x", 届次="x", 进驻联络站="x")])
    assert len(result.errors) == 6


def test_a_file_problem_is_reported_without_a_line(network):
    result = import_roster(upload(csv_bytes([["王小明"]], header=["姓名"]), "a.csv"))
    assert [(error.line, str(error)) for error in result.errors] == [
        (None, "缺少必需的列：代表层级、届次、进驻联络站。请使用导入模板的表头。")
    ]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\xff\xfe\x80garbage", "a.csv", "无法识别文件的文字编码"),
        (b"", "a.csv", "文件是空的。"),
        (csv_bytes([]), "a.csv", "文件只有表头，没有数据行。"),
        (csv_bytes([["王小明"]], header=["姓名", "姓名*"]), "a.csv", "表头有重复的列：姓名"),
        (csv_bytes([["王小明"]], header=["姓名"]), "a.csv", "缺少必需的列：代表层级、届次、进驻联络站"),
        (b"anything", "a.xls", "不支持旧版 Excel 文件"),
        ("姓名".encode(), "a.xlsx", "不是有效的 Excel 工作簿"),
    ],
)
def test_unreadable_files_write_nothing(network, data, name, message):
    before = db_state()
    result = import_roster(upload(data, name))
    assert message in messages(result)[0]
    assert db_state() == before


def test_an_oversize_file_writes_nothing(network, settings):
    settings.IMPORT_MAX_BYTES = 200
    before = db_state()
    result = run([roster_row(联系电话=f"139000000{n:02d}") for n in range(10)])
    assert messages(result)[0].startswith("文件超过")
    assert db_state() == before


# Updating ----------------------------------------------------------------------------
def test_a_phone_match_updates_the_deputy_and_the_file_is_authoritative(network):
    deputy = network["deputy_a"]
    row = roster_row(
        姓名="张建国", 联系电话="138 0000 0001", 民族="", 工作单位及职务="县人大代表", 进驻联络站="A11", 出生年月=""
    )
    result = run([row])
    assert result.ok and result.updated == 1
    assert set(result.rows[0].changes) == {"民族", "政治面貌", "工作单位及职务"}
    deputy.refresh_from_db()
    assert (deputy.ethnicity, deputy.political_status, deputy.unit_title) == ("", "中共党员", "县人大代表")


def test_mandates_stations_and_groups_not_in_the_row_are_left_alone(network):
    deputy = network["deputy_a"]
    group = f.DeputyGroupFactory(name="城关小组")
    group.members.add(deputy)
    result = run([roster_row(姓名="张建国", 联系电话="13800000001", 代表层级="省", 进驻联络站="B1")])
    assert result.ok
    assert set(result.rows[0].changes) >= {"代表层级", "进驻联络站"}
    assert set(deputy.mandates.values_list("level", flat=True)) == {Level.PROVINCE, Level.COUNTY, Level.TOWNSHIP}
    assert set(deputy.assignments.values_list("station__code", "role")) == {("A11", "master"), ("B1", "member")}
    assert list(deputy.groups.all()) == [group]


def test_a_listed_mandate_is_reactivated_and_its_constituency_updated(network):
    mandate = network["deputy_a"].mandates.get(level=Level.COUNTY)
    Mandate.objects.filter(pk=mandate.pk).update(is_active=False)
    result = run([roster_row(姓名="张建国", 联系电话="13800000001", 选区="第三选区", 进驻联络站="A11")])
    assert result.ok
    mandate.refresh_from_db()
    assert (mandate.is_active, mandate.constituency) == (True, "第三选区")


def test_a_column_missing_from_the_file_leaves_the_field_alone(network):
    Deputy.objects.filter(pk=network["deputy_a"].pk).update(expertise="法律", birth_month=datetime.date(1970, 1, 1))
    header = ["姓名", "联系电话", "代表层级", "届次", "进驻联络站"]
    result = run([["张建国", "13800000001", "县", "第十八届", "A11"]], header=header)
    assert result.ok and result.unchanged == 1
    deputy = Deputy.objects.get(pk=network["deputy_a"].pk)
    assert (deputy.expertise, deputy.birth_month) == ("法律", datetime.date(1970, 1, 1))


def test_a_row_without_phone_matches_by_name_and_birth_month(network):
    deputy = f.DeputyFactory(name="王小明", birth_month=datetime.date(1975, 3, 1), phone="13900000077")
    result = run([roster_row(联系电话="")])
    assert result.ok and result.updated == 1 and result.created == 0
    deputy.refresh_from_db()
    assert deputy.phone == ""


def test_a_new_phone_for_a_known_name_and_birth_month_updates_the_deputy(network):
    deputy = f.DeputyFactory(name="王小明", birth_month=datetime.date(1975, 3, 1), phone="13900000077")
    result = run([roster_row(联系电话="13900000078")])
    assert result.ok and result.updated == 1
    assert "联系电话" in result.rows[0].changes
    deputy.refresh_from_db()
    assert deputy.phone == "13900000078"


def test_reimporting_the_same_file_changes_nothing(network):
    f.DeputyGroupFactory(name="法律服务小组")
    rows = [
        roster_row(代表层级="县、乡镇", 届次="18、19", 代表小组="法律服务小组"),
        roster_row(姓名="赵六", 联系电话="", 进驻联络站="A11、B1"),
    ]
    assert run(rows).created == 2
    before = db_state()
    result = run(rows)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert result.summary() == "导入完成：新增 0 条、更新 0 条、未变 2 条"
    assert db_state() == before


def test_a_dry_run_reports_and_writes_nothing(network):
    before = db_state()
    rows = [roster_row(), roster_row(姓名="张建国", 联系电话="13800000001", 进驻联络站="A11", 工作单位及职务="新职务")]
    result = run(rows, dry_run=True)
    assert result.ok and (result.created, result.updated, result.unchanged) == (1, 1, 0)
    assert result.summary() == "试导入：将新增 1 条、更新 1 条、未变 0 条。"
    assert db_state() == before


# Scope --------------------------------------------------------------------------------
def test_township_staff_see_stations_outside_their_township_as_unknown(role_users, network):
    result = run([roster_row(进驻联络站="河口村联络站")], user=role_users["township"])
    assert messages(result) == ["第 2 行：未找到联络站“河口村联络站”"]
    assert run([roster_row(进驻联络站="东门村联络站")], user=role_users["township"]).ok


def test_township_staff_cannot_update_a_deputy_of_another_township(role_users, network):
    before = db_state()
    row = roster_row(姓名="李秀英", 联系电话="13800000002", 进驻联络站="A11")
    result = run([row], user=role_users["township"])
    assert messages(result) == ["第 2 行：代表 李秀英 不在您的管辖范围内，请联系县级工作人员修改。"]
    assert db_state() == before


# Budget ---------------------------------------------------------------------------------
def many_rows(count: int) -> list[list[str]]:
    return [
        roster_row(
            姓名=f"代表{n}", 联系电话=f"137{n:08d}", 代表层级="县、乡镇", 进驻联络站="A11、B1", 代表小组="调研组"
        )
        for n in range(count)
    ]


@pytest.mark.parametrize("count", [50, 500])
def test_the_number_of_queries_does_not_grow_with_the_rows(network, django_assert_max_num_queries, count):
    f.DeputyGroupFactory(name="调研组")
    file = csv_upload(many_rows(count))
    with django_assert_max_num_queries(12):
        assert import_roster(file, dry_run=True).created == count
    with django_assert_max_num_queries(40):
        assert import_roster(file).created == count
    with django_assert_max_num_queries(12):
        assert import_roster(file).unchanged == count
    assert StationAssignment.objects.count() == 2 * count + 2
    assert DeputyGroup.objects.get(name="调研组").members.count() == count


# Command --------------------------------------------------------------------------------
def test_the_command_imports_and_reports(network, tmp_path, capsys):
    path = tmp_path / "名册.csv"
    path.write_bytes(csv_bytes([roster_row()]))
    call_command("import_roster", str(path), "--dry-run")
    assert "试导入：将新增 1 条" in capsys.readouterr().out
    assert not Deputy.objects.filter(name="王小明").exists()
    call_command("import_roster", str(path))
    assert "导入完成：新增 1 条" in capsys.readouterr().out
    assert Deputy.objects.filter(name="王小明").exists()


def test_the_command_fails_with_every_error(network, tmp_path, capsys):
    path = tmp_path / "名册.csv"
    path.write_bytes(csv_bytes([roster_row(进驻联络站="东门村站"), roster_row(联系电话="1")]))
    with pytest.raises(CommandError):
        call_command("import_roster", str(path))
    err = capsys.readouterr().err
    assert "第 2 行：未找到联络站“东门村站”" in err
    assert "第 3 行：联系电话“1”" in err
