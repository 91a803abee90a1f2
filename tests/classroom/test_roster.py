"""Roster parsing and the generated passwords (no hub, no root needed)."""

from __future__ import annotations

import stat

import hubctl
import pytest
from passwords import check_password, hash_password


def _roster(tmp_path, text):
    path = tmp_path / "roster.csv"
    path.write_text(text)
    return path


def test_shipped_roster_has_an_instructor_and_twenty_students():
    members = hubctl.read_roster(hubctl.DEFAULTS["roster"])
    roles = [m.role for m in members]
    assert roles.count("instructor") == 1 and roles.count("student") == 20


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("user,role\nann,student\n", "row 1: the header must be 'name,role'"),
        ("name,role\nteach,instructor\nAnn Lee,student\n", "row 3, column 'name': 'Ann Lee'"),
        ("name,role\nteach,instructor\nann,teacher\n", "row 3, column 'role': 'teacher'"),
        (
            "name,role\nteach,instructor\nann,student\nann,student\n",
            "row 4, column 'name': 'ann' appears twice",
        ),
        ("name,role\nann,student\n", "needs at least one instructor"),
    ],
)
def test_bad_rosters_are_refused_naming_row_and_column(tmp_path, text, message):
    path = _roster(tmp_path, text)
    with pytest.raises(hubctl.RosterError, match="roster.csv") as err:
        hubctl.read_roster(path)
    assert message in str(err.value)


def test_password_hashes_check_and_differ():
    rec = hash_password("s3cret")
    assert check_password("s3cret", rec)
    assert not check_password("s3cret ", rec) and not check_password("", rec)
    assert hash_password("s3cret")["hash"] != rec["hash"]  # salted
    assert not check_password("s3cret", {"salt": "bad"})


def test_passwords_are_generated_once_private_and_only_hashed_for_the_hub(tmp_path):
    members = hubctl.read_roster(_roster(tmp_path, "name,role\nteach,instructor\nann,student\n"))
    state = tmp_path / "state"
    path = hubctl.ensure_passwords(members, state)
    first = hubctl.read_passwords(state)
    assert set(first) == {"teach", "ann"} and len(set(first.values())) == 2
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    users = (state / "users.json").read_text()
    assert first["ann"] not in users and stat.S_IMODE((state / "users.json").stat().st_mode) == 0o600
    members.append(hubctl.Member("ben", "student"))
    hubctl.ensure_passwords(members, state)
    second = hubctl.read_passwords(state)
    assert second["ann"] == first["ann"] and "ben" in second  # restarts keep handed-out passwords
