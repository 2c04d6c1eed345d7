"""The import graph points one way: entry points -> interfaces -> capabilities -> platform -> messages.

Every `import` and `from ... import` in service/, jobs/ and messages/ (inside functions too) is
read with `ast`; an import of a package from a higher layer, or between sibling capabilities,
fails the test with the file and line. The layers are documented in docs/architecture.md.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Higher number = higher layer. A module may import its own unit and any lower layer.
LAYERS: dict[str, int] = {
    "messages": 0,
    "service.platform": 1,
    "service.models": 2,
    "service.migrations": 3,
    "service.messaging": 3,
    "service.programme": 4,
    "service.care": 4,
    "service.staff": 4,
    "service.conversation": 5,
    "service.api": 6,
    "service.ui": 6,
    "service.webhooks": 6,
    "service.commands": 7,
    "service": 7,  # the application factory (service/__init__.py)
    "jobs": 8,
}
# Interfaces may not import each other: the API and the staff app share capabilities instead.
NO_SIBLING_IMPORTS = {
    "service.programme",
    "service.care",
    "service.staff",
    "service.api",
    "service.ui",
    "service.webhooks",
}


def unit_of(module: str) -> str | None:
    """The layer unit a dotted module name belongs to (longest matching prefix)."""
    best = None
    for unit in LAYERS:
        if (module == unit or module.startswith(unit + ".")) and (
            best is None or len(unit) > len(best)
        ):
            best = unit
    return best


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """(line, absolute module) for every import in the file, relative imports resolved."""
    tree = ast.parse(path.read_text(), filename=str(path))
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            found.append((node.lineno, target))
            # `from service.api import alerts` imports a submodule; `from service import
            # create_app` imports the factory: both resolve through unit_of.
            found.extend((node.lineno, f"{target}.{alias.name}") for alias in node.names)
    return found


def forbidden(source_module: str, target: str) -> bool:
    """True when `source_module` may not import `target`: it points up, or across siblings."""
    source_unit, target_unit = unit_of(source_module), unit_of(target)
    if source_unit is None or target_unit is None or source_unit == target_unit:
        return False
    if target_unit == "service" and target != "service.create_app":
        return False  # `from service.x import y` passes through the package root
    src_rank, dst_rank = LAYERS[source_unit], LAYERS[target_unit]
    sideways = (
        src_rank == dst_rank
        and source_unit in NO_SIBLING_IMPORTS
        and target_unit in NO_SIBLING_IMPORTS
    )
    return dst_rank > src_rank or sideways


def violations(paths: list[Path], root: Path = ROOT) -> list[str]:
    """Every import against the arrows, as 'file:line: source must not import target'."""
    problems = set()
    for path in paths:
        source = module_name(path, root)
        for line, target in imported_modules(path, root):
            if forbidden(source, target):
                problems.add(f"{path.relative_to(root)}:{line}: {source} must not import {target}")
    return sorted(problems)


def source_files() -> list[Path]:
    return [
        p
        for top in ("messages", "service", "jobs")
        for p in sorted((ROOT / top).rglob("*.py"))
        if "versions" not in p.parts or top != "service"
    ]


def test_imports_point_one_way():
    assert violations(source_files()) == []


def test_every_source_module_belongs_to_a_layer():
    orphans = [str(p.relative_to(ROOT)) for p in source_files() if unit_of(module_name(p)) is None]
    assert orphans == []


def test_every_service_package_says_what_it_owns():
    for init in sorted((ROOT / "service").glob("*/__init__.py")):
        docstring = ast.get_docstring(ast.parse(init.read_text()))
        assert docstring, f"{init.relative_to(ROOT)} needs a one-line docstring"


@pytest.mark.parametrize(
    ("where", "line"),
    [
        ("service/platform/db.py", "from service.models import Participant"),
        ("service/messaging/outbox.py", "from service.programme.plans import replan"),
        ("service/care/summaries.py", "from service.programme.plans import replan"),
        ("service/ui/groups.py", "from service.api.serialize import participant_json"),
        ("service/__init__.py", "import jobs.cli"),
        ("messages/parse.py", "from service.platform.db import utcnow"),
    ],
)
def test_a_forbidden_import_is_caught(tmp_path, where, line):
    """The check fails when one import against the arrows is added."""
    copy = tmp_path / where
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_text((ROOT / where).read_text() + f"\n{line}\n")
    assert violations([copy], root=tmp_path), f"adding {line!r} to {where} was not caught"
    assert violations([ROOT / where]) == []


def test_messages_is_pure_python():
    """messages/ is content and arithmetic: no web framework, database, queue or Twilio."""
    banned = ("flask", "sqlalchemy", "redis", "rq", "twilio", "werkzeug", "alembic")
    found = [
        f"{path.relative_to(ROOT)}:{line}: {target}"
        for path in sorted((ROOT / "messages").rglob("*.py"))
        for line, target in imported_modules(path)
        if target.split(".")[0] in banned
    ]
    assert found == []
