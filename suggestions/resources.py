"""Handling departments as a spreadsheet (django-import-export): 名称, 层级, 所属乡镇, 联系电话.

Upserted by name. The active flag and the handler accounts are not in the file and are left
alone.
"""

from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from liaison.spreadsheets.resources import NamedChoiceWidget, PhoneWidget, ScopedResource, TextWidget
from stations.widgets import TownshipWidget

from .models import Department, DepartmentLevel

# Spreadsheet names of the levels: a data-format constant, not translated.
LEVEL_NAMES = {DepartmentLevel.COUNTY: "县级部门", DepartmentLevel.TOWNSHIP: "乡镇"}
LEVEL_ALIASES = {
    "县级": DepartmentLevel.COUNTY,
    "县": DepartmentLevel.COUNTY,
    "县直部门": DepartmentLevel.COUNTY,
    "乡镇政府": DepartmentLevel.TOWNSHIP,
    "乡镇人民政府": DepartmentLevel.TOWNSHIP,
    "街道": DepartmentLevel.TOWNSHIP,
}


class DepartmentResource(ScopedResource):
    name = Field(
        attribute="name",
        column_name="名称",
        widget=TextWidget(compact=True, required_message=_("The department name is missing.")),
    )
    level = Field(attribute="level", column_name="层级", widget=NamedChoiceWidget(LEVEL_NAMES, LEVEL_ALIASES))
    township = Field(attribute="township", column_name="所属乡镇", widget=TownshipWidget())
    phone = Field(attribute="phone", column_name="联系电话", widget=PhoneWidget())

    class Meta:
        model = Department
        fields = ("name", "level", "township", "phone")
        import_id_fields = ("name",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return Department.objects.visible_to(self.user) if self.user else Department.objects.all()
