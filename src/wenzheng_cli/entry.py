"""The console script. It loads almost nothing itself, so that what can go wrong before the program is even
loaded — Ctrl-C while it starts, arguments that are not UTF-8 — is still answered in one line, never with a
traceback. The commands and their error boundary are in ``cli.app``.

Ctrl-C is answered from this module's first statement on: until ``main`` is under way, by ``_starting`` (the
one line and exit 130 at once: nothing has been opened yet); inside ``main``, as Python's KeyboardInterrupt, so
that a command rolls back and removes what it was writing; once the answer is given, or the command has
finished, a further Ctrl-C has nothing left to stop and is ignored while the process exits. A Ctrl-C that the
parent process set to be ignored (a job started in the background) stays ignored, and a program that imports
this module without starting from it (a test run) keeps its own Ctrl-C.
"""

# The C module behind ``signal``, loaded with the interpreter: ``signal`` would first load enum, a moment in
# which a Ctrl-C would still raise where nothing catches it.
import _signal  # type: ignore[import-not-found]
import os
import sys

INTERRUPTED = "已中断，台账未作更改"
TYPED = ("WENZHENG_DB", "WENZHENG_OPERATOR", "WENZHENG_HOME")


def _starting(signum: int, frame: object) -> None:
    """Ctrl-C while the program starts: the one line and exit 130, at once."""
    _signal.signal(_signal.SIGINT, _signal.SIG_IGN)
    os.write(2, f"{INTERRUPTED}\n".encode())
    os._exit(130)


_PREVIOUS = _signal.signal(_signal.SIGINT, _starting)


def _started_here() -> bool:
    """Is this module loaded by the program being started (the console script, ``python -m wenzheng_cli``),
    rather than imported by another program?"""
    frame = sys._getframe(2)  # past this module's own code
    while frame.f_code.co_filename.startswith("<frozen") and frame.f_back is not None:
        frame = frame.f_back  # the import machinery
    return frame.f_globals.get("__name__") == "__main__"


OURS = _PREVIOUS is _signal.default_int_handler and _started_here()
if not OURS and _PREVIOUS is not None:
    _signal.signal(_signal.SIGINT, _PREVIOUS)

import warnings  # noqa: E402  (after Ctrl-C is answered)


def main() -> None:
    try:
        if OURS:  # from here on a Ctrl-C is the command's to clean up after (``interrupted``)
            _signal.signal(_signal.SIGINT, _interrupt)
        where = undecodable(sys.argv[1:])
        if where:
            sys.stderr.write(f"错误: {where}中有无法识别的字符（不是 UTF-8 编码），台账未作更改\n")
            sys.stderr.write("提示: 把脚本或终端的编码改为 UTF-8 后重试；文件名含有这类字符时请先改名\n")
            sys.exit(1)
        if not os.environ.get("WENZHENG_DEBUG"):
            # Library warnings (openpyxl on an unusual workbook) name internal source paths a clerk cannot act
            # on; what matters of them is said by the command itself.
            warnings.simplefilter("ignore")
        from wenzheng_cli.cli.app import (
            main as run,
        )  # loaded here, so that a Ctrl-C while it loads is answered

        run()
    except KeyboardInterrupt:
        interrupted()
    finally:
        if OURS:  # the command is over: a Ctrl-C now has nothing left to stop
            _signal.signal(_signal.SIGINT, _signal.SIG_IGN)


def _interrupt(signum: int, frame: object) -> None:
    """Ctrl-C during a command: KeyboardInterrupt where the command is. Not inside the callback by which the
    import machinery lets go of a module's lock: CPython would print the exception there as ignored and carry
    on as if nothing had been pressed. There it is sent again, to land once the callback has returned."""
    code = getattr(frame, "f_code", None)
    if code is not None and code.co_name == "cb" and code.co_filename.startswith("<frozen importlib"):
        import _thread  # built in, loaded with the import machinery

        # From another thread, which runs once this one lets go of the interpreter: the callback is over by then.
        _thread.start_new_thread(_thread.interrupt_main, ())
        return
    raise KeyboardInterrupt


def interrupted(done: int = 0) -> None:
    """Ctrl-C: one line on stderr and exit code 130, the shell's convention for an interrupted command;
    ``done`` transactions were committed before it (a command that does several cases, each on its own)."""
    if OURS:  # the answer is being given: a second Ctrl-C adds nothing
        _signal.signal(_signal.SIGINT, _signal.SIG_IGN)
    sys.stderr.write(
        INTERRUPTED + "\n" if not done else f"已中断：此前已完成的 {done} 项已保存，其余未作更改\n"
    )
    _leave(130)


def _leave(code: int) -> None:
    """Exit with ``code`` now that the command has unwound (its transaction rolled back, its files removed),
    without the interpreter's own shutdown: a Ctrl-C that landed while a compiled library was loading makes
    CPython end that shutdown by SIGINT, whatever the exit code, and nothing is left for it to do."""
    from contextlib import suppress

    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):  # a closed pipe: nothing more can reach it
            stream.flush()
    os._exit(code)


def undecodable(args: list[str]) -> str | None:
    """Where an argument (or a WENZHENG_ variable) holds bytes that are not UTF-8, or None."""
    for i, arg in enumerate(args, start=1):
        if not _utf8(arg):
            return f"第 {i} 个参数"
    for name in TYPED:
        if not _utf8(os.environ.get(name, "")):
            return f"环境变量 {name} "
    return None


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
