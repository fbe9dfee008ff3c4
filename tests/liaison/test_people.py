from types import SimpleNamespace

from liaison.people import display_name


def user(first, last, username="u1"):
    return SimpleNamespace(first_name=first, last_name=last, get_username=lambda: username)


def test_chinese_names_surname_first_without_space():
    assert display_name(user("翠怡", "张")) == "张翠怡"
    assert display_name(user("张翠怡", "")) == "张翠怡"


def test_other_names_and_blanks():
    assert display_name(user("Jane", "Doe")) == "Jane Doe"
    assert display_name(user("", "", "county")) == "county"
    assert display_name(None) == ""
