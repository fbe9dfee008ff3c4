"""Reading spreadsheets: encodings, headers, line numbers, cell types and refusals."""

import datetime
import io
import zipfile

import pytest

from liaison.spreadsheets.tabular import TabularError, format_of, normalize_header, read_table, write_table
from liaison.textnorm import clean_text, compact_text, parse_chinese_number, split_list
from tests.spreadsheets import read_xlsx, upload, xlsx_bytes

HEADER = ["姓名", "联系电话"]


def read(data: bytes, name: str = "名册.csv", required=("姓名",)):
    return read_table(io.BytesIO(data), name=name, required=required)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_is_read_in_each_encoding_excel_saves(encoding):
    table = read("姓名,联系电话\n张建国,13800000001\n".encode(encoding))
    assert table.headers == ("姓名", "联系电话")
    assert table.rows[0].values == {"姓名": "张建国", "联系电话": "13800000001"}


def test_bom_does_not_stick_to_the_first_header():
    table = read("\ufeff姓名\n张建国\n".encode())
    assert table.headers == ("姓名",)


def test_headers_lose_blanks_full_width_spaces_and_the_required_marker():
    table = read("\u3000姓 名*,联系电话＊ ,Ｅｍａｉｌ\n张建国,1,x\n".encode())
    assert table.headers == ("姓名", "联系电话", "Email")


@pytest.mark.parametrize(("raw", "header"), [(" 姓名 ", "姓名"), ("姓名*", "姓名"), ("\u200b姓名", "姓名")])
def test_normalize_header(raw, header):
    assert normalize_header(raw) == header


def test_blank_lines_are_skipped_and_line_numbers_kept():
    table = read("姓名,联系电话\n\n张建国,1\n , \u3000\n李秀英,2\n".encode())
    assert [(row.line, row.get("姓名")) for row in table.rows] == [(3, "张建国"), (5, "李秀英")]


def test_a_quoted_cell_over_several_lines_keeps_the_physical_line_of_the_next_rows():
    text = '姓名,工作单位及职务\n张建国,"东门村\n党支部书记"\n李秀英,河口村\n王五,x\n'
    table = read(text.encode(), required=())
    assert [row.line for row in table.rows] == [2, 4, 5]
    assert table.rows[0].get("工作单位及职务") == "东门村\n党支部书记"


def test_blank_header_columns_are_ignored_and_short_rows_padded():
    table = read("姓名,,联系电话\n张建国\n".encode())
    assert table.headers == ("姓名", "联系电话")
    assert table.rows[0].values == {"姓名": "张建国", "联系电话": ""}


def test_xlsx_cells_keep_their_type_and_whole_floats_lose_their_decimals():
    data = xlsx_bytes(
        [["张建国", 13800000001.0, datetime.datetime(1975, 3, 5), 1975.1, None]],
        header=["姓名", "联系电话", "出生日期", "出生年月", "备注"],
    )
    row = read(data, name="名册.xlsx").rows[0]
    assert row.get("联系电话") == 13800000001
    assert row.get("出生日期") == datetime.datetime(1975, 3, 5)
    assert row.get("出生年月") == 1975.1
    assert row.get("备注") == ""


def test_xlsx_rows_keep_their_sheet_row_numbers():
    data = xlsx_bytes([["张建国"], [None], ["李秀英"]], header=["姓名"])
    assert [row.line for row in read(data, name="a.xlsx").rows] == [2, 4]


def test_a_workbook_saved_with_a_csv_name_is_still_read():
    data = xlsx_bytes([["张建国"]], header=["姓名"])
    assert read(data, name="名册.csv").rows[0].get("姓名") == "张建国"


def test_missing_required_columns_are_all_named():
    with pytest.raises(TabularError, match="缺少必需的列：代表层级、届次"):
        read("姓名\n张建国\n".encode(), required=("姓名", "代表层级", "届次"))


def test_duplicate_header_columns_are_refused():
    with pytest.raises(TabularError, match="表头有重复的列：姓名"):
        read("姓名,联系电话,姓名*\n张建国,1,2\n".encode())


@pytest.mark.parametrize("data", [b"", b"  \r\n", b"\n,,\n"])
def test_an_empty_file_is_refused(data):
    with pytest.raises(TabularError, match="文件是空的"):
        read(data)


def test_a_file_with_only_the_header_is_refused():
    with pytest.raises(TabularError, match="没有数据行"):
        read("姓名,联系电话\n\n".encode())


def test_an_undecodable_file_is_refused():
    with pytest.raises(TabularError, match="无法识别文件的文字编码"):
        read(b"\xff\xfe\x00\x00\x80\x81garbage")


def test_an_oversize_file_is_refused_before_it_is_read(settings):
    settings.IMPORT_MAX_BYTES = 100

    class Unreadable(io.BytesIO):
        size = 101

        def read(self, *args):
            raise AssertionError("read before the size check")

    with pytest.raises(TabularError, match="文件超过 100"):
        read_table(Unreadable(), name="a.csv")
    with pytest.raises(TabularError, match="文件超过 100"):
        read(b"x" * 101)


def test_an_oversize_file_on_disk_is_refused(settings, tmp_path):
    settings.IMPORT_MAX_BYTES = 10
    path = tmp_path / "a.csv"
    path.write_bytes("姓名\n张建国王五赵六\n".encode())
    with pytest.raises(TabularError, match="文件超过"):
        read_table(path)


@pytest.mark.parametrize(
    ("data", "name"),
    [(b"anything", "名册.xls"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "名册.xlsx")],
)
def test_old_excel_files_are_refused_with_a_way_out(data, name):
    with pytest.raises(TabularError, match=r"不支持旧版 Excel 文件（\.xls）"):
        read(data, name=name)


def test_a_file_that_is_not_really_xlsx_is_refused():
    with pytest.raises(TabularError, match="不是有效的 Excel 工作簿"):
        read("姓名\n张建国\n".encode(), name="名册.xlsx")


def test_a_damaged_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(TabularError, match="不是有效的 Excel 工作簿"):
        read(buffer.getvalue(), name="名册.xlsx")


def test_other_file_types_are_refused():
    with pytest.raises(TabularError, match="只能导入 CSV 或 Excel"):
        read("姓名\n张建国\n".encode(), name="名册.txt")


def test_an_upload_is_read_like_a_file():
    table = read_table(upload("姓名\n张建国\n".encode("gbk"), "名册.csv"))
    assert table.rows[0].get("姓名") == "张建国"


def test_csv_export_has_a_bom_and_reads_back():
    data = write_table(["姓名", "联系电话"], [["张建国", "13800000001"]], "csv")
    assert data.startswith("\ufeff".encode())
    assert read(data).rows[0].values == {"姓名": "张建国", "联系电话": "13800000001"}


def test_xlsx_export_writes_text_cells_and_a_notes_sheet():
    data = write_table(
        ["姓名", "联系电话"], [["张建国", 13800000001]], "xlsx", notes=("填写说明", ["列名"], [["姓名"]])
    )
    sheets = read_xlsx(data)
    first, notes = sheets.values()
    assert first == [["姓名", "联系电话"], ["张建国", "13800000001"]]
    assert notes == [["列名"], ["姓名"]]


def test_export_format_follows_the_file_extension():
    assert format_of("roster.CSV") == "csv"
    assert format_of("/tmp/名册.xlsx") == "xlsx"
    with pytest.raises(ValueError, match=r"\.csv 或 \.xlsx"):
        format_of("roster.xls")


@pytest.mark.parametrize(
    ("text", "number"), [("18", 18), ("十八", 18), ("二十", 20), ("十", 10), ("一八", 18), ("１８", 18)]
)
def test_parse_chinese_number(text, number):
    assert parse_chinese_number(text) == number


@pytest.mark.parametrize("text", ["", "十十", "一百", "0", "第十八", "abc"])
def test_parse_chinese_number_refuses_anything_else(text):
    with pytest.raises(ValueError):
        parse_chinese_number(text)


def test_split_list_splits_on_line_breaks_and_full_width_separators():
    assert split_list("县，乡镇\n省；市") == ["县", "乡镇", "省", "市"]
    assert split_list(None) == []


@pytest.mark.parametrize(
    ("raw", "clean", "compact"),
    [
        ("  东门村\u3000 党支部  书记 ", "东门村 党支部 书记", "东门村党支部书记"),
        ("１３８\t０００\n１１１１", "138 000 1111", "1380001111"),
        (None, "", ""),
        (13800001111, "13800001111", "13800001111"),
    ],
)
def test_clean_and_compact_text(raw, clean, compact):
    assert clean_text(raw) == clean
    assert compact_text(raw) == compact
