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


# The shipped .streamlit/config.toml sets server.maxUploadSize to the same number (a test holds them equal): the
# readers' memory grows with the file, so the limit is what bounds a single upload.
DEFAULT_MAX_UPLOAD_MB = 50


def max_upload_bytes(server_mb: float | None = None) -> int:
    """Files over this size are refused before they are read: env DISCLOSURE_MAX_UPLOAD_MB, default 50. In the
    dashboard `server_mb` is Streamlit's server.maxUploadSize, which the app's limit never exceeds: the server would
    refuse such a file before the app could say why."""
    mb = float(os.environ.get("DISCLOSURE_MAX_UPLOAD_MB") or DEFAULT_MAX_UPLOAD_MB)
    if server_mb is not None:
        mb = min(mb, server_mb)
    return int(mb * 1024 * 1024)


def megabytes(size: int) -> str:
    """A file size as people read it: 200 MB, 3.5 MB, 0.002 MB."""
    mb = size / 1024 / 1024
    return f"{mb:.0f} MB" if mb >= 10 else f"{mb:.3g} MB"
