"""The documentation and the declared model agree with the code."""

from __future__ import annotations

import re
from pathlib import Path

from fixtures import REPO

from somec_graph.config import SETTINGS
from somec_graph.ingest.contract import TABLES
from somec_graph.store import cypher


def test_every_setting_is_documented() -> None:
    text = (REPO / "docs" / "settings.md").read_text()
    missing = [s.env for s in SETTINGS if f"`{s.env}`" not in text]
    assert not missing, f"undocumented settings: {missing}"


def test_documented_defaults_match_the_settings_table() -> None:
    """Each row of docs/settings.md gives the default `config.SETTINGS` has."""
    text = (REPO / "docs" / "settings.md").read_text()
    rows = re.findall(r"^\| `(SOMEC_[A-Z0-9_]+)` \| (?:`([^`|]*)`|([^|]*?)) \|", text, re.M)
    documented = {env: code or plain for env, code, plain in rows}  # `value`, or *(empty)*
    wrong = {s.env: (documented.get(s.env), s.default) for s in SETTINGS
             if documented.get(s.env, "").strip() != (s.default or "*(empty)*")}
    assert not wrong, f"docs/settings.md default differs from config.py (docs, code): {wrong}"


def test_settings_page_documents_no_setting_that_does_not_exist() -> None:
    text = (REPO / "docs" / "settings.md").read_text()
    documented = re.findall(r"^\| `(SOMEC_[A-Z0-9_]+)` \|", text, re.M)
    unknown = sorted(set(documented) - {s.env for s in SETTINGS})
    assert not unknown, f"docs/settings.md documents settings config.py does not have: {unknown}"
    assert len(documented) == len(set(documented)), "docs/settings.md documents a setting twice"


# "`SOMEC_X` (default `v`)", "`SOMEC_X=v` (the default", "the default `SOMEC_X=v`"
DEFAULT_MENTIONS = (r"`(SOMEC_[A-Z0-9_]+)` \(default `?([^`),:; ]+)",
                    r"`(SOMEC_[A-Z0-9_]+)=([^`]+)` \((?:the )?default",
                    r"default `(SOMEC_[A-Z0-9_]+)=([^`]+)`")


def test_defaults_named_in_the_docs_are_the_settings_defaults() -> None:
    """A default stated in passing anywhere in the docs is the one config.py has (a development
    tool's own variables, such as tools/neo4j/server's, are checked against that tool)."""
    defaults = {s.env: s.default for s in SETTINGS}
    tool = (REPO / "tools" / "neo4j" / "server").read_text()
    wrong = []
    for doc in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        for pattern in DEFAULT_MENTIONS:
            for env, value in re.findall(pattern, doc.read_text()):
                if env in defaults:
                    ok = defaults[env] == value
                else:
                    ok = re.search(rf"{env}:-{re.escape(value)}\b", tool) is not None
                if not ok:
                    wrong.append(f"{doc.name}: {env} default {value!r}")
    assert not wrong, f"the docs state defaults the code does not have: {wrong}"


def test_readme_first_screen_has_exactly_two_commands() -> None:
    text = (REPO / "README.md").read_text()
    first_block = re.search(r"```sh\n(.*?)```", text, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.splitlines() if line.strip()]
    assert commands == ["make run", "make test"]


def test_schema_has_a_unique_constraint_per_contract_key() -> None:
    statements = cypher.split_statements(cypher.load("schema").text)
    for table in TABLES:
        wanted = f"FOR (n:{table.label}) REQUIRE n.{table.key} IS UNIQUE"
        assert any(wanted in s for s in statements), wanted


def test_graph_model_doc_names_every_label() -> None:
    text = (REPO / "docs" / "graph-model.md").read_text()
    assert all(f"| {t.label} | {t.key} |" in text for t in TABLES)


def layout_table() -> list[tuple[list[Path], list[str]]]:
    """The README's layout table: per row, the paths its first cell names and the `*.py` names its
    second cell names. A name without a folder is a sibling of the path before it."""
    section = re.search(r"^## Layout\n(.*?)^## ", (REPO / "README.md").read_text(), re.S | re.M)
    assert section, "README.md has no ## Layout section"
    rows = []
    for line in section.group(1).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 2 or cells[0] in ("path", "---"):
            continue
        paths: list[Path] = []
        for name in re.findall(r"`([^`]+)`", cells[0]):
            folder = REPO if "/" in name.rstrip("/") or not paths else paths[-1].parent
            paths.append(folder / name)
        rows.append((paths, re.findall(r"`([\w.]+\.py)`", cells[1])))
    return rows


def described_modules() -> set[Path]:
    named = set()
    for paths, modules in layout_table():
        named |= {p for p in paths if p.suffix == ".py"}
        folders = [p for p in paths if p.is_dir()]
        named |= {folder / m for folder in folders for m in modules if (folder / m).exists()}
    return named


def project_modules() -> set[Path]:
    sources = [*(REPO / "somec_graph").rglob("*.py"), REPO / "app.py", *(REPO / "app_pages").glob("*.py")]
    return {p for p in sources if not p.name.startswith("__")}


def test_readme_layout_names_every_module() -> None:
    missing = sorted(str(p.relative_to(REPO)) for p in project_modules() - described_modules())
    assert not missing, f"modules missing from README.md's layout table: {missing}"


def test_readme_layout_names_nothing_that_does_not_exist() -> None:
    absent = []
    for paths, modules in layout_table():
        absent += [str(p.relative_to(REPO)) for p in paths if not p.exists()]
        folders = [p for p in paths if p.is_dir()]
        absent += [f"{m} (in {', '.join(str(f.relative_to(REPO)) for f in folders) or 'no folder'})"
                   for m in modules if not any((f / m).exists() for f in folders)]
    assert not absent, f"README.md's layout table names what does not exist: {absent}"


def names_a_module(dotted: str) -> bool:
    """`somec_graph.a.b` is a module or package, or a module's attribute (`somec_graph.a.b.f`)."""
    parts = dotted.split(".")
    for n in range(len(parts), 0, -1):
        base = REPO.joinpath(*parts[:n])
        source = base.with_suffix(".py") if base.with_suffix(".py").exists() else base / "__init__.py"
        if source.exists():
            return n == len(parts) or re.search(rf"^\s*(?:def |class )?{parts[n]}\b", source.read_text(),
                                                re.M) is not None
    return False


def test_docs_and_docstrings_name_only_modules_that_exist() -> None:
    """Every `somec_graph.…` the README, docs/, app.py, the pages and the package's own docstrings
    and comments name is still there."""
    sources = [REPO / "README.md", *(REPO / "docs").glob("*.md"), REPO / "app.py",
               *(REPO / "app_pages").glob("*.py"), *(REPO / "somec_graph").rglob("*.py")]
    stale = sorted({f"{path.relative_to(REPO)}: {name}" for path in sources
                    for name in re.findall(r"\bsomec_graph(?:\.[a-z_]+)+", path.read_text())
                    if not names_a_module(name)})
    assert not stale, f"names of modules that do not exist: {stale}"
