"""The station import: upsert by code, parents in any order, the tree's rules, scope, round trip."""

import pytest
from django.core.management import CommandError, call_command

from stations.models import Station, StationKind
from stations.station_io import COLUMNS, export_stations, import_stations, stations_template
from tests import factories as f
from tests.spreadsheets import csv_bytes, db_state, read_xlsx, upload, xlsx_bytes


def run(rows, *, user=None, dry_run=False, header=COLUMNS, encoding="utf-8", name="联络站.csv"):
    return import_stations(upload(csv_bytes(rows, header=header, encoding=encoding), name), user=user, dry_run=dry_run)


def messages(result) -> list[str]:
    return [str(error) for error in result.sorted_errors()]


def station(code) -> Station:
    return Station.objects.get(code=code)


def test_new_stations_are_created_and_placed_in_the_tree(network):
    result = run(
        [
            ["A12", "西门村联络站", "村级联络站", "A1", "西门村委会", "0766-3821234"],
            ["A121", "西门卫生院联络点", "联络点", "A12", "", ""],
        ]
    )
    assert result.ok, messages(result)
    assert result.created == 2
    village = station("A12")
    assert village.parent == network["a_area"] and village.township_id == network["a"].pk
    assert (village.address, village.phone, village.level) == ("西门村委会", "07663821234", 3)
    point = station("A121")
    assert point.is_descendant_of(station("A")) and point.township_id == network["a"].pk
    assert station("A").get_descendant_count() == 5


def test_a_parent_may_come_after_its_children_in_the_file(network):
    result = run(
        [
            ["C1", "新村联络站", "社区联络站", "C", "", ""],
            ["C", "新镇中心联络站", "代表之家", "HUB", "", ""],
        ]
    )
    assert result.ok, messages(result)
    assert station("C").kind == StationKind.CENTER
    assert station("C1").kind == StationKind.VILLAGE
    assert station("C1").township_id == station("C").pk
    assert station("C").parent == network["hub"]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("县级总站", StationKind.COUNTY_HUB),
        ("中心联络站", StationKind.CENTER),
        ("代表之家", StationKind.CENTER),
        ("片区联络站", StationKind.AREA),
        ("村级联络站", StationKind.VILLAGE),
        ("社区联络站", StationKind.VILLAGE),
        ("联络点", StationKind.POINT),
        ("代表工作室", StationKind.STUDIO),
        ("省际联络站", StationKind.CROSS_BORDER),
        ("行业联络站", StationKind.INDUSTRY),
    ],
)
def test_kind_names_and_aliases(network, name, kind):
    parent = {StationKind.COUNTY_HUB: "", StationKind.CENTER: "HUB"}.get(kind, "A1")
    result = run([["X", "某站", name, parent, "", ""]])
    assert result.ok, messages(result)
    assert station("X").kind == kind


def test_an_existing_station_is_updated_by_code_and_moved(network):
    result = run([["A11", "东门村联络站（新址）", "村级联络站", "A", "东门村新村部", "0766 3821234"]])
    assert result.ok and result.updated == 1
    assert set(result.rows[0].changes) == {"名称", "地址", "联系电话", "上级编码"}
    village = station("A11")
    assert village.parent == network["a"] and village.name == "东门村联络站(新址)"
    assert station("A111").is_descendant_of(network["a"]) and station("A111").level == 3


def test_a_station_moved_to_another_township_takes_its_subtree_along(network):
    assert run([["A11", "东门村联络站", "村级联络站", "B", "城关镇人民路1号", ""]]).ok
    assert station("A11").township_id == network["b"].pk
    assert station("A111").township_id == network["b"].pk


def test_reimporting_the_export_changes_nothing(network):
    for fmt in ("csv", "xlsx"):
        data = export_stations(Station.objects.all(), fmt)
        before = db_state()
        result = import_stations(upload(data, f"联络站.{fmt}"))
        assert result.ok, messages(result)
        assert (result.created, result.updated, result.unchanged) == (0, 0, Station.objects.count())
        assert db_state() == before


def test_the_export_lists_parents_before_children(network):
    text = export_stations(Station.objects.all(), "csv").decode("utf-8-sig")
    codes = [line.split(",")[0] for line in text.splitlines()[1:]]
    assert codes.index("HUB") < codes.index("A") < codes.index("A1") < codes.index("A11") < codes.index("A111")
    assert text.splitlines()[0] == ",".join(COLUMNS)


def test_gbk_and_xlsx_files_are_read(network):
    assert run([["A12", "西门村联络站", "村级联络站", "A1", "", ""]], encoding="gbk").created == 1
    data = xlsx_bytes([["A13", "北门村联络站", "村级联络站", "A1", "", 13800001111.0]], header=COLUMNS)
    assert import_stations(upload(data, "联络站.xlsx")).created == 1
    assert station("A13").phone == "13800001111"


def test_a_dry_run_writes_nothing(network):
    before = db_state()
    result = run([["A12", "西门村联络站", "村级联络站", "A1", "", ""]], dry_run=True)
    assert result.ok and result.created == 1
    assert db_state() == before


BAD_ROWS = [
    (["", "某站", "村级联络站", "A1", "", ""], "第 2 行：编码未填写。"),
    (["X", "", "村级联络站", "A1", "", ""], "第 2 行：名称未填写。"),
    (["X", "某站", "村站", "A1", "", ""], "第 2 行：联络站类型“村站”无法识别"),
    (["X", "某站", "村级联络站", "NOPE", "", ""], "第 2 行：未找到上级编码 NOPE"),
    (["X", "某站", "村级联络站", "", "", ""], "第 2 行：除县级总站外，每个联络站都必须有上级联络站。"),
    (["X", "某站", "县级总站", "A", "", ""], "第 2 行：县级总站是联络站网络的根节点，不能有上级联络站。"),
    (["X", "某站", "中心联络站", "A", "", ""], "第 2 行：中心联络站必须直接隶属于县级总站。"),
    (["X", "某站", "村级联络站", "A111", "", ""], "第 2 行：联络点之下不能再设联络站。"),
    (["X", "某站", "村级联络站", "A1", "", "12345"], "第 2 行：联系电话“12345”不是有效的手机号码或带区号的固定电话。"),
    (["X" * 33, "某站", "村级联络站", "A1", "", ""], "第 2 行：编码超过 32 个字。"),
    (
        ["A1", "城东片区联络站", "联络点", "A", "", ""],
        "第 2 行：其下级联络站 A11 将不符合规则：联络点之下不能再设联络站。",
    ),
    (
        ["A", "城关镇", "片区联络站", "A11", "", ""],
        "第 2 行：上级关系形成了循环：A → A11 → A1 → A。联络站不能位于自己之下。",
    ),
]


@pytest.mark.parametrize(("row", "message"), BAD_ROWS)
def test_a_bad_row_is_refused_with_its_reason_and_nothing_is_written(network, row, message):
    before = db_state()
    result = run([row])
    assert len(result.errors) == 1 and messages(result)[0].startswith(message), messages(result)
    assert db_state() == before


def test_a_cycle_inside_the_file_is_reported_on_each_row(network):
    result = run([["X", "x", "片区联络站", "Y", "", ""], ["Y", "y", "片区联络站", "X", "", ""]])
    assert messages(result) == [
        "第 2 行：上级关系形成了循环：X → Y → X。联络站不能位于自己之下。",
        "第 3 行：上级关系形成了循环：Y → X → Y。联络站不能位于自己之下。",
    ]


def test_the_same_code_twice_is_refused(network):
    result = run([["X", "x", "村级联络站", "A1", "", ""], ["X", "y", "村级联络站", "A1", "", ""]])
    assert messages(result) == ["第 3 行：编码 X 与第 2 行重复，每个联络站只能出现一次。"]


def test_every_bad_row_is_reported(network):
    before = db_state()
    result = run(
        [
            ["X", "x", "村级联络站", "A1", "", ""],
            ["Y", "y", "村站", "A1", "", ""],
            ["Z", "z", "村级联络站", "NOPE", "", ""],
        ]
    )
    assert [error.line for error in result.sorted_errors()] == [3, 4]
    assert db_state() == before


def test_a_file_without_the_required_columns_is_refused(network):
    result = run([["X", "x"]], header=["编码", "名称"])
    assert messages(result) == ["缺少必需的列：类型、上级编码。请使用导入模板的表头。"]


def test_address_and_phone_columns_may_be_left_out(network):
    result = run([["A11", "东门村联络站", "村级联络站", "A1"]], header=["编码", "名称", "类型", "上级编码"])
    assert result.ok and result.unchanged == 1


def test_township_staff_add_stations_in_their_township_only(role_users, network):
    township = role_users["township"]
    assert run([["A12", "西门村联络站", "村级联络站", "A1", "", ""]], user=township).created == 1
    before = db_state()
    result = run(
        [
            ["B2", "河口二村联络站", "村级联络站", "B", "", ""],
            ["B1", "河口村联络站", "村级联络站", "B", "", ""],
            ["Q", "q", "县级总站", "", "", ""],
        ],
        user=township,
    )
    assert messages(result) == [
        "第 2 行：未找到上级编码 B",
        "第 3 行：编码 B1 已被您管辖范围以外的联络站使用，请换一个编码。",
        "第 4 行：只能在您管辖范围内的联络站之下新增联络站。",
    ]
    assert db_state() == before


def test_township_staff_reimport_their_own_export_unchanged(role_users, network):

    township = role_users["township"]
    data = export_stations(Station.objects.visible_to(township), "csv")
    result = import_stations(upload(data, "联络站.csv"), user=township)
    assert result.ok, messages(result)
    assert result.unchanged == 4


def test_the_template_explains_every_column():
    sheets = read_xlsx(stations_template("xlsx"))
    (_, first), (notes_title, notes) = sheets.items()
    assert first == [list(COLUMNS)] and notes_title == "填写说明"
    assert [row[0] for row in notes[1:]] == list(COLUMNS)


def test_the_commands_import_and_export(network, tmp_path, capsys):
    path = tmp_path / "联络站.xlsx"
    call_command("export_stations", str(path))
    call_command("import_stations", str(path))
    assert f"未变 {Station.objects.count()} 条" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([["X", "x", "村站", "A1", "", ""]], header=COLUMNS))
    with pytest.raises(CommandError):
        call_command("import_stations", str(bad))
    assert "第 2 行：联络站类型“村站”无法识别" in capsys.readouterr().err


def test_bulk_import_keeps_the_tree_consistent(network):
    rows = [[f"A1{n:02d}", f"第{n}村联络站", "村级联络站", "A1", "", ""] for n in range(20, 60)]
    rows += [[f"A1{n:02d}1", f"第{n}村小学联络点", "联络点", f"A1{n:02d}", "", ""] for n in range(20, 60)]
    assert run(rows).created == 80
    f.StationFactory(code="A1999", name="拖入站", kind=StationKind.VILLAGE, parent=network["a_area"])
    hub = Station.objects.get(code="HUB")
    assert hub.get_descendant_count() == Station.objects.count() - 1
    assert Station.objects.filter(township=network["a"]).count() == 4 + 80 + 1
