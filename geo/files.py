"""Where the data files live, and how they are written without ever being half-written."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from geo import settings

REPO_DIR = settings.REPO_DIR


def data_dir() -> Path:
    """The data folder: ``data/`` beside the code, or ``$CARTE_DATA_DIR`` when set."""
    return settings.current().data_dir


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically (``atomic_write_bytes``)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` through a temporary file and a rename.

    Readers see the old file or the new one, never a partial one; a crash
    mid-write leaves the old file intact and no temporary file behind.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_json(path: Path, payload: object) -> None:
    """Write ``payload`` as pretty UTF-8 JSON, atomically."""
    atomic_write_text(path, json.dumps(payload, ensure_ascii=False, indent=1) + "\n")


def read_json(path: Path) -> Any:
    """Read a UTF-8 JSON file."""
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)
