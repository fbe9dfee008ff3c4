"""Admin for deputies, their mandates and stations, and deputy groups."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from liaison.admin_mixins import ScopedInlineMixin, ScopedModelAdmin
from liaison.forms import PhoneNormalizingForm
from liaison.scope import can_see_personal_data, scope_for
from liaison.spreadsheets.admin import ScopedImportExportMixin, Spreadsheet, SpreadsheetAdminMixin
from stations.admin import StationAdmin, TownshipFilter
from stations.models import GRID_STATION_KINDS, Grid, Station, StationKind

from .grid_io import export_grids, grids_template, import_grids
from .models import AssignmentRole, Deputy, DeputyGroup, Level, Mandate, StationAssignment
from .resources import DeputyGroupResource
from .roster import export_roster, import_roster, roster_template
from .selectors import deputy_coverage


class LevelFilter(admin.SimpleListFilter):
    title = _("level")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return Level.choices

    def queryset(self, request, queryset):
        if self.value() in Level.values:
            holders = Mandate.objects.filter(level=self.value(), is_active=True).values("deputy_id")
            return queryset.filter(pk__in=holders)
        return queryset


class DeputyTownshipFilter(TownshipFilter):
    def in_township(self, queryset, township_id: int):
        stationed = StationAssignment.objects.filter(station__township_id=township_id).values("deputy_id")
        return queryset.filter(pk__in=stationed)


class GroupFilter(admin.SimpleListFilter):
    title = _("deputy group")
    parameter_name = "group"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in DeputyGroup.objects.visible_to(request.user).values_list("pk", "name")]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            members = DeputyGroup.members.through.objects.filter(deputygroup_id=int(self.value()))
            return queryset.filter(pk__in=members.values("deputy_id"))
        return queryset


class MandateInline(ScopedInlineMixin, admin.TabularInline):
    model = Mandate
    extra = 0
    fields = ("level", "term", "constituency", "is_active")


class OneMasterFormSet(BaseInlineFormSet):
    """Station assignments that refuse a second station master with a form error.

    The database allows one master per station (a conditional unique constraint the form's
    own checks skip, as the station is not a field of the station page's rows). A page shows
    two assignment inlines (the existing rows and a new row), so what each one proposes is
    kept in ``proposals``, shared for the request, and each checks the union with the masters
    already saved, less those the page changes or deletes.
    """

    proposals: dict = {}

    def clean(self):
        super().clean()
        masters: dict[int, set] = {}
        released: set[int] = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            instance = form.instance
            deleting = self.can_delete and self._should_delete_form(form)
            is_master = not deleting and form.cleaned_data.get("role") == AssignmentRole.MASTER
            if instance.pk and not is_master:
                released.add(instance.pk)
            if is_master and instance.station_id:
                masters.setdefault(instance.station_id, set()).add(instance.pk or f"new-{id(form)}")
        self.proposals[self.prefix] = (masters, released)
        self.check_one_master()

    def check_one_master(self) -> None:
        proposed: dict[int, set] = {}
        released: set[int] = set()
        for masters, freed in self.proposals.values():
            released |= freed
            for station_id, keys in masters.items():
                proposed.setdefault(station_id, set()).update(keys)
        for station_id, keys in proposed.items():
            saved = StationAssignment.objects.filter(station_id=station_id, role=AssignmentRole.MASTER)
            keys |= set(saved.exclude(pk__in=released).values_list("pk", flat=True))
            if len(keys) > 1:
                station = Station.objects.filter(pk=station_id).values_list("name", flat=True).first()
                raise ValidationError(
                    gettext("A station has one station master: choose one for %(station)s.") % {"station": station}
                )


class AssignmentFormSetMixin:
    """Both assignment inlines of a page share their proposals (see :class:`OneMasterFormSet`)."""

    formset = OneMasterFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        shared = request.__dict__.setdefault("_station_master_proposals", {})
        return type(formset.__name__, (formset,), {"proposals": shared})


class ExistingAssignmentsInline(AssignmentFormSetMixin, ScopedInlineMixin, admin.TabularInline):
    """Existing station assignments, the other side (``shown``) as text: no widget query per row."""

    model = StationAssignment
    extra = 0
    shown = ""

    def get_fields(self, request, obj=None):
        return (self.shown, "role")

    def get_readonly_fields(self, request, obj=None):
        return (self.shown,)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("station", "deputy")

    def has_add_permission(self, request, obj=None):
        return False


class NewAssignmentsInline(AssignmentFormSetMixin, ScopedInlineMixin, admin.TabularInline):
    """An empty row to add a station assignment, choosing the other side by autocomplete."""

    model = StationAssignment
    extra = 1
    shown = ""

    def get_fields(self, request, obj=None):
        return (self.shown, "role")

    def get_autocomplete_fields(self, request):
        return (self.shown,)

    def get_queryset(self, request):
        return super().get_queryset(request).none()


class AssignmentInline(ExistingAssignmentsInline):
    """The stations a deputy is stationed in (on the deputy's page)."""

    shown = "station"
    verbose_name_plural = _("stations")


class NewAssignmentInline(NewAssignmentsInline):
    shown = "station"
    verbose_name_plural = _("station the deputy is stationed in")


class StationDeputiesInline(ExistingAssignmentsInline):
    """The deputies stationed in a station (on the station's page); set the master here."""

    shown = "deputy"
    verbose_name = _("stationed deputy")
    verbose_name_plural = _("stationed deputies")


class NewStationDeputyInline(NewAssignmentsInline):
    shown = "deputy"
    verbose_name_plural = _("station a deputy here")


# The station page lists its deputies; the inline lives here because deputies build on stations.
StationAdmin.inlines = [StationDeputiesInline, NewStationDeputyInline, *StationAdmin.inlines]


@admin.register(Deputy)
class DeputyAdmin(SpreadsheetAdminMixin, ScopedModelAdmin):
    form = PhoneNormalizingForm
    spreadsheet = Spreadsheet(
        title=_("deputy roster"),
        import_file=import_roster,
        export=export_roster,
        template=roster_template,
        has_personal_data=True,
    )
    list_display = ("name", "gender", "level_labels", "unit_title", "station_names", "phone_shown", "is_active")
    list_filter = (LevelFilter, DeputyTownshipFilter, GroupFilter, "gender", "is_active")
    search_fields = ("name", "phone", "unit_title", "code")
    list_per_page = 50
    inlines = [MandateInline, AssignmentInline, NewAssignmentInline]
    readonly_fields = ("code", "created_at", "updated_at")
    autocomplete_fields = ("user",)
    fieldsets = (
        (None, {"fields": ("name", "gender", "ethnicity", "birth_month", "political_status", "is_active")}),
        (_("Work and contact"), {"fields": ("unit_title", "expertise", "phone", "user")}),
        (_("Record"), {"fields": ("code", "created_at", "updated_at"), "classes": ("collapse",)}),
    )

    def limit_to_scope(self, request, queryset):
        return queryset.visible_to(request.user)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("mandates", queryset=Mandate.objects.filter(is_active=True)),
                Prefetch("assignments", queryset=StationAssignment.objects.select_related("station")),
            )
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if can_see_personal_data(request.user):
            return fieldsets
        # Without the right to personal data the phone field is left out of the form.
        return [
            (title, {**options, "fields": tuple(f for f in options["fields"] if f != "phone")})
            for title, options in fieldsets
        ]

    @admin.display(description=_("stations"))
    def station_names(self, deputy):
        names = []
        for assignment in deputy.assignments.all():
            prefix = "★" if assignment.role == AssignmentRole.MASTER else ""
            names.append(prefix + assignment.station.name)
        return "、".join(names)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if "c" not in scope_for(request.user).admin_rights("liaison.staffprofile"):
            fields.append("user")  # linking login accounts is for those who manage accounts
        return fields

    def get_list_display(self, request):
        if can_see_personal_data(request.user):
            return self.list_display
        return tuple("phone_masked" if name == "phone_shown" else name for name in self.list_display)

    @admin.display(description=_("phone"), ordering="phone")
    def phone_shown(self, deputy):
        return deputy.phone_display

    @admin.display(description=_("phone"))
    def phone_masked(self, deputy):
        return deputy.phone_masked

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "coverage": deputy_coverage(request.user)}
        return super().changelist_view(request, extra_context)


@admin.register(DeputyGroup)
class DeputyGroupAdmin(ScopedImportExportMixin, ScopedModelAdmin, ImportExportModelAdmin):
    resource_classes = [DeputyGroupResource]
    list_display = ("name", "kind", "township", "leader", "member_count")
    list_filter = ("kind", "township")
    search_fields = ("name",)
    autocomplete_fields = ("leader", "members")
    list_select_related = ("township", "leader")

    def limit_to_scope(self, request, queryset):
        return queryset.visible_to(request.user)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_total=Count("members"))

    @admin.display(description=_("members"), ordering="member_total")
    def member_count(self, group):
        return group.member_total

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "township":
            kwargs["queryset"] = Station.objects.visible_to(request.user).filter(kind=StationKind.CENTER)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        group = form.instance
        if group.leader_id:
            group.members.add(group.leader_id)


class GridTownshipFilter(TownshipFilter):
    def in_township(self, queryset, township_id: int):
        return queryset.filter(station__township_id=township_id)


class GridLeaderInline(ScopedInlineMixin, admin.TabularInline):
    """The grid's leaders (网格长), deputies chosen by autocomplete."""

    model = Deputy.grids_led.through
    extra = 1
    autocomplete_fields = ("deputy",)
    verbose_name = _("grid leader")
    verbose_name_plural = _("grid leaders")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("deputy")


@admin.register(Grid)
class GridAdmin(SpreadsheetAdminMixin, ScopedModelAdmin):
    """Grids (网格) under village and area stations, with their leaders. Registered here, not
    in ``stations``, because the leaders are deputies."""

    spreadsheet = Spreadsheet(
        title=_("grids"), import_file=import_grids, export=export_grids, template=grids_template, has_personal_data=True
    )
    list_display = ("name", "code", "station", "leader_names", "is_active")
    list_filter = ("is_active", GridTownshipFilter)
    search_fields = ("name", "code", "station__name", "station__code")
    list_select_related = ("station",)
    autocomplete_fields = ("station",)
    fields = ("station", "code", "name", "description", "is_active")
    inlines = [GridLeaderInline]
    change_list_template = "admin/stations/grid/change_list.html"

    def limit_to_scope(self, request, queryset):
        return queryset.filter(station__in=Station.objects.managed_by(scope_for(request.user)))

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("leaders")

    @admin.display(description=_("grid leaders"))
    def leader_names(self, grid):
        return "、".join(deputy.name for deputy in grid.leaders.all())

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "station":
            kwargs["queryset"] = Station.objects.managed_by(scope_for(request.user)).filter(kind__in=GRID_STATION_KINDS)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
