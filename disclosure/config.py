"""Where things live and what they may use: the database file, the data folder, the upload size limit, DuckDB's
memory, threads and spill folder, and the SQL console's limits. Each can be set by an environment variable."""
from __future__ import annotations

import math
import os
import re
from pathlib import Path

from disclosure.issues import Refusal

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
QUERIES_DIR = ROOT / "queries"
DEFAULT_DB = DATA_DIR / "disclosure.duckdb"
DB_MEMORY_SHARE = 0.4  # of the machine's memory: DuckDB's share, leaving the rest to the server and the OS


class BadSetting(Refusal):
    """An environment variable the app cannot read; the message names it, its value and what it should be."""

    code = "bad-setting"


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


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(%|[kmgt]i?b)\s*$", re.IGNORECASE)
_UNITS = {"k": 1024, "m": 1024 ** 2, "g": 1024 ** 3, "t": 1024 ** 4}


def db_memory_bytes() -> int:
    """DuckDB's memory_limit for every connection (env DISCLOSURE_DB_MEMORY: "4GB", "512MB", or "30%" of the
    machine's memory; default 40%). Past it a query spills to the temp directory or fails, the server lives on."""
    text = os.environ.get("DISCLOSURE_DB_MEMORY", "").strip()
    if not text:
        return int(physical_memory() * DB_MEMORY_SHARE)
    m = _SIZE.match(text)
    if not m or float(m.group(1)) <= 0 or (m.group(2) == "%" and float(m.group(1)) > 100):
        raise BadSetting(f"环境变量 DISCLOSURE_DB_MEMORY 的值「{text}」无法识别：应写成 4GB、512MB 这样的大小，"
                         "或 1% 到 100% 之间的本机内存比例。")
    number, unit = float(m.group(1)), m.group(2).lower()
    if unit == "%":
        return int(physical_memory() * number / 100)
    return int(number * _UNITS[unit[0]])


def db_threads() -> int:
    """DuckDB's worker threads (env DISCLOSURE_DB_THREADS; default all cores but one, so the web server keeps one —
    on a machine of one or two cores, all of them: one thread would halve every query for a core kept idle)."""
    cores = os.cpu_count() or 2
    return _positive_int("DISCLOSURE_DB_THREADS", cores - 1 if cores > 2 else cores)


def db_temp_directory(path: Path) -> str | None:
    """Where DuckDB spills what does not fit in memory_limit (env DISCLOSURE_DB_TEMP; default the folder beside the
    database file, x.duckdb.tmp). None for an in-memory database: DuckDB's own default then."""
    configured = os.environ.get("DISCLOSURE_DB_TEMP", "").strip()
    if configured:
        return configured
    return None if str(path) == ":memory:" else str(path.with_name(path.name + ".tmp"))


def console_max_rows() -> int:
    """Rows the SQL console shows at most (env DISCLOSURE_CONSOLE_MAX_ROWS, default 10000); more are cut off."""
    return _positive_int("DISCLOSURE_CONSOLE_MAX_ROWS", 10_000)


def console_max_bytes() -> int:
    """The largest result the SQL console keeps (env DISCLOSURE_CONSOLE_MAX_MB, default 20); larger is refused."""
    return int(_positive_number("DISCLOSURE_CONSOLE_MAX_MB", 20) * 1024 * 1024)


def console_timeout_s() -> float:
    """Seconds a console query may run before it is interrupted (env DISCLOSURE_CONSOLE_TIMEOUT_S, default 10)."""
    return _positive_number("DISCLOSURE_CONSOLE_TIMEOUT_S", 10)


def physical_memory() -> int:
    """The machine's memory in bytes, or the container's limit where that is lower."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    for limit_file in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(limit_file).read_text().strip()
        except OSError:
            continue
        if text.isdigit() and 0 < int(text) < total:
            total = int(text)
    return total


def _positive_number(name: str, default: float) -> float:
    text = os.environ.get(name, "").strip()
    if not text:
        return float(default)
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not (value > 0 and math.isfinite(value)):
        raise BadSetting(f"环境变量 {name} 的值「{text}」无法识别：应为大于 0 的数字。")
    return value


def _positive_int(name: str, default: int) -> int:
    value = _positive_number(name, default)
    if value != int(value):
        raise BadSetting(f"环境变量 {name} 的值「{os.environ.get(name)}」无法识别：应为正整数。")
    return int(value)


def reader_memory() -> int:
    """Address space of the child process that reads one uploaded table or report (disclosure/read/isolated.py; env
    DISCLOSURE_READER_MEMORY_MB, default 2048)."""
    return int(_positive_number("DISCLOSURE_READER_MEMORY_MB", 2048) * 1024 * 1024)


def reader_seconds() -> int:
    """CPU and wall-clock seconds that child may take (env DISCLOSURE_READER_SECONDS, default 120)."""
    return _positive_int("DISCLOSURE_READER_SECONDS", 120)


def session_run_burst() -> int:
    """Page runs one browser session may start back to back (env DISCLOSURE_SESSION_BURST, default 20)."""
    return _positive_int("DISCLOSURE_SESSION_BURST", 20)


def session_runs_per_second() -> int:
    """Page runs a second one browser session may keep up after its burst (env DISCLOSURE_SESSION_RATE, default 4);
    faster reruns wait their turn (disclosure/ui/pacing.py)."""
    return _positive_int("DISCLOSURE_SESSION_RATE", 4)
