"""The package reads as the pipeline: every module imports only the stages before its own (README)."""

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "sopdoc"
# The order of the stages; a module may import its own stage and those listed before it.
ORDER = ["errors", "workers", "fsutil", "report", "templating", "version", "office", "definition", "authoring",
         "flowchart", "document", "export", "excel", "sign", "studio", "commands", "clitext", "cli", "__main__",
         "__init__"]
# Inside a stage with several layers, the order of its modules: each imports only those before it.
LAYERS = {
    "definition": ["characters", "names", "fields", "model", "placeholders", "yamlsafe", "tree", "attachments", "version", "values",
                   "schema", "units", "rows", "reader"],
    "authoring": ["quoting", "scaffold", "datadiff", "yamlwrite", "revise"],
}
# The CLI imports each command when it runs (as mkdocs does), so that `sopdoc --help` loads none of them.
LAZY_IMPORTS = {"cli.py"}


def _stage(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def _imported_stages(path: Path) -> set[str]:
    stages = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "sopdoc":
            below = node.module.split(".")[1:]
            stages.update(below[:1] or [alias.name for alias in node.names])
        elif isinstance(node, ast.Import):
            stages.update(a.name.split(".")[1] for a in node.names if a.name.startswith("sopdoc."))
    return stages


def test_every_stage_is_known():
    stages = {_stage(p) for p in PACKAGE.rglob("*.py")}
    assert stages <= set(ORDER), stages - set(ORDER)


def test_imports_go_one_way():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        own = ORDER.index(_stage(path))
        for stage in _imported_stages(path):
            if stage == "__version__":   # the package's own version, defined in sopdoc/__init__.py
                continue
            if stage not in ORDER or ORDER.index(stage) > own:
                wrong.append(f"{path.relative_to(ROOT)} imports {stage}")
    assert wrong == []


def _modules_of_stage(path: Path, stage: str) -> set[str]:
    """Return the modules of *stage* that the module at *path* imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[:2] == ["sopdoc", stage]:
            below = node.module.split(".")[2:]
            found.update(below[:1] or [alias.name for alias in node.names])
    return found


def test_imports_inside_a_stage_go_one_way():
    wrong = []
    for stage, order in LAYERS.items():
        modules = {p.stem for p in (PACKAGE / stage).glob("*.py")} - {"__init__"}
        assert modules == set(order), modules ^ set(order)
        for name in order:
            for imported in _modules_of_stage(PACKAGE / stage / f"{name}.py", stage):
                if order.index(imported) >= order.index(name):
                    wrong.append(f"{stage}/{name}.py imports {imported}")
    assert wrong == []


def test_no_module_imports_inside_a_function():
    """An import inside a function hides a cycle that a type in the wrong module makes; the CLI's are lazy on purpose."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.relative_to(PACKAGE).as_posix() in LAZY_IMPORTS:
            continue
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found += [f"{path.relative_to(ROOT)}:{node.lineno}" for node in ast.walk(function)
                          if isinstance(node, (ast.Import, ast.ImportFrom))]
    assert found == []


def _imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return modules


def test_sign_excel_export_and_book_take_shared_office_facts_from_office_not_from_the_flowchart():
    files = [*(PACKAGE / "sign").rglob("*.py"), *(PACKAGE / "excel").rglob("*.py"), *(PACKAGE / "export").rglob("*.py"),
             PACKAGE / "document" / "book.py"]
    sideways = [f"{path.relative_to(ROOT)} imports {module}" for path in sorted(files)
                for module in sorted(_imported_modules(path)) if module.startswith("sopdoc.flowchart")]
    assert len(files) > 15 and sideways == []
