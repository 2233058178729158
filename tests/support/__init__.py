"""What the tests share that is not a fixture: the in-process runner, ledgers built once, files written as
offices send them, hand-made report data and small disks. The fixtures themselves are in ``tests/conftest.py``."""
