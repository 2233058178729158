"""``hotspots`` over many cases reads them in a second process: while the command's own process clusters the
period's cases in received order, this one reads the next batches from the ledger, finds their places and counts
their words (``Reader.prepare``); what it sends is plain values and arrays (``Prepared``), which the clusterer
turns into readings (``Reader.finish``). The hotspots are the same as when one process does both
(tests/test_hotspots_worker.py); on two cores a year of a large office takes little more than its clustering.

The second process is started first (it takes a few tenths of a second to load) and is told the words' weights
and the gazetteer once the command has worked them out. It stops with the command: at the end of the period, on
an error (told to the command, which reports it) or when the command is interrupted.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from wenzheng_cli.analysis.clusters import Gazetteer
from wenzheng_cli.analysis.problems import HotspotCase, Idf
from wenzheng_cli.analysis.reading import Prepared
from wenzheng_cli.errors import WenzhengError

SECOND_PROCESS_FROM = 20_000  # cases in the period from which they are read in a second process
BATCH = 2048  # cases read together (their words counted at once)

Batch = tuple[list[HotspotCase], Prepared]


class Worker:
    """The second process, reading the cases of ``start``…``end`` from the ledger at ``path``."""

    def __init__(self, path: Path, start: str, end: str) -> None:
        context = multiprocessing.get_context("spawn")  # no fork: a server's threads and locks stay its own
        self._pipe, theirs = context.Pipe()
        self._process = context.Process(
            target=_work, args=(str(path), start, end, theirs), name="wenzheng-hotspots", daemon=True
        )
        self._process.start()
        theirs.close()

    def batches(self, idf: Idf, places: Gazetteer) -> Iterator[Batch]:
        """The period's cases in received order, a batch at a time, each with its ``Prepared`` readings."""
        self._pipe.send((idf, places))
        while True:
            try:
                message = self._pipe.recv()
            except EOFError:
                raise RuntimeError("the process reading the cases for hotspots stopped") from None
            if message is None:
                return
            if message[0] == "error":
                _, text, hint, code = message
                raise WenzhengError(text, hint=hint, code=code)
            if message[0] == "failed":
                raise RuntimeError(f"reading the cases for hotspots failed: {message[1]}")
            yield message[1], message[2]

    def close(self) -> None:
        self._pipe.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()

    def __enter__(self) -> Worker:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def _work(path: str, start: str, end: str, pipe: Any) -> None:
    """The second process: read, prepare and send each batch; None at the end."""
    try:
        from wenzheng_cli.analysis.reading import Reader
        from wenzheng_cli.core.hotspots import hotspot_case
        from wenzheng_cli.store import analysis as store
        from wenzheng_cli.store.ledger import open_ledger

        idf, places = pipe.recv()
        ledger = open_ledger(Path(path), create=False)
        reader = Reader(idf, places)
        batch: list[HotspotCase] = []
        for row in store.period_cases(ledger.conn, start, end):
            batch.append(hotspot_case(row))
            if len(batch) == BATCH:
                _send(pipe, reader, batch)
                batch = []
        if batch:
            _send(pipe, reader, batch)
        pipe.send(None)
        ledger.close()
    except WenzhengError as exc:
        _tell(pipe, ("error", exc.message, exc.hint, exc.code))
    except sqlite3.Error as exc:  # locked, unreadable: said as for any command reading the ledger
        from wenzheng_cli.store.failures import explain

        said = explain(exc, Path(path))
        _tell(pipe, ("error", said.message, said.hint, said.code))
    except (KeyboardInterrupt, BrokenPipeError, EOFError):
        pass  # the command was interrupted or has stopped: it says so itself
    except Exception as exc:
        _tell(pipe, ("failed", f"{type(exc).__name__}: {exc}"))


def _send(pipe: Any, reader: Any, batch: list[HotspotCase]) -> None:
    prepared = reader.prepare(batch)
    texts = [text._replace(text="") for text in prepared.texts]  # the clusterer needs their places only
    pipe.send(("batch", batch, prepared._replace(texts=texts)))


def _tell(pipe: Any, message: tuple[Any, ...]) -> None:
    with contextlib.suppress(OSError):  # the command has stopped listening
        pipe.send(message)
