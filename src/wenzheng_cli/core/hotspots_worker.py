"""``hotspots`` over many cases reads them in a second process: while the command's own process clusters the
period's cases in received order, this one reads the next batches from the ledger, finds their places and counts
their words (``Reader.prepare``); what it sends is plain values and arrays (``Prepared``), which the clusterer
turns into readings (``Reader.finish``). The hotspots are the same as when one process does both
(tests/test_hotspots_worker.py); on two cores a year of a large office takes little more than its clustering.

The second process is ``python -m wenzheng_cli.core.hotspots_worker``, started first (it takes a few tenths of a
second to load) and told the words' weights and the gazetteer once the command has worked them out; the two
talk through its standard input and output, one pickled message after another (its own output goes to its
standard error). It ignores Ctrl-C and stops with the command: at the end of the period, on an error (told to
the command, which reports it) or when the command is interrupted.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any

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
        debug = bool(os.environ.get("WENZHENG_DEBUG"))
        self._process = subprocess.Popen(
            [sys.executable, "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=None if debug else subprocess.DEVNULL,
        )
        self._send((str(path), start, end))

    def batches(self, idf: Idf, places: Gazetteer) -> Iterator[Batch]:
        """The period's cases in received order, a batch at a time, each with its ``Prepared`` readings."""
        self._send((idf, places))
        out = self._process.stdout
        assert out is not None
        while True:
            try:
                message = pickle.load(out)
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

    def _send(self, message: Any) -> None:
        pipe = self._process.stdin
        assert pipe is not None
        try:
            pickle.dump(message, pipe, protocol=pickle.HIGHEST_PROTOCOL)
            pipe.flush()
        except BrokenPipeError:
            pass  # it has stopped: what it said, or its silence, is read next

    def close(self) -> None:
        for pipe in (self._process.stdin, self._process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()

    def __enter__(self) -> Worker:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def _work(given: IO[bytes], out: IO[bytes]) -> None:
    """The second process: read, prepare and send each batch; None at the end."""
    path = ""
    try:
        from wenzheng_cli.analysis.reading import Reader
        from wenzheng_cli.core.hotspots import hotspot_case
        from wenzheng_cli.store import analysis as store
        from wenzheng_cli.store.ledger import open_ledger

        path, start, end = pickle.load(given)
        ledger = open_ledger(Path(path), create=False)
        idf, places = pickle.load(given)
        reader = Reader(idf, places)
        batch: list[HotspotCase] = []
        for row in store.period_cases(ledger.conn, start, end):
            batch.append(hotspot_case(row))
            if len(batch) == BATCH:
                _send(out, reader, batch)
                batch = []
        if batch:
            _send(out, reader, batch)
        _tell(out, None)
        ledger.close()
    except WenzhengError as exc:
        _tell(out, ("error", exc.message, exc.hint, exc.code))
    except sqlite3.Error as exc:  # locked, unreadable: said as for any command reading the ledger
        from wenzheng_cli.store.failures import explain

        said = explain(exc, Path(path))
        _tell(out, ("error", said.message, said.hint, said.code))
    except (BrokenPipeError, EOFError):
        pass  # the command has stopped
    except Exception as exc:
        _tell(out, ("failed", f"{type(exc).__name__}: {exc}"))


def _send(out: IO[bytes], reader: Any, batch: list[HotspotCase]) -> None:
    prepared = reader.prepare(batch)
    hold = reader.hold
    cases = [  # the clusterer needs neither their texts nor their addresses (their places are in ``prepared``)
        HotspotCase._make((c[0], c[1], None, "", None, None, None, *c[7:11], hold(c[11]))) for c in batch
    ]
    _tell(out, ("batch", cases, prepared))


def _tell(out: IO[bytes], message: Any) -> None:
    with contextlib.suppress(OSError):  # the command has stopped listening
        pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the command's: it stops this process
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")  # the messages' own; anything printed goes to stderr
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    _work(sys.stdin.buffer, out)


if __name__ == "__main__":
    main()
