"""Heavy modules imported on first use, so that a short CLI call does not pay for them.

Every `somec-graph` call is a new Python process, and importing pandas (with
numpy and pyarrow) costs about 0.3 s of a call that otherwise needs 0.2 s
(docs/performance.md). Modules that use pandas only inside functions bind it
with `lazy_module`; the real import happens on the first attribute access and
is then served from `sys.modules` like any other import.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule:
    """Stands for the module `name` until an attribute is first read.

    Parameters
    ----------
    name : str
        The module's import name, e.g. ``"pandas"``.

    Examples
    --------
    >>> json = LazyModule("json")
    >>> json.dumps([1])
    '[1]'
    """

    def __init__(self, name: str) -> None:
        self._name = name

    def _module(self) -> ModuleType:
        return importlib.import_module(self._name)

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._module(), attr)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


def lazy_module(name: str) -> Any:
    """A `LazyModule` for `name`, typed as Any so that call sites type-check as with the real module.

    Modules pair it with ``if TYPE_CHECKING: import pandas as pd`` so that mypy
    still sees pandas' own types.
    """
    return LazyModule(name)
