"""The layers of the house, checked on the source (an AST walk, no import needed):

- the solver (``dispatch/solver``) is pure Python: no Django, no platform module;
- ``zhifu/core`` and ``zhifu/access`` (the plumbing and the door) import no domain app;
- a domain app reaches another only through its public surface: ``services`` and
  ``selectors`` (what it does and reads), ``models`` and ``choices`` (the shared schema and
  vocabulary) — never its internals (lifecycle, eligibility, views, tasks, …); the one
  exception is the solver's pure geometry (``dispatch.solver.travel``), the one distance.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_APPS = {"profiling", "demands", "strategy", "dispatch", "evaluation"}
PUBLIC_MODULES = {"services", "selectors", "models", "choices"}
# The one distance (great-circle km) is the solver's pure geometry; any app may measure with it.
SHARED_LIBRARIES = {"dispatch.solver.travel"}


def _imports(path: Path):
    """(module, line) for every absolute import in the file, function-local ones included."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, node.lineno
            for alias in node.names:  # ``from demands import services`` names a module
                yield f"{node.module}.{alias.name}", node.lineno


def _sources(folder: str):
    return [p for p in (ROOT / folder).rglob("*.py") if "migrations" not in p.parts]


def _violations(folder: str, forbidden) -> list[str]:
    found = []
    for path in _sources(folder):
        for module, line in _imports(path):
            if forbidden(path, module):
                found.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return sorted(set(found))


def test_the_solver_is_pure_python():
    platform = {"django", "rest_framework", "celery", "zhifu", *DOMAIN_APPS} - {"dispatch"}

    def forbidden(_path, module):
        top = module.split(".")[0]
        return top in platform or (top == "dispatch" and not module.startswith(
            "dispatch.solver"))

    assert _sources("dispatch/solver")
    assert _violations("dispatch/solver", forbidden) == []


def test_plumbing_and_the_door_import_no_domain_app():
    def forbidden(_path, module):
        return module.split(".")[0] in DOMAIN_APPS

    assert _violations("zhifu/core", forbidden) == []
    assert _violations("zhifu/access", forbidden) == []


def test_domain_apps_meet_only_through_their_public_surface():
    found = []
    for app in sorted(DOMAIN_APPS):
        def forbidden(path, module, app=app):
            parts = module.split(".")
            if parts[0] not in DOMAIN_APPS or parts[0] == app or len(parts) < 2:
                return False
            if app == "dispatch" and parts[0] == "dispatch":
                return False
            if module in SHARED_LIBRARIES or module.rsplit(".", 1)[0] in SHARED_LIBRARIES:
                return False
            return parts[1] not in PUBLIC_MODULES

        found += _violations(app, forbidden)
    assert found == []


def test_the_check_sees_a_forbidden_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from demands.lifecycle import TRANSITIONS\n")
    assert ("demands.lifecycle", 2) in list(_imports(sample))


def _local_imports_without_reason(path: Path) -> list[str]:
    """Imports inside a function with no comment saying why, between the ``def`` and them
    (a cycle hidden by a local import is the fault this catches)."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = []
    for function in ast.walk(ast.parse(source, filename=str(path))):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            above = lines[function.lineno - 1:node.lineno]
            if not any("#" in line and "import" in line.split("#", 1)[1].lower()
                       for line in above):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_function_local_import_without_a_reason():
    found = []
    for folder in ("zhifu", *sorted(DOMAIN_APPS)):
        for path in _sources(folder):
            found += _local_imports_without_reason(path)
    found += _local_imports_without_reason(ROOT / "manage.py")
    assert found == []


def test_templates_re_encode_no_state_rule():
    """A page asks the model or the service what a state allows; it never compares a
    status or a kind with a literal of its own (the rating form once did, and ignored a rule;
    the demand page once chose an action's fields by kind, beside the lifecycle's table)."""
    pattern = re.compile(r"(status|kind)\s*(==|!=)\s*['\"]|['\"]\s*(==|!=)\s*\w+\.(status|kind)\b")
    found = [f"{path.relative_to(ROOT)}:{number}"
             for path in (ROOT / "templates").rglob("*.html")
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if pattern.search(line)]
    assert found == []
