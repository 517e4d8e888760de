"""Every Cypher file in the repository passes Neo4j's own linter.

The linter is the npm package @neo4j-cypher/language-support, pinned in
tools/cypher-lint/package.json and driven by tools/cypher-lint/lint.mjs (read
its header for the API and for how the schema-dependent checks are handled).
One Node process lints all files; each file is then its own test, which fails
on any error and on any warning not listed in IGNORED_WARNINGS.

Node and the package are required, not optional: without them the tests
FAIL and say how to install them (CI runs the same command):

    npm ci --prefix tools/cypher-lint
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LINT_DIR = REPO / "tools" / "cypher-lint"
LINT_SCRIPT = LINT_DIR / "lint.mjs"
PACKAGE_DIR = LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support"
INSTALL_HINT = "run `npm ci --prefix tools/cypher-lint`"
TIMEOUT_SECONDS = 300

CYPHER_FILES = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "cypher").rglob("*.cypher"))

# Warnings (regex on the message, and why) that do NOT fail a file.
# Empty on purpose: with our empty schema the linter only emits warnings from
# Neo4j 5's own semantic analysis (5.x deprecations such as id() or
# `CALL { WITH x ... }` without a scope clause, and performance notes such as
# cartesian products or unbounded shortestPath). None of them is a Neo4j 4-only
# deprecation; all apply to the Neo4j 5 / Aura servers we run against, so they
# are worth fixing. Label/relationship-type "not present in the database"
# warnings cannot occur: lint.mjs passes no label lists, which disables them.
IGNORED_WARNINGS: tuple[tuple[str, str], ...] = ()

FAILING_SEVERITIES = {"error", "warning"}


@dataclass
class LintRun:
    """Result of one run of lint.mjs: diagnostics by file, or why it failed."""

    by_file: dict[str, list[dict]] = field(default_factory=dict)
    problem: str | None = None

    def diagnostics(self, file: str) -> list[dict]:
        if self.problem is not None:
            pytest.fail(self.problem, pytrace=False)
        if file not in self.by_file:
            pytest.fail(f"lint.mjs reported nothing for {file}", pytrace=False)
        return self.by_file[file]


def run_linter(files: list[str]) -> LintRun:
    node = shutil.which("node")
    if node is None:
        return LintRun(problem=f"`node` is not on PATH: install Node >= 20, then {INSTALL_HINT}")
    if not PACKAGE_DIR.is_dir():
        return LintRun(problem=f"the Cypher linter is not installed in {LINT_DIR}/node_modules; {INSTALL_HINT}")
    try:
        proc = subprocess.run(
            [node, str(LINT_SCRIPT), *files],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired:
        return LintRun(problem=f"lint.mjs took more than {TIMEOUT_SECONDS}s for {len(files)} files")
    if proc.returncode != 0:
        return LintRun(problem=f"lint.mjs exited with {proc.returncode}; {INSTALL_HINT}\n{proc.stderr}")
    try:
        results = json.loads(proc.stdout)
    except json.JSONDecodeError as err:
        return LintRun(problem=f"lint.mjs printed no JSON ({err}):\n{proc.stdout[:2000]}\n{proc.stderr}")
    return LintRun(by_file={r["file"]: r["diagnostics"] for r in results})


def is_failing(diagnostic: dict) -> bool:
    if diagnostic["severity"] not in FAILING_SEVERITIES:
        return False
    if diagnostic["severity"] == "warning":
        return not any(re.search(pattern, diagnostic["message"]) for pattern, _ in IGNORED_WARNINGS)
    return True


def describe(file: str, diagnostics: list[dict]) -> str:
    return "\n".join(
        f"{file}:{d['line']}:{d['column']}: {d['severity']}: {d['message']}" for d in diagnostics
    )


@pytest.fixture(scope="module")
def repo_lint() -> LintRun:
    """One Node process for every cypher/**/*.cypher file."""
    return run_linter(CYPHER_FILES) if CYPHER_FILES else LintRun()


@pytest.mark.parametrize("cypher_file", CYPHER_FILES)
def test_cypher_file_passes_neo4j_linter(repo_lint: LintRun, cypher_file: str) -> None:
    failing = [d for d in repo_lint.diagnostics(cypher_file) if is_failing(d)]
    if failing:
        pytest.fail(f"Neo4j's Cypher linter rejects {cypher_file}:\n{describe(cypher_file, failing)}", pytrace=False)


# --- The harness itself: known-bad and known-good input, linted in one run. ---

HARNESS_FILES = {
    "broken.cypher": "// header comment\nMATCH (n RETURN n\n",
    "valid.cypher": (
        "// Find a person and the people they know.\n"
        "// Parameters: $id, $limit\n"
        "MATCH (p:Person {id: $id})-[:KNOWS]->(friend:Person)\n"
        "WHERE friend.name IS NOT NULL\n"
        "RETURN friend.id AS id, friend.name AS name\n"
        "ORDER BY name\n"
        "LIMIT $limit\n"
    ),
    "schema.cypher": (
        "// Several statements, one per `;`.\n"
        "CREATE CONSTRAINT person_id IF NOT EXISTS\n"
        "FOR (p:Person) REQUIRE p.id IS UNIQUE;\n"
        "\n"
        "CREATE INDEX person_name IF NOT EXISTS FOR (p:Person) ON (p.name);\n"
        "CREATE CONSTRAINT knows_id IF NOT EXISTS FOR ()-[r:KNOWS]-() REQUIRE r.id IS UNIQUE;\n"
    ),
    "second_statement_broken.cypher": (
        "// The first statement is fine, the second is not.\n"
        "MATCH (n:Person) RETURN n.id AS id;\n"
        "\n"
        "MATCH (m:Person) RETURN missing;\n"
    ),
}


@pytest.fixture(scope="module")
def harness_lint(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, LintRun]:
    folder = tmp_path_factory.mktemp("cypher-lint-harness")
    for name, text in HARNESS_FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder, run_linter([str(folder / name) for name in HARNESS_FILES])


def harness_diagnostics(harness_lint: tuple[Path, LintRun], name: str) -> list[dict]:
    folder, run = harness_lint
    return run.diagnostics(str(folder / name))


def test_linter_catches_a_syntax_error(harness_lint: tuple[Path, LintRun]) -> None:
    diagnostics = harness_diagnostics(harness_lint, "broken.cypher")
    errors = [d for d in diagnostics if d["severity"] == "error"]
    assert errors, f"no error reported for a broken query: {diagnostics}"
    # `RETURN` on line 2, column 10 is where `(n` should have been closed.
    assert (errors[0]["line"], errors[0]["column"]) == (2, 10), errors


def test_valid_query_with_header_comment_and_parameters_passes(harness_lint: tuple[Path, LintRun]) -> None:
    assert harness_diagnostics(harness_lint, "valid.cypher") == []


def test_several_statements_in_one_file_pass(harness_lint: tuple[Path, LintRun]) -> None:
    assert harness_diagnostics(harness_lint, "schema.cypher") == []


def test_error_in_a_later_statement_has_the_right_line(harness_lint: tuple[Path, LintRun]) -> None:
    diagnostics = harness_diagnostics(harness_lint, "second_statement_broken.cypher")
    assert [(d["severity"], d["line"], d["column"]) for d in diagnostics] == [("error", 4, 25)], diagnostics
    assert "missing" in diagnostics[0]["message"]
