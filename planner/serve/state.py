"""The page's state file (SPEC 2.7.3 v1.2): the coordinator's session in SQLite.

One file (``--state``, default ``SCENARIO.planner.db`` beside the scenario) holds, per
session: the scenario it is about (path, name, sha256 of its bytes), every edit made on
the page (pins and what-if changes, each as the change file it adds), every plan with
the change file it was planned with, the solve's progress and how it ended, which plans
are in the comparison, and every version published with its time. It is read and
written with the standard library's ``sqlite3`` in WAL mode; every change is one
transaction (:meth:`State.transaction`), so that a server killed at any moment comes
back with every change made before it. No pickle: every value is text, a number or JSON.

The schema has a version table; :data:`MIGRATIONS` takes a file from each version to
the next, so that a later planner reads an older file (a newer file is refused, never
rewritten). A file that is not SQLite, not a planner state, damaged, or the session of
another scenario is refused with a :class:`StateError` that names the file and says what
is wrong; nothing is written to it then.

The tables (``README.md``, "The page's state file"):

- ``schema_version(version, migrated_at)``: one row per migration applied.
- ``sessions(id, started_at, scenario_path, scenario_name, scenario_sha256)``: the latest
  is the current one; ``--fresh`` starts another.
- ``edits(id, session_id, made_at, kind, activity, text)``: ``kind`` is ``pin``, ``unpin``
  or ``change``; ``text`` the change file of that edit; the page's edits are all of them
  merged in order.
- ``plans(id, session_id, name, origin, changes, baseline_id, status, started_at,
  ended_at, time_limit, worker_pid, heartbeat_at, elapsed, objective, bound,
  cancel_requested, compared, document, figures)``: ``origin`` is ``solve`` or ``file``;
  ``status`` ``running``, ``done``, ``cancelled``, ``interrupted`` or ``failed``;
  ``document`` the ``planner.schedule/1`` JSON (null until a plan exists); ``figures``
  the what-if table's column of it.
- ``publications(id, session_id, plan_id, published_at, path, sha256, document)``: each
  version published, exactly as written.
- ``reports(id, plan_sha256, kind, made_at, document)``: reports about a published plan
  file, by the sha256 of its bytes (``planner stress`` keeps its sweep's here, so that
  the page shows the last one of the plan the published file holds, whoever wrote it:
  the page or the nightly job).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

APPLICATION_ID = 0x706C6E72
"""``PRAGMA application_id`` of a state file ("plnr"): what tells it from other SQLite files."""
SQLITE_HEADER = b"SQLite format 3\x00"
HEARTBEAT_SECONDS = 0.5
"""How often a running solve says it is alive."""
STALE_SECONDS = 5.0
"""A running solve silent for this long has ended without saying so (a killed worker)."""

_V1 = """
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    scenario_path TEXT NOT NULL,
    scenario_name TEXT NOT NULL,
    scenario_sha256 TEXT NOT NULL
);
CREATE TABLE edits (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    made_at TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('pin', 'unpin', 'change')),
    activity TEXT,
    text TEXT NOT NULL
);
CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    name TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('solve', 'file')),
    changes TEXT NOT NULL,
    baseline_id INTEGER REFERENCES plans(id),
    status TEXT NOT NULL
        CHECK (status IN ('running', 'done', 'cancelled', 'interrupted', 'failed')),
    started_at TEXT NOT NULL,
    ended_at TEXT,
    time_limit REAL,
    worker_pid INTEGER,
    heartbeat_at REAL,
    elapsed REAL,
    objective INTEGER,
    bound INTEGER,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    compared INTEGER NOT NULL DEFAULT 1,
    document TEXT,
    figures TEXT
);
CREATE INDEX plans_of_session ON plans(session_id);
CREATE INDEX edits_of_session ON edits(session_id);
CREATE TABLE publications (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    plan_id INTEGER NOT NULL REFERENCES plans(id),
    published_at TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    plan_sha256 TEXT NOT NULL,
    kind TEXT NOT NULL,
    made_at TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE INDEX reports_of_plan ON reports(plan_sha256, kind);
"""

MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    lambda connection: _script(connection, _V1),
]
"""``MIGRATIONS[n]`` takes a file from schema version ``n`` to ``n + 1``, in the
transaction that records it. Append only: a released migration never changes."""
SCHEMA_VERSION = len(MIGRATIONS)
"""The version this planner writes."""


class StateError(Exception):
    """A state file that cannot be used: the message names the file and what is wrong."""


@dataclass(frozen=True)
class ScenarioIdentity:
    """The scenario a session is about: its file, its name, the sha256 of its bytes."""

    path: str
    name: str
    sha256: str


@dataclass(frozen=True)
class PlanRow:
    """A plan of the session as listed (without its document, which may be large).

    Attributes
    ----------
    id, name
        The plan's id in the file, and its name on the page (``v3``, ``published``).
    origin
        ``solve`` (solved on the page) or ``file`` (read from ``--plan`` or the
        published file).
    changes
        The change file of the page's edits the plan was made with (``{}``: none).
    baseline_id
        The plan it was solved against (it moves little from that one).
    status
        ``running``, ``done``, ``cancelled``, ``interrupted`` (the server went away
        during the solve) or ``failed``.
    started_at, ended_at
        When the solve started and ended (UTC, ISO 8601).
    time_limit, worker_pid, heartbeat_at
        The solve's limit, its worker process, and when the worker last said it was
        alive (seconds since the epoch).
    elapsed, objective, bound
        The solve's last progress: its seconds, best objective and proven bound.
    compared
        Whether the plan is in the page's comparison.
    has_plan
        Whether the plan document exists (a solve has one once it found a plan).
    figures
        The plan's column of the comparison (the what-if figures).
    """

    id: int
    name: str
    origin: str
    changes: str
    baseline_id: int | None
    status: str
    started_at: str
    ended_at: str | None
    time_limit: float | None
    worker_pid: int | None
    heartbeat_at: float | None
    elapsed: float | None
    objective: int | None
    bound: int | None
    compared: bool
    has_plan: bool
    figures: dict[str, str] | None


@dataclass(frozen=True)
class Publication:
    """A version published from the page: which plan, when, where, the bytes' sha256."""

    id: int
    plan_id: int
    published_at: str
    path: str
    sha256: str


_PLAN_COLUMNS = (
    "id, name, origin, changes, baseline_id, status, started_at, ended_at, time_limit, "
    "worker_pid, heartbeat_at, elapsed, objective, bound, compared, document IS NOT NULL, "
    "figures"
)


def _plan_row(row: tuple[Any, ...]) -> PlanRow:
    """A ``plans`` row of :data:`_PLAN_COLUMNS` as a :class:`PlanRow`."""
    values = dict(zip((f.name for f in fields(PlanRow)), row, strict=True))
    values["compared"], values["has_plan"] = bool(values["compared"]), bool(values["has_plan"])
    values["figures"] = json.loads(values["figures"]) if values["figures"] else None
    return PlanRow(**values)


def now() -> str:
    """The current time as the state writes it: ISO 8601, UTC, to the second (a session
    may be resumed on a machine in another zone; the page shows the times as written)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class State:
    """An open state file: the current session and every change to it, each in a transaction.

    Open one with :meth:`open` (the server: checks the file and picks or starts the
    session) or :meth:`attach` (a solve's worker: writes its own plan's progress).
    """

    def __init__(self, path: Path, connection: sqlite3.Connection, session_id: int) -> None:
        self.path = path
        self.connection = connection
        self.session_id = session_id
        self._lock = threading.RLock()
        """One statement or transaction at a time: the server reads and writes from its
        event loop and from threads."""
        self.resumed = False
        """Whether the session was there before this start."""

    # ---- opening ------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, scenario: ScenarioIdentity, fresh: bool = False) -> State:
        """Open (or create) the state file at ``path`` for ``scenario``.

        The latest session is resumed when it is about the same scenario file bytes;
        ``fresh`` starts a new session instead (the older ones stay in the file).

        Raises
        ------
        StateError
            When the file is not SQLite, not a planner state file, damaged, written by a
            newer planner, or (without ``fresh``) the session of another scenario.
        """
        path = Path(path)
        connection = _connect(path)
        try:
            with _located(path):
                latest = _latest_session(connection)
                if latest is not None and not fresh and latest[3] != scenario.sha256:
                    raise StateError(
                        f"{path}: the session of another scenario ({latest[2]!r} from "
                        f"{latest[1]}, sha256 {latest[3][:12]}..., started {latest[4]}); "
                        f"{scenario.path} has sha256 {scenario.sha256[:12]}...: left as it is; "
                        "give --fresh to start a new session in this file (the old one is "
                        "kept), or --state another file"
                    )
                # the checks are done: from here on the file is written
                _configure(connection)
                _migrate(connection)
                if latest is None or fresh:
                    state = cls(path, connection, 0)
                    with state.transaction() as cursor:
                        cursor.execute(
                            "INSERT INTO sessions (started_at, scenario_path, scenario_name, "
                            "scenario_sha256) VALUES (?, ?, ?, ?)",
                            (now(), scenario.path, scenario.name, scenario.sha256),
                        )
                        state.session_id = int(cursor.lastrowid or 0)
                    return state
                state = cls(path, connection, int(latest[0]))
                state.resumed = True
                return state
        except BaseException:
            connection.close()
            raise

    @classmethod
    def attach(cls, path: str | Path, session_id: int) -> State:
        """Open the state file of a running server from a solve's worker."""
        connection = sqlite3.connect(
            path, isolation_level=None, timeout=30.0, check_same_thread=False
        )
        _configure(connection)
        return cls(Path(path), connection, session_id)

    def close(self) -> None:
        """Close the file (every change is already written)."""
        with self._lock:
            self.connection.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Cursor]:
        """One change: everything done with the cursor is written together, or not at all."""
        with self._lock:
            cursor = self.connection.cursor()
            cursor.execute("BEGIN IMMEDIATE")
            try:
                yield cursor
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")

    def _query(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """The rows of one read."""
        with self._lock:
            return self.connection.execute(sql, parameters).fetchall()

    # ---- edits --------------------------------------------------------------------------

    def add_edit(self, kind: str, text: str, activity: str | None = None) -> None:
        """Record one edit of the page (``pin``, ``unpin`` or ``change``) as its change file."""
        with self.transaction() as cursor:
            cursor.execute(
                "INSERT INTO edits (session_id, made_at, kind, activity, text) "
                "VALUES (?, ?, ?, ?, ?)",
                (self.session_id, now(), kind, activity, text),
            )

    def edits(self) -> list[str]:
        """The change file of every edit of the session, in the order made."""
        rows = self._query(
            "SELECT text FROM edits WHERE session_id = ? ORDER BY id", (self.session_id,)
        )
        return [text for (text,) in rows]

    # ---- plans --------------------------------------------------------------------------

    def add_plan(
        self,
        name: str,
        changes: str,
        *,
        origin: str = "solve",
        baseline_id: int | None = None,
        time_limit: float | None = None,
        document: str | None = None,
        figures: dict[str, str] | None = None,
    ) -> int:
        """Record a plan: a solve starting (``running``, no document yet) or a plan read
        from a file (``done``, with its document).

        Parameters
        ----------
        name
            The plan's name on the page.
        changes
            The change file of the page's edits it is planned with.
        origin
            ``solve`` or ``file``.
        baseline_id
            The plan a solve moves little from.
        time_limit
            A solve's time limit, in seconds.
        document, figures
            A plan read from a file: its JSON text and its column of the comparison.

        Returns
        -------
        int
            The plan's id.
        """
        status = "running" if document is None else "done"
        with self.transaction() as cursor:
            cursor.execute(
                "INSERT INTO plans (session_id, name, origin, changes, baseline_id, status, "
                "started_at, ended_at, time_limit, heartbeat_at, document, figures) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    self.session_id,
                    name,
                    origin,
                    changes,
                    baseline_id,
                    status,
                    now(),
                    None if document is None else now(),
                    time_limit,
                    time.time(),
                    document,
                    None if figures is None else json.dumps(figures),
                ),
            )
            return int(cursor.lastrowid or 0)

    def plans(self) -> list[PlanRow]:
        """Every plan of the session, in the order made (documents left in the file)."""
        rows = self._query(
            f"SELECT {_PLAN_COLUMNS} FROM plans WHERE session_id = ? ORDER BY id",
            (self.session_id,),
        )
        return [_plan_row(row) for row in rows]

    def plan(self, plan_id: int) -> PlanRow | None:
        """One plan of the session as listed, or ``None``."""
        rows = self._query(
            f"SELECT {_PLAN_COLUMNS} FROM plans WHERE id = ? AND session_id = ?",
            (plan_id, self.session_id),
        )
        return _plan_row(rows[0]) if rows else None

    def document(self, plan_id: int) -> str | None:
        """A plan's ``planner.schedule/1`` JSON text, or ``None`` when it has none."""
        rows = self._query(
            "SELECT document FROM plans WHERE id = ? AND session_id = ?",
            (plan_id, self.session_id),
        )
        return rows[0][0] if rows else None

    def set_worker(self, plan_id: int, pid: int | None) -> None:
        """Record the process that solves a plan."""
        with self.transaction() as cursor:
            cursor.execute("UPDATE plans SET worker_pid = ? WHERE id = ?", (pid, plan_id))

    def request_cancel(self, plan_id: int) -> None:
        """Record that the coordinator cancelled a solve (its worker then says ``cancelled``)."""
        with self.transaction() as cursor:
            cursor.execute("UPDATE plans SET cancel_requested = 1 WHERE id = ?", (plan_id,))

    def cancel_requested(self, plan_id: int) -> bool:
        """Whether the coordinator cancelled this solve."""
        rows = self._query("SELECT cancel_requested FROM plans WHERE id = ?", (plan_id,))
        return bool(rows and rows[0][0])

    def progress(
        self, plan_id: int, elapsed: float, objective: int | None, bound: int | None
    ) -> None:
        """Record a running solve's progress; it also says the solve is alive."""
        with self.transaction() as cursor:
            cursor.execute(
                "UPDATE plans SET heartbeat_at = ?, elapsed = ?, objective = ?, bound = ? "
                "WHERE id = ? AND status = 'running'",
                (time.time(), elapsed, objective, bound, plan_id),
            )

    def keep_best(self, plan_id: int, document: str, figures: dict[str, str]) -> None:
        """Record a running solve's best plan so far, so that the plan survives even a
        worker that is killed outright (it is kept when the solve is later marked
        ``interrupted``)."""
        with self.transaction() as cursor:
            cursor.execute(
                "UPDATE plans SET document = ?, figures = ? WHERE id = ? AND status = 'running'",
                (document, json.dumps(figures), plan_id),
            )

    def finish(
        self,
        plan_id: int,
        status: str,
        document: str | None = None,
        figures: dict[str, str] | None = None,
    ) -> None:
        """Record how a solve ended, with its best plan, if any.

        Parameters
        ----------
        plan_id
            The solve's plan.
        status
            ``done``, ``cancelled``, ``interrupted`` or ``failed``.
        document, figures
            The best plan's JSON text and its column of the comparison; ``None`` keeps
            what is written (a plan already written is never erased).
        """
        with self.transaction() as cursor:
            cursor.execute(
                "UPDATE plans SET status = ?, ended_at = COALESCE(ended_at, ?), "
                "document = COALESCE(?, document), figures = COALESCE(?, figures) WHERE id = ?",
                (
                    status,
                    now(),
                    document,
                    None if figures is None else json.dumps(figures),
                    plan_id,
                ),
            )

    def end_stale_solves(self, keep: int | None = None) -> list[int]:
        """Mark ``interrupted`` every solve of the session still said to be running whose
        worker has been silent for :data:`STALE_SECONDS`.

        A worker writes every :data:`HEARTBEAT_SECONDS` while it runs, and its plan when
        it ends, however it ends; one that fell silent was killed (with its server, or
        the machine stopped). Solves of another live server on the same file keep
        writing, and are left alone.

        Parameters
        ----------
        keep
            A solve not to mark (this server's own, whose process it watches).

        Returns
        -------
        list of int
            The plans marked.
        """
        stale = (
            "SELECT id FROM plans WHERE session_id = ? AND status = 'running' "
            "AND COALESCE(heartbeat_at, 0) < ? AND id IS NOT ?"
        )
        parameters = (self.session_id, time.time() - STALE_SECONDS, keep)
        if not self._query(stale, parameters):
            return []  # the usual case: read only
        with self.transaction() as cursor:
            rows = cursor.execute(stale, parameters).fetchall()
            for (plan_id,) in rows:
                cursor.execute(
                    "UPDATE plans SET status = 'interrupted', ended_at = ? WHERE id = ?",
                    (now(), plan_id),
                )
        return [plan_id for (plan_id,) in rows]

    def set_compared(self, plan_id: int, compared: bool) -> None:
        """Put a plan in the comparison, or take it out."""
        with self.transaction() as cursor:
            cursor.execute(
                "UPDATE plans SET compared = ? WHERE id = ? AND session_id = ?",
                (int(compared), plan_id, self.session_id),
            )

    # ---- publications -------------------------------------------------------------------

    def add_publication(self, plan_id: int, path: str, sha256: str, document: str) -> Publication:
        """Record a version published: the plan, where, the sha256 of the bytes written,
        and the text written (what the nightly job's changes are compared with)."""
        published_at = now()
        with self.transaction() as cursor:
            cursor.execute(
                "INSERT INTO publications (session_id, plan_id, published_at, path, sha256, "
                "document) VALUES (?, ?, ?, ?, ?, ?)",
                (self.session_id, plan_id, published_at, path, sha256, document),
            )
            publication_id = int(cursor.lastrowid or 0)
        return Publication(publication_id, plan_id, published_at, path, sha256)

    def publications(self) -> list[Publication]:
        """Every version published in this session, the oldest first."""
        rows = self._query(
            "SELECT id, plan_id, published_at, path, sha256 FROM publications "
            "WHERE session_id = ? ORDER BY id",
            (self.session_id,),
        )
        return [Publication(*row) for row in rows]

    def last_publication(self, path: str) -> tuple[Publication, str] | None:
        """The last version published to ``path`` from this file (any session), with the
        text written; ``None`` when nothing was."""
        rows = self._query(
            "SELECT id, plan_id, published_at, path, sha256, document FROM publications "
            "WHERE path = ? ORDER BY id DESC LIMIT 1",
            (path,),
        )
        return (Publication(*rows[0][:5]), rows[0][5]) if rows else None

    def add_report(self, plan_sha256: str, kind: str, document: str) -> None:
        """Keep a report (``kind``: what made it, such as ``stress``) about the plan file
        whose bytes have ``plan_sha256``."""
        with self.transaction() as cursor:
            cursor.execute(
                "INSERT INTO reports (plan_sha256, kind, made_at, document) VALUES (?, ?, ?, ?)",
                (plan_sha256, kind, now(), document),
            )

    def last_report(self, plan_sha256: str, kind: str) -> tuple[str, str] | None:
        """The latest report of ``kind`` about the plan file of ``plan_sha256``: when it
        was kept and its text; ``None`` when there is none."""
        rows = self._query(
            "SELECT made_at, document FROM reports WHERE plan_sha256 = ? AND kind = ? "
            "ORDER BY id DESC LIMIT 1",
            (plan_sha256, kind),
        )
        return (rows[0][0], rows[0][1]) if rows else None


def state_path_of(scenario: Path) -> Path:
    """The default state file: ``NAME.planner.db`` beside the scenario ``NAME.yaml``."""
    return scenario.with_name(f"{scenario.stem}.planner.db")


def keep_report(path: Path, plan_sha256: str, kind: str, document: str) -> bool:
    """Keep a report about a plan file in the state file at ``path``, when there is one
    (a command that is not the page never makes a state file); return whether it was kept.

    Raises
    ------
    StateError
        When the file is there but not a usable planner state file.
    """
    if not path.exists():
        return False
    connection = _connect(path)
    try:
        with _located(path):
            _configure(connection)
            _migrate(connection)
            State(path, connection, 0).add_report(plan_sha256, kind, document)  # of no session
    finally:
        connection.close()
    return True


# ---- opening a file -------------------------------------------------------------------------


def _connect(path: Path) -> sqlite3.Connection:
    """Open the file and check, reading only, that it is an undamaged planner state file
    of a version this planner reads."""
    if path.is_dir():
        raise StateError(f"{path}: a folder, not a state file")
    size = path.stat().st_size if path.exists() else 0
    if size:
        try:
            with path.open("rb") as handle:
                header = handle.read(len(SQLITE_HEADER))
        except OSError as error:
            raise StateError(f"{path}: cannot read it ({error.strerror or error})") from None
        if header != SQLITE_HEADER:
            raise StateError(
                f"{path}: not an SQLite database (it starts with {header[:16]!r}); left as it "
                "is: give --state another file"
            )
    try:
        connection = sqlite3.connect(
            path, isolation_level=None, timeout=30.0, check_same_thread=False
        )
    except sqlite3.Error as error:
        raise StateError(f"{path}: cannot open it ({error})") from None
    try:
        with _located(path):
            _check(path, connection)
    except BaseException:
        connection.close()
        raise
    return connection


def _check(path: Path, connection: sqlite3.Connection) -> None:
    """Refuse (reading only) a file that is not a planner state file, is damaged, or was
    written by a newer planner.

    A planner state file has :data:`APPLICATION_ID` in its header; an SQLite file with
    no table at all is new (made empty by SQLite, or by hand) and becomes one. SQLite's
    ``quick_check`` finds damaged pages and indexes in a time proportional to the file,
    without the slower cross-checks of ``integrity_check``.

    Raises
    ------
    StateError
        Naming the file, what is wrong with it, and that it is left as it is.
    """
    application = connection.execute("PRAGMA application_id").fetchone()[0]
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        )
    ]
    if application != APPLICATION_ID and tables:
        raise StateError(
            f"{path}: an SQLite database, but not a planner state file (its tables: "
            f"{', '.join(tables[:8])}); left as it is: give --state another file"
        )
    damage = [row[0] for row in connection.execute("PRAGMA quick_check(5)")]
    if damage != ["ok"]:
        raise StateError(
            f"{path}: damaged ({'; '.join(damage)}); left as it is: keep it for recovery "
            "(sqlite3 .recover) and give --state another file or --fresh with another --state"
        )
    if tables:
        version = connection.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]
        if version is None or version > SCHEMA_VERSION:
            raise StateError(
                f"{path}: written by a newer planner (schema version {version}; this one "
                f"reads up to {SCHEMA_VERSION}); left as it is"
            )


def _latest_session(connection: sqlite3.Connection) -> tuple[Any, ...] | None:
    """The latest session of a checked file (id, scenario path, name, sha256, start), or
    ``None`` in a new file."""
    tables = connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'sessions'")
    if tables.fetchone() is None:
        return None
    row: tuple[Any, ...] | None = connection.execute(
        "SELECT id, scenario_path, scenario_name, scenario_sha256, started_at "
        "FROM sessions ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return row


def _configure(connection: sqlite3.Connection) -> None:
    """WAL (readers never wait for the writer), full sync at every commit, foreign keys."""
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA busy_timeout = 30000")


def _migrate(connection: sqlite3.Connection) -> None:
    """Create the schema in a new file, or apply the migrations a file has not had, each
    in a transaction of its own with its version row: a file is at one version or the
    next, never between (a migration cut short by a crash is rolled back, and applied
    again at the next start)."""
    if connection.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        connection.execute("BEGIN IMMEDIATE")  # a new file: it becomes a state file
        try:
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            connection.execute(
                "CREATE TABLE schema_version (version INTEGER NOT NULL, migrated_at TEXT NOT NULL)"
            )
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    version = connection.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version")
    for step in range(version.fetchone()[0], SCHEMA_VERSION):
        connection.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[step](connection)
            connection.execute(
                "INSERT INTO schema_version (version, migrated_at) VALUES (?, ?)",
                (step + 1, now()),
            )
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise


def _script(connection: sqlite3.Connection, sql: str) -> None:
    """Run the statements of ``sql`` one by one, inside the caller's transaction
    (``executescript`` would commit it)."""
    for statement in sql.split(";"):
        if statement.strip():
            connection.execute(statement)


@contextmanager
def _located(path: Path) -> Iterator[None]:
    """Turn SQLite's errors into a :class:`StateError` naming the file."""
    try:
        yield
    except sqlite3.DatabaseError as error:
        raise StateError(
            f"{path}: not a usable state file ({error}); left as it is: give --state another file"
        ) from None
