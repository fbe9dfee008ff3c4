"""Exports are safe to open, imports are bounded and report formula cells.

Every export writes user text that starts with ``= + - @``, a tab or a carriage return as text:
XLSX as a string cell, CSV with the OWASP apostrophe prefix.
"""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from deputies.models import Deputy
from deputies.roster import export_roster
from liaison.spreadsheets.tabular import TabularError, read_table, write_table
from stations.models import Station
from stations.station_io import export_stations
from suggestions.models import Department
from tests import factories as f

HOSTILE = ['=HYPERLINK("http://evil.example","点我")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)", "\t=1", "\r=1"]


def csv_cells(data: bytes) -> list[str]:
    import csv

    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row]


def xlsx_cells(data: bytes) -> list:
    """Every cell object of the first sheet (not values only: the type matters)."""
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [cell for row in sheet.iter_rows() for cell in row]


def assert_no_formula(data: bytes, fmt: str, hostile: str) -> None:
    if fmt == "csv":
        cells = csv_cells(data)
        assert "'" + hostile in cells, cells
        assert hostile not in cells
    else:
        cells = xlsx_cells(data)
        assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
        # XML stores a carriage return as a line feed; the text is otherwise kept whole
        assert hostile.replace("\r", "\n") in [cell.value for cell in cells]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("hostile", HOSTILE)
def test_the_writer_never_writes_a_formula(fmt, hostile):
    data = write_table(["标题", "内容"], [["正常", hostile]], fmt)
    assert_no_formula(data, fmt, hostile)


def test_control_characters_do_not_break_an_xlsx_export():
    data = write_table(["内容"], [["村口\x07路灯\x00不亮"]], "xlsx")
    assert xlsx_cells(data)[1].value == "村口\ufffd路灯\ufffd不亮"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_roster_export_writes_hostile_text_as_text(network, fmt):
    Deputy.objects.filter(pk=network["deputy_a"].pk).update(unit_title=HOSTILE[0])
    assert_no_formula(export_roster(Deputy.objects.all(), fmt), fmt, HOSTILE[0])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_station_export_writes_hostile_text_as_text(network, fmt):
    Station.objects.filter(pk=network["a_village"].pk).update(address=HOSTILE[3])
    assert_no_formula(export_stations(Station.objects.all(), fmt), fmt, HOSTILE[3])


@pytest.mark.parametrize(("format_index", "fmt"), [(0, "csv"), (1, "xlsx")])
def test_the_department_export_writes_hostile_text_as_text(client, role_users, network, format_index, fmt):
    Department.objects.create(name=HOSTILE[1])
    client.force_login(role_users["county"])
    response = client.post(
        reverse("admin:suggestions_department_export"),
        {
            "format": format_index,
            "resource": 0,
            **{f"departmentresource_{name}": "on" for name in ("name", "level", "township", "phone")},
        },
    )
    assert response.status_code == 200
    assert_no_formula(response.content, fmt, HOSTILE[1])


@pytest.mark.parametrize(("format_index", "fmt"), [(0, "csv"), (1, "xlsx")])
def test_the_group_export_writes_hostile_text_as_text(client, role_users, network, format_index, fmt):
    f.DeputyGroupFactory(name=HOSTILE[2], township=network["a"])
    client.force_login(role_users["county"])
    response = client.post(
        reverse("admin:deputies_deputygroup_export"),
        {"format": format_index, "resource": 0, "deputygroupresource_name": "on"},
    )
    assert response.status_code == 200
    assert_no_formula(response.content, fmt, HOSTILE[2])


def workbook_bytes(rows, *, formula_at=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if formula_at:
        sheet[formula_at] = "=1+1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_formula_cells_in_an_import_are_reported_not_read_as_blank():
    data = workbook_bytes([["姓名", "联系电话"], ["王小明", "13800000001"], ["李四", ""]], formula_at="B3")
    with pytest.raises(TabularError) as error:
        read_table(io.BytesIO(data), name="roster.xlsx")
    message = str(error.value)
    assert "公式" in message and "第 3 行" in message and "联系电话" in message and "=1+1" in message


def test_an_import_stops_at_the_row_limit_while_streaming(settings):
    settings.IMPORT_MAX_ROWS = 100
    lines = "姓名,联系电话\n" + "".join(f"代表{n},138{n:08d}\n" for n in range(101))
    with pytest.raises(TabularError) as error:
        read_table(io.BytesIO(lines.encode()), name="roster.csv")
    assert "超过 100 行" in str(error.value)
    exactly = "姓名,联系电话\n" + "".join(f"代表{n},138{n:08d}\n" for n in range(100))
    assert len(read_table(io.BytesIO(exactly.encode()), name="roster.csv").rows) == 100


def test_a_sheet_declaring_a_huge_size_is_refused_before_reading(settings):
    settings.IMPORT_MAX_ROWS = 100
    data = workbook_bytes([["姓名"]] + [[f"代表{n}"] for n in range(5)])
    with pytest.raises(TabularError) as error:
        read_table(io.BytesIO(patch_dimension(data, "A1:A200000")), name="big.xlsx")
    assert "超过 100 行" in str(error.value)


def patch_dimension(data: bytes, ref: str) -> bytes:
    """The same workbook with its first sheet's declared size rewritten (as a hostile file has)."""
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), content)
            target.writestr(item, content)
    return out.getvalue()
