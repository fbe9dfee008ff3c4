"""The REST API for opinions, suggestions, assignments and their transitions.

Every queryset goes through :mod:`liaison.access`, so a user only ever sees what they may;
every change of state is a POST action that calls :mod:`suggestions.workflow`. Status
fields are read-only everywhere.
"""
