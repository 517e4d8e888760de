"""The documentation and the declared model agree with the code."""

from __future__ import annotations

import re

from conftest import REPO

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
