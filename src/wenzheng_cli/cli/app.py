"""Entry point: the app with all command groups, and the last guard against tracebacks."""

from __future__ import annotations

import os
import sys

from wenzheng_cli.cli import admin, cases, lifecycle, report  # noqa: F401  (register the commands)
from wenzheng_cli.cli.base import app


def main() -> None:
    os.umask(0o077)  # every file wenzheng writes (ledger, exports, backups) is the owner's alone
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("已中断，台账未作更改\n")
        sys.exit(130)
    except Exception as exc:  # the last boundary: never a traceback, never residents' data
        if os.environ.get("WENZHENG_DEBUG"):
            raise
        sys.stderr.write(f"错误: 内部错误（{type(exc).__name__}），本次操作未完成\n")
        sys.stderr.write("提示: 运行 wenzheng check 检查台账；请把命令（不含居民信息）告知维护人员\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
