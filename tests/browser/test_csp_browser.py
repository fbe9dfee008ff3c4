"""The Content-Security-Policy holds on the pages people use: no page needs an inline script,
and the behaviours moved to static/js/behaviours.js still work."""

import pytest

from tests import factories as f

from .steps import BROWSER_DB, log_in, log_in_admin

pytestmark = [pytest.mark.browser, BROWSER_DB]

WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


def violations(page) -> list[str]:
    return page.evaluate("window.__csp")


def visit_all(page, urls) -> dict[str, list[str]]:
    found = {}
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        assert "content-security-policy" in {name.lower() for name in response.headers}, url
        page.wait_for_load_state("networkidle")
        if violations(page):
            found[url] = violations(page)
    return found


def test_staff_and_public_pages_run_no_inline_script(browse, network, role_users):
    county = role_users["county"]
    station, deputy = network["a_village"], network["deputy_a"]
    campaign = f.CampaignFactory()
    f.CampaignTargetFactory(campaign=campaign, township=network["a"])
    page = browse.page("county")
    page.context.add_init_script(WATCH_CSP)
    public = [
        "/",
        "/stations/",
        f"/stations/{station.code}/",
        f"/stations/{station.code}/poster/",
        f"/stations/{station.code}/opinion/",
        "/track/",
        "/s/",
    ]
    assert visit_all(page, public) == {}
    log_in_admin(page, county.username)
    admin_pages = [
        "/admin/",
        "/admin/stations/station/",
        f"/admin/stations/station/{station.pk}/change/",
        f"/admin/deputies/deputy/{deputy.pk}/change/",
        "/admin/deputies/deputy/import/",
        "/admin/suggestions/department/export/",
        "/admin/suggestions/suggestion/",
        "/admin/suggestions/suggestion/ledger/",
        "/api/docs/",
        "/activities/review/",
        "/activities/campaigns/",
        f"/activities/campaigns/{campaign.pk}/",
        "/activities/rosters/",
        f"/activities/rosters/{network['a'].code}/2026/12/",
        "/activities/duty/missed/",
        "/activities/duty/leave/",
    ]
    assert visit_all(page, admin_pages) == {}
    browse.assert_clean()


def test_the_export_pages_select_all_box_still_works(browse, role_users, network):
    page = browse.page("county")
    page.context.add_init_script(WATCH_CSP)
    log_in_admin(page, role_users["county"].username, next_url="/admin/suggestions/department/export/")
    boxes = page.locator("input[type=checkbox][name^=departmentresource_]")
    assert boxes.count() >= 2
    page.locator("input.select-toggle").uncheck()
    assert all(not boxes.nth(i).is_checked() for i in range(boxes.count()))
    page.locator("input.select-toggle").check()
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    assert violations(page) == []


def test_declining_an_opinion_still_asks_first(browse, network, role_users):
    from suggestions import workflow
    from suggestions.models import Channel, Opinion, OpinionStatus

    deputy_user = role_users["deputy"]
    opinion = workflow.opinion_create(
        content="东门村路灯不亮",
        channel=Channel.PHONE,
        station=network["a_village"],
        actor=deputy_user,
        deputies=[network["deputy_a"]],
    )
    page = browse.page("deputy", phone=True)
    page.context.add_init_script(WATCH_CSP)
    log_in(page, deputy_user.username, next_url="/me/")
    deputy_pages = [
        f"/activities/log/?station={network['a_village'].code}",
        "/activities/mine/",
        "/activities/duty/mine/",
    ]
    assert visit_all(page, [*deputy_pages, "/me/"]) == {}
    form = page.locator("form[data-confirm]:has(input[value=decline])").first
    page.locator("details:has(input[value=decline]) summary").first.click()
    form.locator("textarea[name=text]").fill("不属于本站受理范围")
    form.locator("[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert [message for who, message in browse.dialogs if who == "deputy"], "a confirmation was asked"
    assert Opinion.objects.get(pk=opinion.pk).status == OpinionStatus.DECLINED
    assert violations(page) == []
    browse.assert_clean()
