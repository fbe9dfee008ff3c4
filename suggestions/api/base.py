"""The shape shared by the API's viewsets: scoped read access plus POST actions."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from rest_framework import mixins, status, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from liaison.scope import can_see_personal_data


class Pagination(PageNumberPagination):
    """50 a page by default; ``?page_size=`` up to 200."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ResourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List and retrieve through a user-scoped queryset; actions call the workflow.

    ``serializer_class`` shapes list rows, ``detail_serializer_class`` one object (retrieve,
    create and every action answer with it).
    """

    pagination_class = Pagination
    detail_serializer_class = None
    http_method_names = ["get", "post", "head", "options"]

    def get_serializer_class(self):
        if self.action == "list" or self.detail_serializer_class is None:
            return self.serializer_class
        return self.detail_serializer_class

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["personal_data"] = can_see_personal_data(self.request.user) if self.request else False
        return context

    def read_input(self, input_class, partial: bool = False) -> dict:
        """The validated body of the request, or a 400 answer with the field errors."""
        form = input_class(data=self.request.data, partial=partial, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        return dict(form.validated_data)

    #: The keyword under which the workflow functions take this resource's object.
    workflow_target = ""

    def act(self, workflow_action, input_class=None, partial: bool = False) -> Response:
        """Call ``workflow_action(<target>=obj, actor=user, **input)`` on the requested object
        and answer with its fresh state.

        The object is looked up in the user's scope first (404 outside it); the workflow then
        decides whether the user may act (403), whether the status allows it (409) and whether
        the input is right (400), see :mod:`.errors`.
        """
        target = self.get_object()
        values = self.read_input(input_class, partial=partial) if input_class is not None else {}
        workflow_action(**{self.workflow_target: target}, actor=self.request.user, **values)
        return self.fresh_response(target.pk)

    def fresh_response(self, pk, status_code: int = status.HTTP_200_OK) -> Response:
        instance = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(self.get_serializer(instance).data, status=status_code)
