"""Deputy groups as a spreadsheet (django-import-export): 名称, 类型, 所属乡镇, 组长.

Upserted by name. The leader is named by phone (``张建国 13800000001`` or the phone alone)
and becomes a member; the other members and the description are left alone.
"""

from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from liaison.spreadsheets.resources import NamedChoiceWidget, ScopedResource, TextWidget
from stations.widgets import TownshipWidget

from .models import DeputyGroup, GroupKind
from .widgets import DeputyWidget

# Spreadsheet names of the kinds: a data-format constant, not translated.
KIND_NAMES = {GroupKind.REGIONAL: "区域小组", GroupKind.FIELD: "专业小组"}
KIND_ALIASES = {"区域": GroupKind.REGIONAL, "专业": GroupKind.FIELD, "专业领域小组": GroupKind.FIELD}


class DeputyGroupResource(ScopedResource):
    name = Field(
        attribute="name",
        column_name="名称",
        widget=TextWidget(compact=True, required_message=_("The group name is missing.")),
    )
    kind = Field(attribute="kind", column_name="类型", widget=NamedChoiceWidget(KIND_NAMES, KIND_ALIASES))
    township = Field(attribute="township", column_name="所属乡镇", widget=TownshipWidget())
    leader = Field(attribute="leader", column_name="组长", widget=DeputyWidget())

    class Meta:
        model = DeputyGroup
        fields = ("name", "kind", "township", "leader")
        import_id_fields = ("name",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return DeputyGroup.objects.visible_to(self.user) if self.user else DeputyGroup.objects.all()

    def after_save_instance(self, instance, row, **kwargs):
        if instance.leader_id:
            instance.members.add(instance.leader_id)
