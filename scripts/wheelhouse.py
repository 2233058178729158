"""Build the wheelhouse: one zip with every wheel an office PC without internet needs to install
``wenzheng[serve]`` with ``pip install --no-index --find-links``.

Run by ``make wheelhouse`` (Linux x86_64 and Windows x64, CPython 3.11, 3.12 and 3.13) or, for this machine's
platform and Python alone, ``python scripts/wheelhouse.py --here`` (what ``tests/test_wheelhouse.py`` builds).

How: the project's own wheel (``pip wheel --no-deps .``); dependencies published only as an sdist are built
into wheels once and must be pure Python (``py3-none-any``), or the build stops naming them; then ``pip
download --only-binary=:all:`` per platform and Python. pip evaluates environment markers against the machine
it runs on, not the ``--platform`` it downloads for (a Windows-only dependency such as ``colorama`` would be
missing), so each target's closure is walked again here with that target's markers and tags, and whatever is
missing is downloaded for it, until nothing is. Needs ``packaging`` (in the dev install) and the package index.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.parser import Parser
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.tags import Tag, compatible_tags, cpython_tags, sys_tags
from packaging.utils import canonicalize_name, parse_wheel_filename

ROOT = Path(__file__).resolve().parent.parent
PYTHONS = ("3.11", "3.12", "3.13")
PLATFORMS = ("linux", "windows")
# The oldest glibc the Linux wheels may need: 2.28 is 银河麒麟 V10, 统信 UOS 20, Debian 10, Ubuntu 20.04 and on.
GLIBC_MINOR = 28
SDIST_SUFFIXES = (".tar.gz", ".zip", ".tar.bz2")


class BuildError(Exception):
    """A step of the build failed; the message says which and what to do."""


@dataclass(frozen=True)
class Target:
    """One platform and Python the wheelhouse installs on: pip's download options for it, and the markers
    and wheel tags that decide what it needs and which wheels fit it."""

    name: str
    pip_args: tuple[str, ...]
    markers: dict[str, str]
    tags: frozenset[Tag]


def linux_platforms() -> list[str]:
    """manylinux tags from glibc 2.28 down, newest first (pip expands only the legacy aliases itself)."""
    tags = [f"manylinux_2_{minor}_x86_64" for minor in range(GLIBC_MINOR, 4, -1)]
    return [*tags, "manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"]


def target(platform: str, python: str) -> Target:
    """The target of a platform (``linux`` or ``windows``) and a Python (``3.12``)."""
    major, minor = (int(part) for part in python.split("."))
    platforms = linux_platforms() if platform == "linux" else ["win_amd64"]
    markers = {
        "implementation_name": "cpython",
        "implementation_version": f"{python}.0",
        "platform_python_implementation": "CPython",
        "python_version": python,
        "python_full_version": f"{python}.0",
        "platform_release": "",
        "platform_version": "",
    }
    if platform == "linux":
        markers |= {"os_name": "posix", "sys_platform": "linux", "platform_system": "Linux"}
        markers["platform_machine"] = "x86_64"
    else:
        markers |= {"os_name": "nt", "sys_platform": "win32", "platform_system": "Windows"}
        markers["platform_machine"] = "AMD64"
    abi = f"cp{major}{minor}"
    tags = [*cpython_tags((major, minor), [abi], platforms), *compatible_tags((major, minor), abi, platforms)]
    pip_args = ["--implementation", "cp", "--python-version", python, "--abi", abi, "--abi", "abi3"]
    pip_args += ["--abi", "none", *(arg for plat in platforms for arg in ("--platform", plat))]
    return Target(f"{platform}-cp{major}{minor}", tuple(pip_args), markers, frozenset(tags))


def here() -> Target:
    """This machine's platform and Python, as pip sees them without options."""
    markers = {key: str(value) for key, value in default_environment().items()}
    name = f"{sys.platform}-cp{sys.version_info.major}{sys.version_info.minor}"
    return Target(name, (), markers, frozenset(sys_tags()))


def pip(*args: str, timeout: int) -> None:
    """Run pip of this interpreter; a failure stops the build with pip's own words."""
    command = [sys.executable, "-m", "pip", *args, "--disable-pip-version-check", "--timeout", str(timeout)]
    command += ["--retries", "2"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-12:])
        raise BuildError(
            f"pip {args[0]} failed (exit {done.returncode}); is the package index reachable?\n{tail}"
        )


@dataclass(frozen=True)
class Wheel:
    path: Path
    name: str
    version: str
    tags: frozenset[Tag]


def wheels_in(folder: Path) -> list[Wheel]:
    found = []
    for path in sorted(folder.glob("*.whl")):
        name, version, _build, tags = parse_wheel_filename(path.name)
        found.append(Wheel(path, name, str(version), frozenset(tags)))
    return found


def requires(wheel: Wheel) -> list[Requirement]:
    """The wheel's Requires-Dist, from its METADATA."""
    with zipfile.ZipFile(wheel.path) as archive:
        member = next(
            n for n in archive.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1
        )
        metadata = Parser().parsestr(archive.read(member).decode("utf-8"))
    return [Requirement(line) for line in metadata.get_all("Requires-Dist") or []]


def missing(folder: Path, root: Requirement, tgt: Target) -> list[Requirement]:
    """The requirements of ``root``'s closure, by the target's markers, that no wheel in ``folder`` fitting the
    target satisfies: what ``pip install --no-index`` would fail on there."""
    by_name: dict[str, list[Wheel]] = {}
    for wheel in wheels_in(folder):
        if wheel.tags & tgt.tags:
            by_name.setdefault(wheel.name, []).append(wheel)
    lacking: list[Requirement] = []
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [root]
    while todo:
        req = todo.pop()
        key = (canonicalize_name(req.name), frozenset(req.extras))
        if key in seen:
            continue
        seen.add(key)
        fits = [w for w in by_name.get(key[0], []) if req.specifier.contains(w.version, prereleases=True)]
        if not fits:
            lacking.append(req)
            continue
        best = max(fits, key=lambda w: parse_wheel_filename(w.path.name)[1])
        for dep in requires(best):
            extras = req.extras or {""}
            if dep.marker is None or any(dep.marker.evaluate(tgt.markers | {"extra": e}) for e in extras):
                todo.append(dep)
    return lacking


def without_marker(req: Requirement) -> str:
    extras = f"[{','.join(sorted(req.extras))}]" if req.extras else ""
    return f"{req.name}{extras}{req.specifier}"


def build_own_wheel(work: Path, timeout: int) -> Wheel:
    own = work / "own"
    pip("wheel", "--no-deps", "--quiet", "--wheel-dir", str(own), str(ROOT), timeout=timeout)
    (wheel,) = wheels_in(own)
    return wheel


def build_sdist_only(work: Path, spec: str, built: Path, timeout: int) -> list[str]:
    """Dependencies this machine gets only as an sdist, built into wheels in ``built``; each must be pure
    Python, or it could not be installed on the other platforms."""
    probe = work / "probe"
    pip("download", "--quiet", "--dest", str(probe), spec, timeout=timeout)
    sdists = [p for p in sorted(probe.iterdir()) if p.name.endswith(SDIST_SUFFIXES)]
    for sdist in sdists:
        pip("wheel", "--no-deps", "--quiet", "--wheel-dir", str(built), str(sdist), timeout=timeout)
    impure = [
        w.path.name
        for w in wheels_in(built)
        if not any(t.abi == "none" and t.platform == "any" for t in w.tags)
    ]
    if impure:
        raise BuildError(f"only an sdist, and not pure Python, so no wheel for the other platforms: {impure}")
    return [p.name for p in sdists]


def download(spec: str, root: Requirement, tgt: Target, wheels: Path, built: Path, timeout: int) -> int:
    """Every wheel that ``spec`` (the wheel of ``root``) needs on the target, into ``wheels``; returns how many
    requirements had to be downloaded again by the target's own markers."""
    common = [
        "--quiet",
        "--only-binary=:all:",
        "--find-links",
        str(built),
        "--dest",
        str(wheels),
        *tgt.pip_args,
    ]
    pip("download", *common, spec, timeout=timeout)
    again = 0
    for _ in range(5):
        lacking = missing(wheels, root, tgt)
        if not lacking:
            return again
        again += len(lacking)
        pip("download", *common, *(without_marker(r) for r in lacking), timeout=timeout)
    raise BuildError(f"{tgt.name}: still missing {[str(r) for r in missing(wheels, root, tgt)]}")


def size_mb(paths: Iterable[Path]) -> float:
    return sum(p.stat().st_size for p in paths) / 1e6


INSTALL = """问政 wenzheng {version} 离线安装包（wheelhouse）

这个压缩包里是安装 wenzheng[serve]（命令行和 wenzheng serve）所需的全部 wheel，不用联网。
适用于：{targets}。
{extras_note}
Windows（先装好 Python 3.11、3.12 或 3.13，64 位；在 PowerShell 里）：
    Expand-Archive wenzheng-wheelhouse-{version}.zip -DestinationPath D:\\
    py -3.12 -m venv D:\\wenzheng
    D:\\wenzheng\\Scripts\\pip install --no-index --find-links D:\\wenzheng-wheelhouse-{version} "wenzheng[serve]"
    D:\\wenzheng\\Scripts\\wenzheng --help

Linux（x86_64，glibc 2.{glibc} 或更新：银河麒麟 V10、统信 UOS 20、Debian 10、Ubuntu 20.04 及以后）：
    unzip wenzheng-wheelhouse-{version}.zip -d /opt
    python3 -m venv /opt/wenzheng
    /opt/wenzheng/bin/pip install --no-index --find-links /opt/wenzheng-wheelhouse-{version} "wenzheng[serve]"
    /opt/wenzheng/bin/wenzheng --help

开机自动启动 wenzheng serve（systemd、Windows 任务计划程序）见项目 README 的「多台电脑共用一本台账：serve」。
"""


def write_zip(out: Path, folder: str, wheels: Sequence[Path], install: str) -> None:
    """The zip, written beside its final name and moved there once complete."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    # Wheels are zips already: stored, not compressed again.
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as archive:
        # With a BOM and CRLF, so that Notepad on an older Windows shows the Chinese and the lines.
        text = "\ufeff" + install.replace("\n", "\r\n")
        archive.writestr(f"{folder}/INSTALL.txt", text.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)
        for path in wheels:
            archive.write(path, f"{folder}/{path.name}")
    os.replace(partial, out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="folder of the zip (default dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "wheelhouse", help="scratch folder")
    parser.add_argument("--platform", choices=PLATFORMS, action="append", help="default: both")
    parser.add_argument("--python", choices=PYTHONS, action="append", help="default: 3.11, 3.12 and 3.13")
    parser.add_argument("--here", action="store_true", help="only this machine's platform and Python")
    parser.add_argument(
        "--with-parquet", action="store_true", help="also the extra parquet (pyarrow, adbc-driver-sqlite)"
    )
    parser.add_argument("--timeout", type=int, default=30, help="pip's network timeout, in seconds")
    args = parser.parse_args(argv)
    started = time.monotonic()
    if args.here:
        targets = [here()]
    else:
        targets = [target(p, v) for p in args.platform or PLATFORMS for v in args.python or PYTHONS]
    extras = "serve,parquet" if args.with_parquet else "serve"
    work: Path = args.work
    shutil.rmtree(work, ignore_errors=True)
    wheels, built = work / "wheels", work / "built"
    wheels.mkdir(parents=True)
    built.mkdir()
    try:
        own = build_own_wheel(work, args.timeout)
        shutil.copy2(own.path, wheels)
        spec = f"{own.path}[{extras}]"
        sdist_only = build_sdist_only(work, spec, built, args.timeout)
        print(f"only an sdist, built as pure wheels: {', '.join(sdist_only) or 'none'}")
        for tgt in targets:
            again = download(spec, Requirement(f"{own.name}[{extras}]"), tgt, wheels, built, args.timeout)
            fits = [w.path for w in wheels_in(wheels) if w.tags & tgt.tags]
            note = f" ({again} by its own markers)" if again else ""
            print(f"{tgt.name}: {len(fits)} wheels, {size_mb(fits):.1f} MB{note}")
    except BuildError as error:
        print(f"wheelhouse: {error}", file=sys.stderr)
        return 1
    everything = [w.path for w in wheels_in(wheels)]
    folder = f"wenzheng-wheelhouse-{own.version}"
    names = ", ".join(t.name for t in targets)
    if args.with_parquet:
        extras_note = (
            '包含可选的 parquet（pyarrow、adbc-driver-sqlite），可以安装 "wenzheng[serve,parquet]"。\n'
        )
    else:
        extras_note = "不含 parquet（pyarrow 和 adbc-driver-sqlite，区、市汇总的导出才用）：需要时在联网的电脑上另装。\n"
    install = INSTALL.format(version=own.version, targets=names, extras_note=extras_note, glibc=GLIBC_MINOR)
    out = args.out / f"{folder}.zip"
    write_zip(out, folder, everything, install)
    elapsed = time.monotonic() - started
    print(f"{out}: {out.stat().st_size / 1e6:.1f} MB, {len(everything)} wheels, {elapsed:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
