"""The files the program ships beside its code: Cypher, seed data, the dashboard.

An installed wheel carries them as package data in `somec_graph/_resources/`
(pyproject's force-include); a source checkout (and an editable install) reads
the repository's own top-level folders. Nothing else looks for them.

>>> (CYPHER_DIR / "schema.cypher").is_file(), (SEED_DIR / "states.csv").is_file(), APP_SCRIPT.name
(True, True, 'app.py')
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _root() -> Path:
    package = Path(str(files("somec_graph")))
    packaged = package / "_resources"
    return packaged if packaged.is_dir() else package.parent


ROOT = _root()
CYPHER_DIR = ROOT / "cypher"
SEED_DIR = ROOT / "seed_data"
APP_SCRIPT = ROOT / "app.py"
PAGES_DIR = ROOT / "app_pages"
