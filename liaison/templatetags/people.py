from django import template

from liaison.people import display_name

register = template.Library()


@register.filter
def person(user) -> str:
    """A user's name as the pages show it (``{{ user|person }}``)."""
    return display_name(user)
