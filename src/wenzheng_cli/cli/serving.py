"""Several PCs, one ledger: ``serve`` on the PC that holds it, ``login`` on the others."""

from __future__ import annotations

from typing import Annotated

import typer

from wenzheng_cli.cli.base import DbOpt, JsonOpt, app, current_run
from wenzheng_cli.cli.paths import ledger_dir
from wenzheng_cli.errors import WenzhengError
from wenzheng_cli.render import console


@app.command(rich_help_panel="多台电脑")
def serve(
    host: Annotated[
        str,
        typer.Option(
            "--host", help="监听的地址；127.0.0.1 只有本机能连，0.0.0.0 局域网都能连（须先添加办事员）"
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口")] = 8765,
    cert: Annotated[
        str | None, typer.Option("--cert", help="TLS 证书文件（与 --key 一起用，启用 https）")
    ] = None,
    key: Annotated[str | None, typer.Option("--key", help="TLS 私钥文件")] = None,
    max_upload: Annotated[int, typer.Option("--max-upload", help="一次上传（导入的文件）最多多少 MB")] = 200,
    db: DbOpt = None,
) -> None:
    """在存放台账的电脑上开服务，其他电脑用 --server 办理同样的命令，领导用浏览器看报表。

    例: wenzheng serve                                   （只有本机能连）
    例: wenzheng serve --host 0.0.0.0 --cert server.crt --key server.key   （局域网，https）
    """
    from wenzheng_cli.serve.server import Options
    from wenzheng_cli.serve.server import serve as start

    if not 1 <= port <= 65535:
        _usage(f"端口 {port} 不对", "端口是 1 到 65535 之间的数，如 --port 8765")
    if not 1 <= max_upload <= 4096:
        _usage(f"--max-upload {max_upload} 不对", "写 1 到 4096 之间的 MB 数，如 --max-upload 200")
    run = current_run()
    typed = db if db is not None else run.db
    try:
        start(typed, ledger_dir(typed), Options(host, port, cert, key, max_upload), console.note)
    except WenzhengError as exc:
        console.error(exc.message, exc.hint)
        raise typer.Exit(exc.code) from None
    except OSError as exc:  # the port is taken, or not ours to bind
        console.error(f"无法在 {host}:{port} 开服务（{exc.strerror or exc}）", "换一个端口，如 --port 8766")
        raise typer.Exit(1) from None


def _usage(message: str, hint: str) -> None:
    console.error(message, hint)
    raise typer.Exit(2)


@app.command(rich_help_panel="多台电脑")
def login(
    url: Annotated[
        str | None,
        typer.Argument(help="服务器地址，如 http://192.168.1.20:8765", metavar="地址", show_default=False),
    ] = None,
    token: Annotated[
        str | None, typer.Option("--token", help="令牌（不写则提示输入，输入时不显示）", show_default=False)
    ] = None,
    forget: Annotated[bool, typer.Option("--forget", help="退出登录: 删除本机保存的地址和令牌")] = False,
    as_json: JsonOpt = False,
) -> None:
    """登录服务器: 保存地址和令牌（本机用户目录，仅本人可读），之后的命令都在服务器上办理。

    例: wenzheng login http://192.168.1.20:8765
    例: wenzheng login --forget
    """
    from wenzheng_cli.cli import remote, remote_state

    try:
        if forget:
            remote_state.forget()
            console.note("已退出登录，之后的命令在本机台账上办理")
            return
        if url is None:
            raise WenzhengError("缺少服务器地址", hint="例如 wenzheng login http://192.168.1.20:8765")
        if token is None:
            token = typer.prompt("令牌", hide_input=True, err=True)
        who = remote.login(url, token)
    except WenzhengError as exc:
        console.error(exc.message, exc.hint)
        raise typer.Exit(exc.code) from None
    if as_json:
        console.write_json(who)
    else:
        console.line(f"已登录 {who['url']}: {who['name']}（{who['role_label']}），{who['office']}")
