"""The roster export: the import's format, station names or codes, and a lossless round trip."""

import datetime

import pytest
from django.core.management import call_command

from deputies.models import Deputy, Level
from deputies.roster import COLUMNS, export_roster, import_roster, roster_template
from stations.models import StationKind
from tests import factories as f
from tests.spreadsheets import csv_upload, db_state, read_xlsx, roster_row, upload


def exported_rows(fmt="xlsx", **kwargs) -> list[list]:
    data = export_roster(Deputy.objects.all(), fmt, **kwargs)
    if fmt == "csv":
        text = data.decode("utf-8-sig")
        return [line.split(",") for line in text.strip().splitlines()]
    return next(iter(read_xlsx(data).values()))


@pytest.fixture
def roster(network):
    """A varied roster: parallel terms, a group, two stations, a landline, no birth month."""
    f.DeputyGroupFactory(name="法律服务小组")
    rows = [
        roster_row(
            姓名="王小明",
            代表层级="县、乡镇",
            届次="第十八届、第十九届",
            选区="第一选区、东门选区",
            代表小组="法律服务小组",
            进驻联络站="A11、B1",
        ),
        roster_row(姓名="赵六", 联系电话="0766-3821234", 出生年月="", 性别="女", 专业领域="教育"),
    ]
    assert import_roster(csv_upload(rows)).ok
    return network


def test_the_export_has_the_import_columns_and_values(roster):
    header, *rows = exported_rows()
    assert header == list(COLUMNS)
    wang = next(row for row in rows if row[0] == "王小明")
    assert wang == [
        "王小明",
        "男",
        "汉族",
        "1975-03",
        "中共党员",
        "13900000001",
        "东门村党支部书记",
        "县、乡镇",
        "第十八届、第十九届",
        "第一选区、东门选区",
        "东门村联络站、河口村联络站",
        "法律服务小组",
        None,
    ]
    zhao = next(row for row in rows if row[0] == "赵六")
    assert zhao[5] == "0766-3821234" and zhao[8] == "第十八届" and zhao[12] == "教育"


def test_a_station_name_shared_by_two_stations_is_written_as_its_code(roster):
    f.StationFactory(code="B9", name="东门村联络站", kind=StationKind.VILLAGE, parent=roster["b"])
    wang = next(row for row in exported_rows()[1:] if row[0] == "王小明")
    assert wang[10] == "A11、河口村联络站"


def test_only_mandates_in_force_are_exported(roster):
    Deputy.objects.get(name="王小明").mandates.filter(level=Level.TOWNSHIP).update(is_active=False)
    wang = next(row for row in exported_rows()[1:] if row[0] == "王小明")
    assert (wang[7], wang[8], wang[9]) == ("县", "第十八届", "第一选区")


def test_phones_can_be_masked(roster):
    rows = exported_rows(mask_phones=True)[1:]
    assert {row[5] for row in rows} >= {"139****0001", "076****1234"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_exported_file_imports_back_unchanged(roster, fmt):
    data = export_roster(Deputy.objects.all(), fmt)
    before = db_state()
    result = import_roster(upload(data, f"导出.{fmt}"))
    assert result.ok, [str(error) for error in result.errors]
    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged == Deputy.objects.count()
    assert db_state() == before


def test_a_round_trip_through_an_empty_database_recreates_the_roster(roster):
    Deputy.objects.filter(name="王小明").update(birth_month=datetime.date(1975, 10, 1))
    data = export_roster(Deputy.objects.filter(name__in=["王小明", "赵六"]), "xlsx")
    snapshot = list(Deputy.objects.order_by("name").values("name", "birth_month", "phone", "gender", "expertise"))
    Deputy.objects.filter(name__in=["王小明", "赵六"]).delete()
    assert import_roster(upload(data, "导出.xlsx")).created == 2
    restored = Deputy.objects.order_by("name").values("name", "birth_month", "phone", "gender", "expertise")
    assert list(restored) == snapshot


def test_the_template_has_the_headers_and_an_instructions_sheet():
    sheets = read_xlsx(roster_template("xlsx"))
    (_, first), (notes_title, notes) = sheets.items()
    assert first == [list(COLUMNS)]
    assert notes_title == "填写说明"
    assert notes[0] == ["列名", "是否必填", "填写要求"]
    assert [row[0] for row in notes[1:]] == list(COLUMNS)
    assert dict((row[0], row[1]) for row in notes[1:])["姓名"] == "必填"


def test_the_csv_template_is_the_header_row():
    assert roster_template("csv").decode("utf-8-sig").strip() == ",".join(COLUMNS)


def test_the_export_command_writes_by_extension(roster, tmp_path):
    call_command("export_roster", str(tmp_path / "名册.xlsx"))
    call_command("export_roster", str(tmp_path / "名册.csv"))
    assert (tmp_path / "名册.csv").read_bytes().startswith("\ufeff姓名".encode())
    assert import_roster(tmp_path / "名册.xlsx").unchanged == Deputy.objects.count()
