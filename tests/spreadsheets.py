"""Build spreadsheet files in memory for the import tests."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from deputies.models import Deputy, DeputyGroup, Mandate, StationAssignment
from deputies.roster import COLUMNS as ROSTER_COLUMNS
from stations.models import Station


def csv_bytes(rows, *, encoding="utf-8", header=ROSTER_COLUMNS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def csv_upload(rows, *, name="名册.csv", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_bytes(rows, **kwargs), content_type="text/csv")


def xlsx_bytes(rows, *, header=ROSTER_COLUMNS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if header:
        sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_upload(rows, *, name="名册.xlsx", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xlsx_bytes(rows, **kwargs))


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def read_xlsx(data: bytes) -> dict[str, list[list]]:
    """Every sheet of a workbook as lists of cell values."""
    workbook = load_workbook(io.BytesIO(data))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets}


def roster_row(**values) -> list[str]:
    """A roster row in template order; keyword names are the Chinese headers."""
    defaults = {
        "姓名": "王小明",
        "性别": "男",
        "民族": "汉族",
        "出生年月": "1975.03",
        "政治面貌": "中共党员",
        "联系电话": "13900000001",
        "工作单位及职务": "东门村党支部书记",
        "代表层级": "县",
        "届次": "第十八届",
        "选区": "第一选区",
        "进驻联络站": "东门村联络站",
        "代表小组": "",
        "专业领域": "",
    }
    unknown = set(values) - set(defaults)
    assert not unknown, unknown
    defaults.update(values)
    return [defaults[header] for header in ROSTER_COLUMNS]


def db_state() -> dict[str, int]:
    """Row counts of everything an import may write."""
    return {
        "deputies": Deputy.objects.count(),
        "mandates": Mandate.objects.count(),
        "assignments": StationAssignment.objects.count(),
        "memberships": DeputyGroup.members.through.objects.count(),
        "stations": Station.objects.count(),
        "deputy_updates": sorted(Deputy.objects.values_list("updated_at", flat=True)),
        "station_updates": sorted(Station.objects.values_list("updated_at", flat=True)),
    }
