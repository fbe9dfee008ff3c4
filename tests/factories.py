"""factory_boy factories for every app's models."""

import factory
from django.contrib.auth import get_user_model

from deputies.models import AssignmentRole, Deputy, DeputyGroup, Level, Mandate, StationAssignment
from liaison.models import Role, StaffProfile
from stations.models import Station, StationKind
from suggestions.models import Department, DepartmentLevel


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass12345")
    is_active = True

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station

    code = factory.Sequence(lambda n: f"S{n:05d}")
    name = factory.Sequence(lambda n: f"第{n}联络站")
    kind = StationKind.VILLAGE
    address = "城关镇人民路1号"


def county_hub(**kwargs) -> Station:
    return StationFactory(kind=StationKind.COUNTY_HUB, parent=None, name="县人大代表联络总站", **kwargs)


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


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"县第{n}局")
    level = DepartmentLevel.COUNTY


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile

    user = factory.SubFactory(UserFactory, is_staff=True)
    role = Role.COUNTY_STAFF


def category(name="城乡建设"):
    from suggestions.models import Category

    return Category.objects.get_or_create(name=name)[0]


def result_class(code="A"):
    from suggestions.models import ResultClass

    return ResultClass.objects.get(code=code)
