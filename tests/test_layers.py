"""The map of the code holds: the layer table in README.md ("How the code is laid out") is the contract.

Every module of the package is named in its layer's row, and no module imports a layer its row does not allow
(imports inside functions and under TYPE_CHECKING count too). ``make lint`` runs this file.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "wenzheng_cli"
README = ROOT / "README.md"
HEADING = "### How the code is laid out"


@dataclass(frozen=True)
class Layer:
    name: str  # "cli" for the package cli/, "config" for config.py
    modules: frozenset[str]  # the names in backticks in its row
    may_import: frozenset[str]
    types_only: frozenset[str] = frozenset()  # "core (result types)": only classes may be imported from it


def layer_table(text: str) -> dict[str, Layer]:
    section = text.split(HEADING, 1)[1].split("\n#", 1)[0]
    layers: dict[str, Layer] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        name = cells[0].strip("`").removesuffix("/").removesuffix(".py")
        named = frozenset(m.removesuffix(".py") for m in re.findall(r"`([\w./]+)`", cells[1]))
        words = [w.strip() for w in cells[2].split(",") if w.strip() not in ("", "—", "-")]
        allowed = frozenset(w.split(" (")[0] for w in words)
        types_only = frozenset(w.split(" (")[0] for w in words if w.endswith("(result types)"))
        layers[name] = Layer(name, named, allowed, types_only)
    return layers


def layer_of(module: str) -> str | None:
    """``wenzheng_cli.core.cases`` → ``core``; ``wenzheng_cli.errors`` → ``errors``; other packages → None."""
    parts = module.split(".")
    if parts[0] != "wenzheng_cli" or len(parts) < 2:
        return None
    return parts[1]


def modules() -> dict[str, Path]:
    """Every module of the package by its dotted name (``wenzheng_cli.core.cases``)."""
    found: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(path: Path) -> list[tuple[int, str, tuple[str, ...]]]:
    """Every module an import statement names, with the names a ``from`` import takes from it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    named: list[tuple[int, str, tuple[str, ...]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            named += [(node.lineno, alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                raise AssertionError(f"{path}:{node.lineno}: a relative import; write wenzheng_cli.…")
            if node.module:
                named.append((node.lineno, node.module, tuple(a.name for a in node.names)))
    return named


def violations(layers: dict[str, Layer]) -> list[str]:
    found: list[str] = []
    for module, path in modules().items():
        own = layer_of(module)
        if own is None or own == "__main__":
            continue
        for line, target, names in imports(path):
            other = layer_of(target)
            if other is None or other == own or own not in layers:
                continue  # a layer without a row is reported by the test of the table's completeness
            rel = path.relative_to(ROOT)
            if other not in layers[own].may_import:
                allowed = sorted(layers[own].may_import)
                found.append(f"{rel}:{line}: {own} imports {target} ({own} may import: {allowed})")
            elif other in layers[own].types_only and not (names and all(n[:1].isupper() for n in names)):
                found.append(
                    f"{rel}:{line}: {own} may import only result types (classes) from {other}: {target}"
                )
    return found


def test_every_layer_and_module_is_in_the_table() -> None:
    layers = layer_table(README.read_text(encoding="utf-8"))
    missing: list[str] = []
    for module in modules():
        parts = module.split(".")
        if len(parts) == 1 or parts[1] == "__main__":
            continue
        layer = parts[1]
        if layer not in layers:
            missing.append(f"layer {layer} (module {module}) has no row")
        elif (
            len(parts) > 2
            and ".".join(parts[2:]) not in layers[layer].modules
            and parts[2] not in layers[layer].modules
        ):
            missing.append(f"{module} is not named in the row of {layer}/")
    assert not missing, "README's layer table is missing:\n" + "\n".join(missing)


def test_the_table_names_only_what_exists() -> None:
    layers = layer_table(README.read_text(encoding="utf-8"))
    known = {m.split(".")[1] for m in modules() if "." in m}
    assert set(layers) <= known, f"rows for layers that do not exist: {set(layers) - known}"
    for layer in layers.values():
        assert layer.may_import <= known, (
            f"{layer.name} may import unknown layers: {layer.may_import - known}"
        )


def test_no_layer_imports_what_its_row_does_not_allow() -> None:
    found = violations(layer_table(README.read_text(encoding="utf-8")))
    assert not found, "imports against README's layer table:\n" + "\n".join(found)


def test_the_contract_catches_an_upward_import(tmp_path: Path) -> None:
    """A domain module importing the command line is refused (the check is not vacuous)."""
    layers = layer_table(README.read_text(encoding="utf-8"))
    assert "cli" not in layers["domain"].may_import
    assert "store" not in layers["domain"].may_import
    assert "core" not in layers["store"].may_import
    assert "cli" not in layers["core"].may_import and "render" not in layers["core"].may_import
