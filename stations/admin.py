"""Admin for the station tree: drag-and-drop tree, scoped to what the user may manage."""

from django import http
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from mptt.admin import DraggableMPTTAdmin

from liaison.admin_mixins import ScopedAdminMixin, ScopedInlineMixin, ScopedModelAdmin
from liaison.forms import PhoneNormalizingForm
from liaison.scope import scope_for
from liaison.spreadsheets.admin import Spreadsheet, SpreadsheetAdminMixin

from .models import ReceptionDate, StandardChecklist, StandardItem, Station, StationAssessment, StationKind
from .selectors import station_coverage
from .station_io import export_stations, import_stations, stations_template
from .tree import MoveRefused, station_move


class TownshipFilter(admin.SimpleListFilter):
    """Filter a list by township (the townships the user may see).

    Subclasses for other models override :meth:`in_township`.
    """

    title = _("township")
    parameter_name = "township"

    def lookups(self, request, model_admin):
        centers = Station.objects.visible_to(request.user).filter(kind=StationKind.CENTER).order_by("code")
        return [(str(pk), name) for pk, name in centers.values_list("pk", "name")]

    def queryset(self, request, queryset):
        value = self.value() or ""
        return self.in_township(queryset, int(value)) if value.isdigit() else queryset

    def in_township(self, queryset, township_id: int):
        return queryset.filter(township_id=township_id)


class StationAssessmentInline(ScopedAdminMixin, admin.StackedInline):
    model = StationAssessment
    extra = 0
    fields = ("checklist", "year", "met_items", "assessed_on", "note")
    filter_horizontal = ("met_items",)
    rights_label = "stations.stationassessment"

    def in_scope(self, request, obj):
        return True


class ReceptionDateInline(ScopedInlineMixin, admin.TabularInline):
    """The set reception days of a station whose schedule is "on set dates"."""

    model = ReceptionDate
    extra = 1
    fields = ("day", "note")

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("-day")


@admin.register(Station)
class StationAdmin(SpreadsheetAdminMixin, ScopedAdminMixin, DraggableMPTTAdmin):
    form = PhoneNormalizingForm
    list_display = (
        "tree_actions",
        "indented_title",
        "code",
        "kind",
        "township",
        "deputy_count",
        "reception_schedule_display",
        "liaison_officer",
        "is_active",
    )
    list_display_links = ("indented_title",)
    list_filter = ("kind", TownshipFilter, "is_active")
    search_fields = ("name", "code", "address")
    list_per_page = 200
    mptt_level_indent = 18
    expand_tree_by_default = True
    readonly_fields = ("township", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("code", "name", "kind", "parent", "township", "is_active")}),
        (_("Contact"), {"fields": ("address", "phone", "liaison_officer")}),
        (
            _("Reception schedule"),
            {
                "fields": (
                    "reception_frequency",
                    "reception_day",
                    "reception_start",
                    "reception_end",
                    "reception_note",
                    "deputies_per_reception",
                )
            },
        ),
        (_("Coverage"), {"fields": ("village_count",)}),
        (_("Record"), {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )
    inlines = [ReceptionDateInline, StationAssessmentInline]
    change_list_template = "admin/stations/station/change_list.html"
    spreadsheet = Spreadsheet(
        title=_("stations"), import_file=import_stations, export=export_stations, template=stations_template
    )

    def limit_to_scope(self, request, queryset):
        return queryset.managed_by(scope_for(request.user))

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("township", "liaison_officer")
        queryset = self.limit_to_scope(request, queryset)
        return queryset.annotate(deputies_stationed=Count("assignments", filter=Q(assignments__deputy__is_active=True)))

    @admin.display(description=_("name"))
    def indented_title(self, station):
        return super().indented_title(station)

    @admin.display(description=_("deputies"), ordering="deputies_stationed")
    def deputy_count(self, station):
        return station.deputies_stationed

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        scope = scope_for(request.user)
        if not scope.is_county and not scope.township_ids:
            # A liaison officer keeps the contact details and schedule up to date, nothing else.
            fields += ["code", "name", "kind", "parent", "is_active", "liaison_officer", "village_count"]
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = Station.objects.visible_to(request.user).exclude(kind=StationKind.POINT)
        if db_field.name == "liaison_officer":
            kwargs["queryset"] = get_user_model().objects.filter(is_active=True, is_staff=True).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _move_node(self, request):
        """Drag and drop: move through :func:`stations.tree.station_move`, which checks the rules."""
        queryset = self.get_queryset(request)
        position = request.POST.get("position")
        try:
            station = queryset.get(pk=request.POST.get("cut_item"))
            target = queryset.get(pk=request.POST.get("pasted_on"))
        except (Station.DoesNotExist, TypeError, ValueError):
            self.message_user(request, gettext("The stations are gone; reload the page."), messages.ERROR)
            return http.HttpResponse("FAIL, invalid objects.")
        new_parent = target if position == "last-child" else target.parent
        if position not in ("last-child", "left", "right") or new_parent is None:
            self.message_user(request, gettext("A station can only be moved under another station."), messages.ERROR)
            return http.HttpResponse("FAIL, invalid move.")
        if not self.has_change_permission(request, station) or not queryset.filter(pk=new_parent.pk).exists():
            self.message_user(request, gettext("You may not move stations there."), messages.ERROR)
            return http.HttpResponse("FAIL, no permission.")
        try:
            station_move(station=station, new_parent=new_parent)
        except MoveRefused as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return http.HttpResponse("FAIL, invalid move.")
        LogEntry.objects.log_actions(
            user_id=request.user.pk,
            queryset=[station],
            action_flag=CHANGE,
            change_message=[{"changed": {"fields": ["parent"]}}],
            single_object=True,
        )
        self.message_user(
            request, gettext("%(station)s moved under %(parent)s.") % {"station": station, "parent": new_parent}
        )
        return http.HttpResponse("OK, moved.")

    def changelist_view(self, request, extra_context=None):
        coverage = station_coverage(Station.objects.visible_to(request.user))
        return super().changelist_view(request, {**(extra_context or {}), "coverage": coverage})


class StandardItemInline(admin.TabularInline):
    model = StandardItem
    extra = 3


@admin.register(StandardChecklist)
class StandardChecklistAdmin(ScopedModelAdmin):
    list_display = ("name", "is_active")
    search_fields = ("name",)
    inlines = [StandardItemInline]


@admin.register(StationAssessment)
class StationAssessmentAdmin(ScopedModelAdmin):
    list_display = ("station", "checklist", "year", "assessed_on")
    list_filter = ("year", "checklist", "station__kind")
    search_fields = ("station__name", "station__code")
    filter_horizontal = ("met_items",)
    list_select_related = ("station", "checklist")
    autocomplete_fields = ("station",)

    def limit_to_scope(self, request, queryset):
        scope = scope_for(request.user)
        if scope.is_county:
            return queryset
        return queryset.filter(station__in=Station.objects.managed_by(scope))
