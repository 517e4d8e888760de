"""The Data page's work: uploads unpacked safely (contract file names only, no path traversal,
no zip bombs), then checked and loaded as the signed-in admin under the rules `somec-graph load`
follows (`ingest/intake.py`)."""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from functools import partial
from pathlib import Path, PurePath
from typing import Any

import streamlit as st

from ..config import load_settings
from ..errors import SomecGraphError
from ..ingest.contract import TABLES
from .session import current_user

MAX_UPLOAD_FILES = 20
MAX_UNZIPPED_BYTES = 500 * 1024 * 1024
DATA_FILES = {t.file for t in TABLES}

def _safe_name(name: str) -> str:
    """The bare file name of an upload or a zip member: no folders, so no path traversal."""
    return PurePath(name.replace("\\", "/")).name


def unpack_upload(files: list[Any], folder: Path) -> list[str]:
    """Write the uploaded CSV files, and the CSV members of uploaded zips, into `folder`.

    Returns notes on what was skipped. Only the file names of the data contract
    are written, by their bare name, and a zip may not unpack to more than
    MAX_UNZIPPED_BYTES (a zip bomb is refused before it fills the disk).
    """
    if len(files) > MAX_UPLOAD_FILES:
        raise SomecGraphError(f"Upload at most {MAX_UPLOAD_FILES} files at once (or one zip).")
    notes: list[str] = []
    members: list[tuple[str, Callable[[], bytes]]] = []
    for upload in files:
        if upload.name.lower().endswith(".zip"):
            try:
                archive = zipfile.ZipFile(io.BytesIO(upload.getvalue()))
            except zipfile.BadZipFile:
                raise SomecGraphError(f"{_safe_name(upload.name)} is not a readable zip file.") from None
            infos = [info for info in archive.infolist() if not info.is_dir()]
            if sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES:
                raise SomecGraphError(f"{_safe_name(upload.name)} unpacks to more than "
                                      f"{MAX_UNZIPPED_BYTES // 2**20} MB; split the data set.")
            members += [(info.filename, partial(archive.read, info)) for info in infos]
        else:
            members.append((upload.name, upload.getvalue))
    written: set[str] = set()
    for raw_name, read in members:
        name = _safe_name(raw_name)
        if name not in DATA_FILES:
            notes.append(f"{name} is not a file of the data contract; skipped.")
            continue
        if name in written:
            notes.append(f"{name} was uploaded more than once; the last copy is used.")
        (folder / name).write_bytes(read())
        written.add(name)
    return notes


def new_upload_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="somec-upload-"))


def remove_dir(folder: Path | None) -> None:
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def clear_caches() -> None:
    """After a load: drop cached data (the new version would miss it anyway; this frees memory)."""
    st.cache_data.clear()


def run_load(ds: Any, progress: Callable[[str, int, int], None], *, skip_invalid: bool) -> Any:
    """Load the checked upload (audited by the library); `skip_invalid`: only its valid rows, as chosen."""
    from ..ingest.intake import load_checked

    return load_checked(load_settings(), ds, progress, user=current_user(), skip_invalid=skip_invalid)
