"""The three tables of ``export`` read straight into Arrow by SQLite's ADBC driver (part of the extra
``parquet``), in C: no Python object per value, which is most of what reading a large ledger row by row costs.

The driver guesses each column's type from its first rows, and refuses a later value of another type. So each
query starts with one row of the types the export writes (``-1``, ``''``), which the reader drops, and a value
that fits none of them (a ledger edited outside the program) ends the read with ``Unreadable``: the export then
reads the ledger row by row instead (``store.export``), every table again, so that the three files still show
one moment. The three tables are read in one read transaction of the driver's own connection, opened
read-only, like ``store.export.read_snapshot``.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator, Sequence, Set
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from wenzheng_cli.store.export import ACTIVITY_COLUMNS, BATCH, CASE_COLUMNS, EVENT_COLUMNS, REVOKED_IDS


class Unreadable(Exception):
    """The driver is not installed, cannot open the ledger, or met a value of another type than its column's."""


def _typed(columns: Sequence[str], numbers: Set[str]) -> str:
    """The first row, of the types the export writes: a number (``numbers``: numbers and flags) or a text."""
    return ", ".join(("-1" if name in numbers else "''") + f" AS {name}" for name in columns)


def _cases_sql(numbers: Set[str]) -> str:
    columns = ", ".join(f"c.{name}" for name in CASE_COLUMNS)
    return (
        f"SELECT {_typed([*CASE_COLUMNS, 'activity_uid'], numbers)} UNION ALL SELECT * FROM ("
        f"SELECT {columns}, a.uid FROM cases c LEFT JOIN activities a ON a.id = c.activity_id ORDER BY c.pk)"
    )


def _events_sql(numbers: Set[str]) -> str:
    """The events' own columns, a place for whether an undo took each back (``ArrowTables.events`` fills it),
    and the payload ended by a newline (the payloads of a batch, read as one text, are then newline-delimited
    JSON)."""
    columns = ", ".join(f"e.{name}" for name in EVENT_COLUMNS)
    return (
        f"SELECT {_typed([*EVENT_COLUMNS, 'revoked', 'payload'], numbers)} UNION ALL SELECT * FROM ("
        f"SELECT {columns}, 0, e.payload || char(10) FROM events e ORDER BY e.seq)"
    )


def _activities_sql(numbers: Set[str]) -> str:
    return (
        f"SELECT {_typed([*ACTIVITY_COLUMNS, 'office'], numbers)} UNION ALL SELECT * FROM ("
        f"SELECT {', '.join(ACTIVITY_COLUMNS)}, :office FROM activities ORDER BY id)"
    )


class ArrowTables:
    """The three tables as Arrow record batches (pyarrow's), each a batch of about ``BATCH`` rows, the columns
    named as in ``store.export`` (the events' last two ``revoked`` and ``payload``; the cases' last
    ``activity_uid``; the activities' last ``office``). ``numbers`` names the columns that hold numbers or
    flags; the others hold text (JSON text and times among them)."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn
        self._open: list[_Prefetch] = []

    def cases(self, numbers: Set[str]) -> Iterator[Any]:
        return self._read(_cases_sql(numbers), ())

    def events(self, numbers: Set[str]) -> Iterator[Any]:
        """The events, ``revoked`` set by looking each id up among those an undo names (in Arrow: asking SQLite
        row by row costs a tenth more of the read, on the thread every batch waits for)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        cursor = self._conn.cursor()
        try:
            cursor.execute(REVOKED_IDS)
            revoked = pa.array([str(row[0]) for row in cursor.fetchall()], type=pa.string())
        finally:
            cursor.close()
        for batch in self._read(_events_sql(numbers), ()):
            place = batch.schema.get_field_index("revoked")
            yield batch.set_column(place, "revoked", pc.is_in(batch.column("id"), value_set=revoked))

    def activities(self, numbers: Set[str], office: str) -> Iterator[Any]:
        return self._read(_activities_sql(numbers), (office,))

    def _read(self, sql: str, params: Sequence[Any]) -> Iterator[Any]:
        import adbc_driver_sqlite

        cursor = self._conn.cursor()
        try:
            cursor.adbc_statement.set_options(**{adbc_driver_sqlite.StatementOptions.BATCH_ROWS.value: BATCH})
            cursor.execute(sql, params or None)
            reader = cursor.fetch_record_batch()
        except BaseException:
            cursor.close()
            raise
        ahead = _Prefetch(reader, cursor)
        self._open.append(ahead)
        try:
            first = True
            for batch in ahead:
                if first:
                    batch, first = batch.slice(1), False
                if batch.num_rows:
                    yield batch
        finally:
            ahead.close()

    def close(self) -> None:
        """Stop every read still going (a writer that failed midway), before the connection closes."""
        for ahead in self._open:
            ahead.close()


_END = object()


class _Prefetch:
    """The driver's batches read by a thread of its own, a few ahead of the writer: SQLite and Arrow let go of
    Python's lock while they work, so reading and writing overlap on two cores. ``close`` (idempotent) stops
    the thread and waits for it, then closes the cursor: nothing reads once the connection is closed."""

    AHEAD = 2

    def __init__(self, reader: Any, cursor: Any) -> None:
        self._cursor = cursor
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=self.AHEAD)
        self._stop = threading.Event()
        self._closed = False
        self._thread = threading.Thread(target=self._run, args=(reader,), daemon=True)
        self._thread.start()

    def _run(self, reader: Any) -> None:
        try:
            while not self._stop.is_set():
                try:
                    batch = reader.read_next_batch()
                except StopIteration:
                    self._put(_END)
                    return
                self._put(batch)
        except BaseException as exc:  # handed to the writer's thread, which raises it
            self._put(exc)

    def _put(self, item: Any) -> None:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.05)
                return
            except queue.Full:
                continue

    def __iter__(self) -> Iterator[Any]:
        while True:
            item = self._queue.get()
            if item is _END:
                return
            if isinstance(item, OSError):  # a value of another type than its column's
                raise Unreadable(str(item))
            if isinstance(item, BaseException):
                raise item
            yield item

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._stop.set()
        self._thread.join()
        self._cursor.close()


@contextmanager
def arrow_tables(path: Path) -> Iterator[ArrowTables]:
    """The ledger at ``path`` opened read-only by the ADBC driver, its three tables read in one read
    transaction; ``Unreadable`` when the driver is missing or cannot open it."""
    try:
        import adbc_driver_sqlite.dbapi as adbc
    except ImportError:
        raise Unreadable("adbc-driver-sqlite is not installed") from None
    try:
        conn = adbc.connect(f"{path.resolve().as_uri()}?mode=ro")
    except Exception as exc:  # the driver's own errors: the ledger is read row by row instead
        raise Unreadable(str(exc)) from None
    try:
        # The driver's connection is in a transaction from the start (not in autocommit): its first read,
        # here, takes the snapshot the three tables are read from.
        cursor = conn.cursor()
        try:
            cursor.execute("SELECT seq FROM events LIMIT 1")
            cursor.fetchall()
        except Exception as exc:
            raise Unreadable(str(exc)) from None
        finally:
            cursor.close()
        tables = ArrowTables(conn)
        try:
            yield tables
        finally:
            tables.close()
    finally:
        conn.close()
