"""Factories for the station tree."""

import factory

from stations.models import Station, StationKind


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station

    code = factory.Sequence(lambda n: f"S{n:05d}")
    name = factory.Sequence(lambda n: f"第{n}联络站")
    kind = StationKind.VILLAGE
    address = "城关镇人民路1号"


def county_hub(**kwargs) -> Station:
    return StationFactory(kind=StationKind.COUNTY_HUB, parent=None, name="县人大代表联络总站", **kwargs)
