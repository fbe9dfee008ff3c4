def test_station_township_is_derived(network):
    assert network["a_point"].township_id == network["a"].pk
    assert network["b_village"].township_id == network["b"].pk
    assert network["hub"].township_id is None
