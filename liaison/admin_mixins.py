"""Admin classes whose rights and querysets come from :mod:`liaison.scope` (rights) and the models' ``visible_to``."""

from django.contrib import admin
from django.db.models import Q

from liaison.scope import scope_for


def narrow_choices(form_class, user, current_values) -> None:
    """Limit every foreign-key and many-to-many choice of ``form_class`` to the rows the user
    may see (the related model's ``visible_to``), keeping the values already saved.

    The browser's widgets (select lists, autocompletes) only narrow what is *offered*; the form
    field's queryset is what the server validates a posted id against, so an out-of-scope id
    is refused with the field's "select a valid choice" error and nothing is written.
    ``current_values(name)`` returns a subquery of the ids the edited row(s) hold today, so a
    row linked to something outside the user's area stays editable without losing the link.
    """
    if scope_for(user).is_county:
        return
    for name, field in form_class.base_fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is None or not hasattr(queryset, "visible_to"):
            continue
        allowed = Q(pk__in=queryset.visible_to(user).values("pk"))
        current = current_values(name)
        if current is None:
            field.queryset = queryset.filter(allowed)
            continue
        # The saved value stays valid even where the admin's own choices leave it out (a
        # township center station's parent is the county hub, which township staff don't see).
        kept = queryset.model._default_manager.filter(
            Q(pk__in=queryset.filter(allowed).values("pk")) | Q(pk__in=current)
        )
        field.queryset = kept.order_by(*queryset.query.order_by) if queryset.query.order_by else kept


class ScopedAdminMixin:
    """Rights from ``liaison.scope.ADMIN_RIGHTS`` and a queryset limited by :meth:`limit_to_scope`."""

    rights_label: str | None = None

    def _rights(self, request) -> str:
        label = self.rights_label or self.opts.label_lower
        return scope_for(request.user).admin_rights(label)

    def limit_to_scope(self, request, queryset):
        """Return ``queryset`` narrowed to what the user may see; override per model."""
        return queryset

    def in_scope(self, request, obj) -> bool:
        """Whether ``obj`` lies in the user's scope; answered once per object and request."""
        if obj is None or obj.pk is None:
            return True
        cache = request.__dict__.setdefault("_in_scope_cache", {})
        key = (obj._meta.label_lower, obj.pk)
        if key not in cache:
            cache[key] = self.limit_to_scope(request, type(obj)._default_manager.filter(pk=obj.pk)).exists()
        return cache[key]

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The page's own form: choices narrowed to what the user may see (saved values kept)."""
        form = super().get_form(request, obj, change=change, **kwargs)

        def current_values(name):
            if obj is None or obj.pk is None:
                return None
            return type(obj)._default_manager.filter(pk=obj.pk).exclude(**{f"{name}__isnull": True}).values(name)

        narrow_choices(form, request.user, current_values)
        return form

    def get_formset(self, request, obj=None, **kwargs):
        """Inline forms: the same narrowing as the main form, keeping the rows' saved values."""
        formset = super().get_formset(request, obj, **kwargs)
        fk = formset.fk

        def current_values(name):
            if obj is None or obj.pk is None:
                return None
            rows = self.model._default_manager.filter(**{fk.name: obj.pk})
            return rows.exclude(**{f"{name}__isnull": True}).values(name)

        narrow_choices(formset.form, request.user, current_values)
        return formset

    def has_module_permission(self, request):
        return bool(self._rights(request))

    def has_view_permission(self, request, obj=None):
        rights = self._rights(request)
        return ("v" in rights or "c" in rights) and self.in_scope(request, obj)

    def has_add_permission(self, request, *args):
        return "a" in self._rights(request)

    def has_change_permission(self, request, obj=None):
        return "c" in self._rights(request) and self.in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return "d" in self._rights(request) and self.in_scope(request, obj)


class ScopedModelAdmin(ScopedAdminMixin, admin.ModelAdmin):
    def get_queryset(self, request):
        return self.limit_to_scope(request, super().get_queryset(request))


class ScopedInlineMixin(ScopedAdminMixin):
    """Inline rows follow the rights on their parent model (a deputy's mandates, …)."""

    def _rights(self, request) -> str:
        return scope_for(request.user).admin_rights(self.parent_model._meta.label_lower)

    def in_scope(self, request, obj) -> bool:
        return True

    def has_add_permission(self, request, obj=None):
        return "c" in self._rights(request) or "a" in self._rights(request)

    def has_delete_permission(self, request, obj=None):
        return "c" in self._rights(request)
