"""Factories for the lifecycle: departments and the reference lists."""

import factory

from suggestions.models import Category, Department, DepartmentLevel, ResultClass


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"县第{n}局")
    level = DepartmentLevel.COUNTY


def category(name="城乡建设"):
    return Category.objects.get_or_create(name=name)[0]


def result_class(code="A"):
    return ResultClass.objects.get(code=code)
