"""Factories for deputies, their mandates, station assignments and groups."""

import factory

from deputies.models import AssignmentRole, Deputy, DeputyGroup, Level, Mandate, StationAssignment

from .stations import StationFactory


class DeputyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deputy

    name = factory.Sequence(lambda n: f"代表{n}")
    gender = "M"
    ethnicity = "汉族"
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    unit_title = "某村党支部书记"


class MandateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mandate

    deputy = factory.SubFactory(DeputyFactory)
    level = Level.COUNTY
    term = "第十八届"
    constituency = "第一选区"


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StationAssignment

    deputy = factory.SubFactory(DeputyFactory)
    station = factory.SubFactory(StationFactory)
    role = AssignmentRole.MEMBER


class DeputyGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeputyGroup

    name = factory.Sequence(lambda n: f"第{n}代表小组")
