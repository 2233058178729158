"""One string-hash seed shared by the worker processes when the tests run in several (``pytest -n 2``).

Each worker collects the tests on its own and they must find the same ids; an id built from a set comes out
in the order of that process's string hashes. The seed is still a new one on every run, unless
``PYTHONHASHSEED`` is given (to repeat a run)."""

from __future__ import annotations

import os
import random

import pytest


def pytest_configure(config: pytest.Config) -> None:
    if "PYTHONHASHSEED" not in os.environ and not hasattr(config, "workerinput"):
        os.environ["PYTHONHASHSEED"] = str(random.randint(1, 2**32 - 1))


def pytest_report_header(config: pytest.Config) -> str:
    return f"PYTHONHASHSEED={os.environ.get('PYTHONHASHSEED', 'random')}"
