"""Where things live: the database file, the data folder, the upload size limit."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
QUERIES_DIR = ROOT / "queries"
DEFAULT_DB = DATA_DIR / "disclosure.duckdb"


def db_path() -> Path:
    return Path(os.environ.get("DISCLOSURE_DB") or DEFAULT_DB)


def max_upload_bytes() -> int:
    """Files over this size are refused before they are read (env DISCLOSURE_MAX_UPLOAD_MB, default 200)."""
    return int(float(os.environ.get("DISCLOSURE_MAX_UPLOAD_MB", "200")) * 1024 * 1024)


def megabytes(size: int) -> str:
    """A file size as people read it: 200 MB, 3.5 MB, 0.002 MB."""
    mb = size / 1024 / 1024
    return f"{mb:.0f} MB" if mb >= 10 else f"{mb:.3g} MB"
