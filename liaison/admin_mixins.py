"""Admin classes whose rights and querysets come from :mod:`liaison.scope` (rights) and the models' ``visible_to``."""

from django.contrib import admin

from liaison.scope import scope_for


class ScopedAdminMixin:
    """Rights from ``access.ADMIN_RIGHTS`` and a queryset limited by :meth:`limit_to_scope`."""

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
