"""The rules between a data set folder and the graph, shared by `somec-graph load` and the dashboard's Data page.

`checked()` validates a folder under the load's options and refuses, in one sentence, what must
not be loaded at all: a sync with --skip-invalid (a rejected row is still in the folder, so a
sync could neither load nor delete it), a sync of a folder missing a data file (a missing file
never means "delete everything"), and a folder holding none of the data files. `load_checked()`
then refuses a data set with problems unless only its valid rows are wanted, makes room in an
embedded server with an auto-sized heap for the data about to arrive (before connecting: it may
restart the server), loads as the given user, and audits the load (a dry run writes nothing and
is not audited).
"""

from __future__ import annotations

from pathlib import Path

from .. import audit
from ..config import Settings
from ..errors import SomecGraphError
from ..roles import LOCAL_ADMIN, User
from ..store import embedded, open_store
from .contract import TABLES
from .load import LoadSummary, Progress, load_dataset
from .sync import require_complete
from .validate import Dataset, validate

DATA_FILES = tuple(t.file for t in TABLES if not t.reference)


def checked(folder: Path, *, sync: bool = False, skip_invalid: bool = False) -> Dataset:
    """The validated data set in `folder`, or one sentence on why it cannot be loaded under these options.

    Its problems are not refused here: the caller shows them first (`refuse_problems`).
    """
    if not folder.is_dir():
        raise SomecGraphError(f"{folder} is not a folder; give the folder that holds the data set's CSV files.")
    if sync:
        if skip_invalid:
            raise SomecGraphError("--sync makes the graph equal to the folder, so every row must be valid; "
                                  "it cannot be combined with --skip-invalid.")
        require_complete(folder)  # before validating: a missing file is refused at once
    ds = validate(folder)
    if not any((folder / name).is_file() for name in DATA_FILES):
        raise SomecGraphError(f"{folder} holds none of the data set's files ({', '.join(DATA_FILES)}); "
                              "nothing was loaded.")
    return ds


def refuse_problems(ds: Dataset, *, skip_invalid: bool, report: Path | None = None) -> None:
    """A data set with problems loads nothing unless only its valid rows are wanted."""
    if ds.problems and not skip_invalid:
        where = f" (all listed in {report})" if report else ""
        raise SomecGraphError(f"{len(ds.problems)} problem(s) in {ds.folder}{where}; nothing was loaded. "
                              "Fix them, or load the valid rows with --skip-invalid.")


def load_checked(settings: Settings, ds: Dataset, progress: Progress | None = None, *, user: User = LOCAL_ADMIN,
                 skip_invalid: bool = False, sync: bool = False, dry_run: bool = False) -> LoadSummary:
    """Load `ds` (from `checked`) as `user`: refused with problems unless `skip_invalid`; audited."""
    refuse_problems(ds, skip_invalid=skip_invalid)
    if settings.embedded:  # an auto-sized heap grows for the data before it arrives
        embedded.make_room(settings, sum(p.stat().st_size for p in ds.folder.glob("*.csv")))
    with open_store(settings).as_user(user) as store:
        summary = load_dataset(store, ds, progress, sync=sync, dry_run=dry_run)
    if not dry_run:
        audit.audited(settings.data_dir, user, "load",
                      {"folder": str(ds.folder), "skip_invalid": skip_invalid, "sync": sync,
                       "rejected_rows": ds.rejected_rows},
                      sum(t.created + t.updated + t.deleted for t in summary.tables.values()))
    return summary
