"""Writing a status change on a row: the one mechanism every app's workflow shares."""


def write_status(item, target: str, **fields) -> str:
    """Give ``item`` the status ``target`` (and ``fields``), save only those columns (and
    ``updated_at`` where the model has one), and return the status it had. The workflow that
    calls it has checked the transition and writes the event row."""
    previous = item.status
    item.status = target
    for name, value in fields.items():
        setattr(item, name, value)
    columns = ["status", *fields]
    if any(field.name == "updated_at" for field in item._meta.concrete_fields):
        columns.append("updated_at")
    item.save(update_fields=columns)
    return previous
