"""The wheelhouse (``make wheelhouse``, ``scripts/wheelhouse.py``): what each target needs is decided by that
target's own markers and tags, and a wheelhouse installs the command line in a fresh venv with ``pip install
--no-index`` and runs ``make demo``'s steps (a reduced one: this machine's platform and Python alone)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from scripts import wheelhouse
from tests.support.cli import Wz

ROOT = Path(__file__).resolve().parents[1]
DEMO_NOW = "2026-11-23T17:30:00+08:00"  # examples/demo.sh pins its clock to this


def fake_wheel(folder: Path, filename: str, *requires: str) -> None:
    """A wheel with nothing in it but the metadata that names its dependencies."""
    name, version = filename.split("-")[:2]
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    lines += [f"Requires-Dist: {req}" for req in requires]
    with zipfile.ZipFile(folder / filename, "w") as archive:
        archive.writestr(f"{name}-{version}.dist-info/METADATA", "\n".join(lines) + "\n")


def names(requirements: list[Requirement]) -> list[str]:
    return sorted(str(r) for r in requirements)


def test_a_dependency_for_windows_alone_is_missing_on_windows_only(tmp_path: Path) -> None:
    # pip download --platform win_amd64 run on Linux leaves colorama out: pip reads the markers of Linux.
    fake_wheel(tmp_path, "app-1.0-py3-none-any.whl", "click>=8")
    fake_wheel(tmp_path, "click-8.1-py3-none-any.whl", 'colorama; platform_system == "Windows"')
    windows, linux = wheelhouse.target("windows", "3.12"), wheelhouse.target("linux", "3.12")
    assert names(wheelhouse.missing(tmp_path, Requirement("app"), windows)) == [
        'colorama; platform_system == "Windows"'
    ]
    assert wheelhouse.missing(tmp_path, Requirement("app"), linux) == []
    fake_wheel(tmp_path, "colorama-0.4.6-py2.py3-none-any.whl")
    assert wheelhouse.missing(tmp_path, Requirement("app"), windows) == []


def test_a_wheel_counts_only_for_the_platform_and_python_it_was_built_for(tmp_path: Path) -> None:
    fake_wheel(tmp_path, "app-1.0-py3-none-any.whl", "numpy>=2", 'tomli; python_version < "3.11"')
    fake_wheel(tmp_path, "numpy-2.1-cp312-cp312-win_amd64.whl")
    fake_wheel(tmp_path, "numpy-2.1-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl")
    app = Requirement("app")
    assert wheelhouse.missing(tmp_path, app, wheelhouse.target("windows", "3.12")) == []
    assert wheelhouse.missing(tmp_path, app, wheelhouse.target("linux", "3.11")) == []
    assert names(wheelhouse.missing(tmp_path, app, wheelhouse.target("linux", "3.12"))) == ["numpy>=2"]
    assert names(wheelhouse.missing(tmp_path, app, wheelhouse.target("windows", "3.13"))) == ["numpy>=2"]
    # A wheel too old for the version asked is no answer either.
    fake_wheel(tmp_path, "numpy-1.26-cp313-cp313-win_amd64.whl")
    assert names(wheelhouse.missing(tmp_path, app, wheelhouse.target("windows", "3.13"))) == ["numpy>=2"]


def test_an_extra_brings_its_dependencies_only_when_asked(tmp_path: Path) -> None:
    fake_wheel(tmp_path, "app-1.0-py3-none-any.whl", 'uvicorn>=0.30; extra == "serve"', "rich")
    fake_wheel(tmp_path, "rich-13.9-py3-none-any.whl")
    linux = wheelhouse.target("linux", "3.13")
    assert wheelhouse.missing(tmp_path, Requirement("app"), linux) == []
    assert names(wheelhouse.missing(tmp_path, Requirement("app[serve]"), linux)) == [
        'uvicorn>=0.30; extra == "serve"'
    ]


def test_linux_wheels_need_glibc_2_28_at_most() -> None:
    platforms = wheelhouse.linux_platforms()
    assert platforms[0] == "manylinux_2_28_x86_64"
    assert {"manylinux_2_17_x86_64", "manylinux2014_x86_64", "manylinux1_x86_64"} <= set(platforms)
    assert not any(p.startswith("manylinux_2_29") or p == "linux_x86_64" for p in platforms)


def run(command: list[str], timeout: int, **env: str) -> subprocess.CompletedProcess[str]:
    """A step of the install; a step that fails or hangs fails the test with its own words."""
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PIP_FIND_LINKS")}
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, env=clean | env, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{command[:4]} did not finish in {timeout} s (is the package index reachable?)")
    assert done.returncode == 0, (
        f"{command[:4]} exit {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    )
    return done


@pytest.mark.slow  # downloads (or takes from pip's cache) about 70 MB and installs them into a new venv
def test_the_wheelhouse_installs_offline_and_runs_the_demo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wz: Wz
) -> None:
    # Built for this machine alone: the whole one (make wheelhouse) is six times the download.
    build = [sys.executable, str(ROOT / "scripts" / "wheelhouse.py"), "--here"]
    built = run([*build, "--out", str(tmp_path / "dist"), "--work", str(tmp_path / "work")], timeout=900)
    assert "only an sdist, built as pure wheels: " in built.stdout  # none today; one that appears is built
    (zipped,) = (tmp_path / "dist").glob("wenzheng-wheelhouse-*.zip")
    with zipfile.ZipFile(zipped) as archive:
        archive.extractall(tmp_path / "unzipped")
    (folder,) = (tmp_path / "unzipped").iterdir()
    install = (folder / "INSTALL.txt").read_text(encoding="utf-8-sig")
    assert "pip install --no-index --find-links" in install and '"wenzheng[serve]"' in install

    venv = tmp_path / "office-pc"
    run([sys.executable, "-m", "venv", str(venv)], timeout=300)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--no-index", "--find-links", str(folder)]
    run([*pip, "wenzheng[serve]"], timeout=600, PIP_CONFIG_FILE=os.devnull)
    where = run(
        [str(venv / "bin" / "python"), "-c", "import wenzheng_cli, uvicorn; print(wenzheng_cli.__file__)"], 60
    )
    assert where.stdout.startswith(str(venv)), where.stdout  # the installed wheel, not this checkout

    # make demo's steps (examples/demo.sh: init, intake and the rest, the import, the weekly report) with the
    # installed command, its ledger kept to read back.
    demo_dir = tmp_path / "demo"
    demo_dir.mkdir()
    path = f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}"
    shown = run(["bash", str(ROOT / "examples" / "demo.sh")], timeout=600, PATH=path, DEMO_DIR=str(demo_dir))
    assert "已导入 15 件" in shown.stdout
    assert "杨柳社区 周台账 2026-11-17 至 2026-11-23" in shown.stdout
    assert "本周新增（27 件）" in shown.stdout and "逾期（1 件）" in shown.stdout

    ledger = demo_dir / "yangliu.db"
    weekly = ["report", "weekly", "--week", "2026-11-17"]
    installed = run(
        [str(venv / "bin" / "wenzheng"), *weekly, "--json"],
        120,
        WENZHENG_DB=str(ledger),
        WENZHENG_NOW=DEMO_NOW,
    )
    monkeypatch.setenv("WENZHENG_DB", str(ledger))
    monkeypatch.setenv("WENZHENG_NOW", DEMO_NOW)
    report = json.loads(installed.stdout)
    assert report == wz.json(*weekly)  # the same report as this checkout's
    assert report["totals"] == {
        "new": 27,
        "resolved": 8,
        "closed": 2,
        "carried_over": 0,
        "overdue": 1,
        "report_back": 19,
        "weak_reply": 2,
    }
