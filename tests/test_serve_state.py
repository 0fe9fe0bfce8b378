"""The page's state file (SPEC 2.7.3 v1.2): what it keeps, that it comes back, and that a
file it cannot use is refused, named and left exactly as it was."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from planner.loading import read_scenario_file
from planner.serve import ScenarioIdentity, Session, Settings, State, StateError
from planner.serve import state as state_module

ROOT = Path(__file__).parent.parent
WEEK = ROOT / "scenarios" / "week.yaml"
SCENARIO, RAW = read_scenario_file(WEEK)
WEEK_ID = ScenarioIdentity(str(WEEK), SCENARIO.name, hashlib.sha256(RAW).hexdigest())
OTHER_ID = ScenarioIdentity("/elsewhere/other.yaml", "Another scenario", "ab" * 32)
PIN = "update: {meetings: {CM-0455-2: {pinned: {start: 2026-12-02T14:00, room: P1}}}}"


def session_on(path: Path, fresh: bool = False) -> Session:
    return Session(SCENARIO, State.open(path, WEEK_ID, fresh), Settings(time_limit=20))


@pytest.fixture
def kept(tmp_path: Path) -> Iterator[Path]:
    """A state file with a session: a plan from a file, a pin and a change, closed."""
    path = tmp_path / "week.planner.db"
    session = session_on(path)
    session.add_file_plan("published", {"schema": "planner.schedule/1", "status": "unknown"})
    session.edit(PIN, "pin", "CM-0455-2")
    session.edit("update: {rooms: {M3: {unavailable: [2026-12-01]}}}")
    session.close()
    yield path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a folder with its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# ---- what it is ----------------------------------------------------------------------------


def test_a_new_state_file_is_sqlite_in_wal_mode_with_a_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "new.planner.db"
    state = State.open(path, WEEK_ID)
    try:
        assert path.read_bytes()[:16] == b"SQLite format 3\x00"
        with sqlite3.connect(path) as reader:
            assert reader.execute("PRAGMA journal_mode").fetchone() == ("wal",)
            assert reader.execute("PRAGMA application_id").fetchone() == (0x706C6E72,)
            versions = reader.execute("SELECT version FROM schema_version").fetchall()
            assert versions == [(state_module.SCHEMA_VERSION,)]
            (session,) = reader.execute("SELECT scenario_sha256, scenario_name FROM sessions")
            assert session == (WEEK_ID.sha256, SCENARIO.name)
    finally:
        state.close()


def test_the_session_comes_back_on_the_same_state(kept: Path) -> None:
    session = session_on(kept)
    try:
        assert session.state.resumed
        assert "CM-0455-2" in session.changes_text() and "M3" in session.changes_text()
        assert session.scenario.meetings_by_id["CM-0455-2"].pinned is not None
        (plan,) = session.plans()
        assert (plan.name, plan.origin, plan.compared) == ("published", "file", True)
        session.set_compared(plan.id, False)
        session.unpin("CM-0455-2")
    finally:
        session.close()
    again = session_on(kept)
    try:
        assert again.scenario.meetings_by_id["CM-0455-2"].pinned is None
        assert not again.plans()[0].compared
        kinds = [row[0] for row in again.state._query("SELECT kind FROM edits ORDER BY id")]
        assert kinds == ["pin", "change", "unpin"]
    finally:
        again.close()


def test_an_edit_that_breaks_the_scenario_writes_nothing(kept: Path) -> None:
    session = session_on(kept)
    try:
        before = session.state.edits()
        with pytest.raises(Exception, match="P9"):
            session.edit("remove: {rooms: [P9]}")
        assert session.state.edits() == before
        # a transaction that fails half way leaves nothing behind
        with pytest.raises(RuntimeError), session.state.transaction() as cursor:
            cursor.execute(
                "INSERT INTO edits (session_id, made_at, kind, text) "
                "VALUES (?, 'now', 'change', '{}')",
                (session.state.session_id,),
            )
            raise RuntimeError("stopped half way")
        assert session.state.edits() == before
    finally:
        session.close()


def test_a_solve_left_running_by_a_killed_server_is_marked_interrupted(kept: Path) -> None:
    state = State.open(kept, WEEK_ID)
    plan_id = state.add_plan("v2", "{}\n", time_limit=60)
    state.progress(plan_id, 3.0, 900, 800)  # then the server and its worker were killed
    with state.transaction() as cursor:  # ... long enough ago to be silent
        cursor.execute(
            "UPDATE plans SET heartbeat_at = ? WHERE id = ?", (time.time() - 60, plan_id)
        )
    state.close()
    session = session_on(kept)
    try:
        row = session.state.plan(plan_id)
        assert row is not None and row.status == "interrupted" and row.objective == 900
        assert session.progress()["status"] == "interrupted"
    finally:
        session.close()


def test_a_place_for_a_report_per_published_version(kept: Path) -> None:
    # what a robustness sweep of the published plan will keep beside the version
    state = State.open(kept, WEEK_ID)
    try:
        (plan,) = state.plans()
        version = state.add_publication(plan.id, "published.json", "0" * 64, "{}")
        assert state.last_report(version.id, "stress") is None
        state.add_report(version.id, "stress", '{"absorbed": 0.9}')
        assert state.last_report(version.id, "stress") == '{"absorbed": 0.9}'
    finally:
        state.close()


# ---- what it refuses --------------------------------------------------------------------------


def test_a_state_of_another_scenario_is_refused_and_left_as_it_is(kept: Path) -> None:
    before = snapshot(kept.parent)
    with pytest.raises(StateError) as refused:
        State.open(kept, OTHER_ID)
    message = str(refused.value)
    assert str(kept) in message and "another scenario" in message and "--fresh" in message
    assert SCENARIO.name in message
    assert snapshot(kept.parent) == before
    # --fresh starts a new session in the same file; the old one stays in it
    fresh = State.open(kept, OTHER_ID, fresh=True)
    try:
        assert not fresh.resumed and fresh.edits() == [] and fresh.plans() == []
        assert len(fresh._query("SELECT id FROM sessions")) == 2
    finally:
        fresh.close()


def test_a_file_that_is_not_sqlite_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "notes.planner.db"
    path.write_text("my notes, not a database\n")
    before = snapshot(tmp_path)
    with pytest.raises(StateError, match="not an SQLite database") as refused:
        State.open(path, WEEK_ID)
    assert str(path) in str(refused.value)
    assert snapshot(tmp_path) == before  # not written, and no -wal or -shm beside it


def test_an_sqlite_file_of_something_else_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE invoices (id INTEGER)")
    before = snapshot(tmp_path)
    with pytest.raises(StateError, match=r"not a planner state file.*invoices"):
        State.open(path, WEEK_ID)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("damage", ["pages overwritten", "cut short"])
def test_a_damaged_state_is_refused_and_left_as_it_is(kept: Path, damage: str) -> None:
    # a state with enough rows to span many pages, then damaged as a disk or a copy would
    state = State.open(kept, WEEK_ID)
    for index in range(200):
        state.add_edit("change", f"# edit {index}\n" + "{}\n" * 40)
    state.close()
    data = bytearray(kept.read_bytes())
    page = 4096
    if damage == "pages overwritten":
        data[2 * page : 6 * page] = bytes([0xA5]) * (4 * page)
    else:
        data = data[: len(data) // 2]
    kept.write_bytes(bytes(data))
    before = snapshot(kept.parent)
    with pytest.raises(StateError) as refused:
        State.open(kept, WEEK_ID)
    assert str(kept) in str(refused.value) and "left as it is" in str(refused.value)
    assert snapshot(kept.parent) == before


def test_a_state_of_a_newer_planner_is_refused(kept: Path) -> None:
    with sqlite3.connect(kept) as writer:
        writer.execute("INSERT INTO schema_version VALUES (99, 'later')")
    with pytest.raises(StateError, match="newer planner"):
        State.open(kept, WEEK_ID)


def test_migrations_take_an_older_file_forward_once(
    kept: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a later planner adds a migration: an existing file gets it once, its data kept
    def add_notes(connection: sqlite3.Connection) -> None:
        connection.execute("ALTER TABLE plans ADD COLUMN notes TEXT")

    later = [*state_module.MIGRATIONS, add_notes]
    monkeypatch.setattr(state_module, "MIGRATIONS", later)
    monkeypatch.setattr(state_module, "SCHEMA_VERSION", len(later))
    for _ in range(2):
        session = session_on(kept)
        try:
            assert "CM-0455-2" in session.changes_text() and len(session.plans()) == 1
            versions = session.state._query("SELECT version FROM schema_version ORDER BY version")
            assert versions == [(1,), (2,)]
            assert session.state._query("SELECT notes FROM plans") == [(None,)]
        finally:
            session.close()


# ---- as a user meets it -------------------------------------------------------------------


def serve(*arguments: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "planner", "serve", str(WEEK), "--port", "8799", *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT)


@pytest.mark.slow
def test_serve_refuses_a_foreign_or_damaged_state_with_exit_2(kept: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.planner.db"
    State.open(foreign, OTHER_ID).close()
    damaged = tmp_path / "damaged.planner.db"
    damaged.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 40)
    text = tmp_path / "text.planner.db"
    text.write_text("not a database")
    for path, says in [
        (foreign, "another scenario"),
        (damaged, "left as it is"),
        (text, "not an SQLite database"),
    ]:
        before = path.read_bytes()
        ran = serve("--state", str(path))
        assert ran.returncode == 2, (path, ran.stderr)
        assert str(path) in ran.stderr and says in ran.stderr
        assert "Traceback" not in ran.stderr and ran.stdout == ""  # no address printed
        assert path.read_bytes() == before


@pytest.mark.slow
def test_a_running_solve_keeps_its_best_plan_for_a_worker_killed_outright(
    tmp_path: Path,
) -> None:
    # The page's solve of eight generated weeks (not proven in minutes) writes its best
    # plan to the state while it runs (every KEEP_BEST_SECONDS). Its worker is then
    # killed outright (SIGKILL: it writes nothing more); the session opened again marks
    # the solve interrupted and still has that plan, which the checker accepts.
    import json
    import os
    import signal

    from planner.check import check_schedule
    from planner.generate import generate_scenario
    from planner.models import Scenario

    data = generate_scenario(year=2027, seed=3, weeks=8, variant="linked")
    scenario = Scenario.model_validate(data)
    identity = ScenarioIdentity(str(tmp_path / "weeks.yaml"), scenario.name, "cd" * 32)
    path = tmp_path / "weeks.planner.db"
    session = Session(scenario, State.open(path, identity), Settings(time_limit=600))
    plan_id = session.solve()
    try:
        deadline = time.monotonic() + 60  # several times KEEP_BEST_SECONDS, under load
        while session.state.document(plan_id) is None and time.monotonic() < deadline:
            time.sleep(0.2)  # polling for the condition, with a deadline
        assert session.state.document(plan_id) is not None, "no best plan while it ran"
        assert session.job is not None and session.job.process.pid is not None
        os.kill(session.job.process.pid, signal.SIGKILL)
        session.job.wait(10)
    finally:
        if session.job is not None:
            session.job.stop()  # a failed wait leaves no worker searching for 10 minutes
        session.close()
    state = State.open(path, identity)
    with state.transaction() as cursor:  # its heartbeat long silent
        cursor.execute("UPDATE plans SET heartbeat_at = 0 WHERE id = ?", (plan_id,))
    state.close()
    again = Session(scenario, State.open(path, identity), Settings(time_limit=600))
    try:
        row = again.state.plan(plan_id)
        assert row is not None and row.status == "interrupted"
        kept_text = again.state.document(plan_id)
        assert kept_text is not None
        assert check_schedule(scenario, json.loads(kept_text)) == []
    finally:
        again.close()
