"""How a long job (load, bulk load, export) reports its progress: a callback taking (step, done, total)."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int, int], None]
