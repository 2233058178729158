"""Child processes that get Ctrl-C as a terminal delivers it."""

from __future__ import annotations

import signal


def sigint_default() -> None:
    """For ``preexec_fn``: SIGINT back to its default in the child. A test run started in the background by a
    shell without job control inherits SIGINT ignored, and its children would then never see the Ctrl-C the
    tests send them (the program keeps a SIGINT its parent ignores ignored, as it should)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
