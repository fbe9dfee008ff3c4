"""Issue 2 in a real browser: county staff import a roster file through the admin's button.

Log in at /admin/login/, open the deputies' change list, click 导入, upload a GBK CSV as Excel
in China saves it (with the messy values people type), read the preview, confirm, and find
the deputies in the list with the success message.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from deputies.models import Deputy, Level
from deputies.roster import COLUMNS
from liaison.models import Role
from stations.models import StationKind
from tests import factories as f

from .steps import BROWSER_DB, assert_stylesheets_loaded, click_and_wait, log_in_admin

pytestmark = [pytest.mark.browser, BROWSER_DB]

CHANGELIST = reverse("admin:deputies_deputy_changelist")
IMPORT = reverse("admin:deputies_deputy_import")


# As a county clerk's Excel saves it: a 序号 and a 备注 column the import ignores, a starred
# required header, blanks inside names, dashes, blanks and full-width digits in phones, 1975年3月
# and 1980/7 for birth months, 18 for 第十八届, level aliases (县级, 县、乡镇), a station given by
# its code. The third row is a deputy already in the database (matched by phone): an update.
ROSTER_ROWS = (
    "1, 王 小明 ,男,汉,1975年3月,中共党员,139-0000-0001,东门村党支部书记,县、乡镇,18,第一选区,东门村联络站,,农业,",
    "2,李　红,女性,汉族,1980/7,群众,１３９００００００02,县人民医院护士长,乡镇,第十九届,第二选区,A11,,医疗,新当选",
    "3,张建国,男,汉族,1968.05,中共党员,138 0000 0009,城关镇副镇长,县级,第十八届,第一选区,城关镇中心联络站,,,更新职务",
)


def roster_csv_gbk() -> bytes:
    """The roster file in GBK with CRLF line ends, the header in the template's column order."""
    header = ",".join(["序号", *(f"{column}*" if column == "姓名" else column for column in COLUMNS), "备注"])
    return "".join(f"{line}\r\n" for line in (header, *ROSTER_ROWS)).encode("gbk")


def zh(message: str, **values) -> str:
    """A message as the pages show it (translated if the catalogue has it yet)."""
    with translation.override("zh-hans"):
        return gettext(message) % values


def test_county_staff_import_a_roster_file_through_the_admin_button(browse, tmp_path):
    hub = f.county_hub(code="HUB")
    center = f.StationFactory(code="A", name="城关镇中心联络站", kind=StationKind.CENTER, parent=hub)
    area = f.StationFactory(code="A1", name="城东片区联络站", kind=StationKind.AREA, parent=center)
    f.StationFactory(code="A11", name="东门村联络站", kind=StationKind.VILLAGE, parent=area)
    existing = f.DeputyFactory(name="张建国", phone="13800000009", unit_title="城关镇党委委员")
    existing.birth_month = dt.date(1968, 5, 1)
    existing.save()
    f.MandateFactory(deputy=existing, level=Level.COUNTY, term="第十八届")
    staff = f.StaffProfileFactory(user=f.UserFactory(username="county", is_staff=True), role=Role.COUNTY_STAFF).user
    roster = tmp_path / "代表名册.csv"
    roster.write_bytes(roster_csv_gbk())

    page = browse.page("county staff")
    log_in_admin(page, staff.username, next_url=CHANGELIST)
    assert_stylesheets_loaded(page)
    click_and_wait(page, page.locator(f".object-tools a[href='{IMPORT}']"), IMPORT)

    upload = page.locator(f"form[action='{IMPORT}']")
    upload.locator("input[type=file][name=file]").set_input_files(str(roster))
    click_and_wait(page, upload.locator("[type=submit]"), IMPORT)
    counts = page.locator("#import-counts")
    assert counts.inner_text().strip() == zh(
        "The import will add %(created)s, update %(updated)s and leave %(unchanged)s unchanged.",
        created=2,
        updated=1,
        unchanged=0,
    )
    preview = page.locator("#import-rows tbody tr")
    assert preview.count() == 3
    assert [preview.nth(i).locator("td").nth(1).inner_text() for i in range(3)] == ["王小明", "李红", "张建国"]
    assert not Deputy.objects.filter(name__in=["王小明", "李红"]).exists()  # a preview writes nothing

    click_and_wait(page, page.locator("form:has(input[name=token]) [type=submit]"), CHANGELIST)

    success = page.locator("ul.messagelist li.success")
    assert success.inner_text().strip() == zh(
        "Import finished: %(created)s added, %(updated)s updated, %(unchanged)s unchanged.",
        created=2,
        updated=1,
        unchanged=0,
    )
    names = page.locator("#result_list tbody th, #result_list tbody td.field-name").all_inner_texts()
    assert {"王小明", "李红", "张建国"} <= {name.strip() for name in names}
    shot = tmp_path / "roster-imported.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")
    browse.assert_clean()

    wang = Deputy.objects.get(name="王小明")
    assert wang.phone == "13900000001" and wang.birth_month == dt.date(1975, 3, 1)
    assert sorted(wang.mandates.values_list("level", "term")) == [
        (Level.COUNTY, "第十八届"),
        (Level.TOWNSHIP, "第十八届"),
    ]
    assert list(wang.assignments.values_list("station__code", flat=True)) == ["A11"]
    li = Deputy.objects.get(name="李红")
    assert (li.gender, li.phone, li.birth_month) == ("F", "13900000002", dt.date(1980, 7, 1))
    assert list(li.assignments.values_list("station__code", flat=True)) == ["A11"]
    existing.refresh_from_db()
    assert existing.unit_title == "城关镇副镇长"
    assert list(existing.assignments.values_list("station__code", flat=True)) == ["A"]
    assert Deputy.objects.count() == 3
