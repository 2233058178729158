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
import importlib
import os
import pickle
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from wenzheng_cli.analysis.clusters import Gazetteer
from wenzheng_cli.analysis.problems import HotspotCase, Idf
from wenzheng_cli.analysis.reading import Prepared
from wenzheng_cli.errors import WenzhengError

SECOND_PROCESS_FROM = 20_000  # cases in the period from which they are read in a second process
STAGED = 16  # batches staged at most before the weights are waited for
BATCH = 2048  # cases read together (their words counted at once); the command tells the second process

Batch = tuple[list[HotspotCase], Prepared]


class Stopped(RuntimeError):
    """The second process stopped without finishing (it failed, or could not start): the command reads the
    rest of the period itself."""


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
        self._send((str(path), start, end, BATCH))

    def weigh(self, idf: Idf, places: Gazetteer) -> None:
        """Tell it the bigrams' weights and the gazetteer (it reads and stages batches while it waits)."""
        self._send((idf, places))

    def batches(self) -> Iterator[Batch]:
        """The period's cases in received order, a batch at a time, each with its ``Prepared`` readings."""
        out = self._process.stdout
        assert out is not None
        while True:
            try:
                message = pickle.load(out)
            except (EOFError, OSError, pickle.UnpicklingError):
                raise Stopped("the process reading the cases for hotspots stopped") from None
            if message is None:
                return
            if message[0] == "error":
                _, text, hint, code = message
                raise WenzhengError(text, hint=hint, code=code)
            if message[0] == "failed":
                raise Stopped(f"reading the cases for hotspots failed: {message[1]}")
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
    """The second process: read and stage the batches while the command works out the weights, then weigh
    and send each (a thread writes them, a few ahead of the command); None at the end."""
    path = ""
    sender = _Sender(out)
    try:
        from wenzheng_cli.analysis.reading import Reader
        from wenzheng_cli.core.hotspots_rows import hotspot_case
        from wenzheng_cli.store import analysis as store
        from wenzheng_cli.store.ledger import open_ledger

        path, start, end, size = pickle.load(given)
        ledger = open_ledger(Path(path), create=False)
        importlib.import_module(
            "wenzheng_cli.analysis.pairs"
        )  # numpy, while the command works out the weights
        weights: queue.Queue[Any] = queue.Queue(1)
        threading.Thread(target=_receive, args=(given, weights), daemon=True).start()
        reader = Reader(Idf({}, 1), Gazetteer())
        staged: list[tuple[list[HotspotCase], Any]] = []  # before the weights are known
        weighed = False
        batch: list[HotspotCase] = []
        rows = store.period_cases(ledger.conn, start, end)
        while True:
            row = next(rows, None)
            if row is not None:
                batch.append(hotspot_case(row))
                if len(batch) < size:
                    continue
            if batch:
                staged.append((batch, reader.stage(batch)))
                batch = []
            if not weighed and (row is None or len(staged) >= STAGED or not weights.empty()):
                reader.learn(*_weights(weights.get()))
                weighed = True
            if weighed:
                for cases, ready in staged:
                    sender.send(_message(reader, cases, ready))
                staged.clear()
            if row is None:
                break
        sender.send(None)
        ledger.close()
    except WenzhengError as exc:
        sender.say(("error", exc.message, exc.hint, exc.code))
    except sqlite3.Error as exc:  # locked, unreadable: said as for any command reading the ledger
        from wenzheng_cli.store.failures import explain

        said = explain(exc, Path(path))
        sender.say(("error", said.message, said.hint, said.code))
    except (BrokenPipeError, EOFError):
        pass  # the command has stopped
    except Exception as exc:
        sender.say(("failed", f"{type(exc).__name__}: {exc}"))
    sender.close()


def _receive(given: IO[bytes], into: queue.Queue[Any]) -> None:
    """The weights and the gazetteer, as the command sends them (or what stopped them coming); then, waiting
    for the end of its input, this process ends with the command however that ends (even killed)."""
    try:
        into.put(pickle.load(given))
    except Exception as exc:
        into.put(exc)
        return
    with contextlib.suppress(OSError):
        given.read()
    os._exit(0)


def _weights(told: Any) -> tuple[Idf, Gazetteer]:
    if isinstance(told, BaseException):
        raise EOFError from told  # the command stopped before it could tell them
    idf, places = told
    return idf, places


def _message(reader: Any, batch: list[HotspotCase], staged: Any) -> tuple[Any, ...]:
    prepared = reader.weigh(staged)
    hold = reader.hold
    cases = [  # the clusterer needs neither their texts nor their addresses (their places are in ``prepared``)
        HotspotCase._make((c[0], c[1], None, "", None, None, None, *c[7:11], hold(c[11]))) for c in batch
    ]
    return ("batch", cases, prepared)


class _Sender:
    """Writes the messages from a thread of its own, ``AHEAD`` at most waiting: reading and weighing go on
    while the command is busy with a batch."""

    AHEAD = 8

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.broken = False
        self.waiting: queue.Queue[bytes | None] = queue.Queue(self.AHEAD)
        self.thread = threading.Thread(target=self._write, daemon=True)
        self.thread.start()

    def send(self, message: Any) -> None:
        if self.broken:
            raise BrokenPipeError("the command has stopped listening")
        self.waiting.put(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))

    def say(self, message: Any) -> None:
        """``send``, unless the command has stopped listening (then there is no one to tell)."""
        with contextlib.suppress(BrokenPipeError):
            self.send(message)

    def close(self) -> None:
        self.waiting.put(None)
        self.thread.join()

    def _write(self) -> None:
        while (data := self.waiting.get()) is not None:
            if not self.broken:
                try:
                    self.out.write(data)
                    self.out.flush()
                except OSError:  # the command has stopped listening: the rest is dropped, and no more made
                    self.broken = True


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the command's: it stops this process
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")  # the messages' own; anything printed goes to stderr
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    _work(sys.stdin.buffer, out)


if __name__ == "__main__":
    main()
