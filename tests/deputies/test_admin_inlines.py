"""Station assignments on both admin pages: existing rows as text, new rows by autocomplete."""


def test_assignment_inlines_on_station_and_deputy_pages(client, role_users, network):
    client.force_login(role_users["county"])
    page = client.get(f"/admin/stations/station/{network['a_village'].pk}/change/").content.decode()
    assert "admin-autocomplete" in page and "张建国" in page
    page = client.get(f"/admin/deputies/deputy/{network['deputy_a'].pk}/change/").content.decode()
    assert "admin-autocomplete" in page and "东门村联络站" in page
