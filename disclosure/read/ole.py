"""Just enough of the OLE compound file (Office 97–2003 .xls, .et, .doc, .wps) to name its streams and read one."""
from __future__ import annotations

import struct
from dataclasses import dataclass

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END_OF_CHAIN = 0xFFFFFFFE
_LAST_SECTOR = 0xFFFFFFFA  # ids above it are markers (free, end of chain, FAT, DIFAT)
_HEADER_FAT_IDS = 109
_STREAM, _ROOT = 2, 5


class Damaged(ValueError):
    """The bytes are not a whole, well-formed compound file (truncated, corrupted or hostile)."""


@dataclass(frozen=True)
class Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    start: int
    size: int
    top_level: bool  # a child of the root, not inside an embedded object's storage


class CompoundFile:
    """A parsed directory; every chain is followed with a bound, so a looping or oversized file raises Damaged."""

    def __init__(self, data: bytes):
        if len(data) < 512 or not data.startswith(MAGIC):
            raise Damaged("no compound file header")
        self._data = data
        (major, order, shift, mini_shift, n_fat, first_dir, cutoff, first_mini_fat, n_mini_fat, first_difat,
         n_difat) = struct.unpack_from("<2xHHHH10xII4xIIIII", data, 24)
        if order != 0xFFFE or (major, shift) not in ((3, 9), (4, 12)) or mini_shift != 6 or cutoff != 4096:
            raise Damaged("unknown compound file layout")
        self._sector = 1 << shift
        self._sectors = max(0, -(-(len(data) - self._sector) // self._sector))  # the header fills sector -1
        self._fat = self._table(self._fat_sector_ids(n_fat, first_difat, n_difat))
        self.entries = self._directory(first_dir)
        root = self.entries[0]
        self._mini_stream = self._read_chain(root.start, root.size, self._fat, self._sector_bytes)
        mini_fat = self._read_chain(first_mini_fat, n_mini_fat * self._sector, self._fat, self._sector_bytes) \
            if n_mini_fat else b""
        self._mini_fat = _uint32s(mini_fat)

    def stream_names(self, *, top_level: bool = False) -> list[str]:
        return [e.name for e in self.entries if e.kind == _STREAM and (e.top_level or not top_level)]

    def find(self, name: str) -> Entry | None:
        """The first stream of that exact name in directory order, anywhere in the file: how calamine looks one up."""
        return next((e for e in self.entries if e.kind == _STREAM and e.name == name), None)

    def read(self, entry: Entry) -> bytes:
        if entry.size < 4096:
            return self._read_chain(entry.start, entry.size, self._mini_fat, self._mini_bytes)
        return self._read_chain(entry.start, entry.size, self._fat, self._sector_bytes)

    # ------------------------------------------------------------ internals

    def _sector_bytes(self, sid: int) -> bytes:
        if sid >= self._sectors:
            raise Damaged("sector beyond the end of the file")
        at = (sid + 1) * self._sector
        return self._data[at:at + self._sector]

    def _mini_bytes(self, sid: int) -> bytes:
        at = sid * 64
        if at + 64 > len(self._mini_stream):
            raise Damaged("mini sector beyond the mini stream")
        return self._mini_stream[at:at + 64]

    def _fat_sector_ids(self, n_fat: int, first_difat: int, n_difat: int) -> list[int]:
        ids = list(struct.unpack_from(f"<{_HEADER_FAT_IDS}I", self._data, 76))
        sid, seen = first_difat, set()
        per_sector = self._sector // 4 - 1
        while sid <= _LAST_SECTOR and len(seen) < n_difat:
            if sid in seen:
                raise Damaged("DIFAT chain loops")
            seen.add(sid)
            block = _uint32s(self._sector_bytes(sid))
            if len(block) <= per_sector:
                raise Damaged("DIFAT sector cut off")
            ids += block[:per_sector]
            sid = block[per_sector]
        if n_fat > len(ids) or n_fat > self._sectors:
            raise Damaged("more FAT sectors declared than present")
        return ids[:n_fat]

    def _table(self, sector_ids: list[int]) -> list[int]:
        return _uint32s(b"".join(self._sector_bytes(sid) for sid in sector_ids))

    def _read_chain(self, start: int, size: int, table: list[int], sector_bytes) -> bytes:
        if size > len(self._data):
            raise Damaged("stream larger than the file")
        parts, sid, have = [], start, 0
        while have < size:
            if sid > _LAST_SECTOR or sid >= len(table) or len(parts) > len(table):
                raise Damaged("chain shorter than its stream, or looping")
            part = sector_bytes(sid)
            parts.append(part)
            have += len(part)
            sid = table[sid]
        return b"".join(parts)[:size]

    def _directory(self, first: int) -> list[Entry]:
        raw, sid, seen = [], first, set()
        while sid != _END_OF_CHAIN:
            if sid > _LAST_SECTOR or sid >= len(self._fat) or sid in seen:
                raise Damaged("directory chain broken")
            seen.add(sid)
            raw.append(self._sector_bytes(sid))
            sid = self._fat[sid]
        data = b"".join(raw)
        fields = []
        for at in range(0, len(data) - 127, 128):
            name_len, kind = struct.unpack_from("<HB", data, at + 64)
            left, right, child, start, size = struct.unpack_from("<III36xIQ", data, at + 68)
            name = data[at:at + max(0, min(name_len, 64) - 2)].decode("utf-16-le", "replace")
            fields.append((name, kind, left, right, child, start, size))
        if not fields or fields[0][1] != _ROOT:
            raise Damaged("no root entry")
        top = self._children(fields, fields[0][4])
        return [Entry(name, kind, start, size & 0xFFFFFFFF if self._sector == 512 else size, i in top)
                for i, (name, kind, _, _, _, start, size) in enumerate(fields)]

    @staticmethod
    def _children(fields: list[tuple], child: int) -> set[int]:
        found, todo = set(), [child]
        while todo:
            i = todo.pop()
            if i < len(fields) and i not in found:
                found.add(i)
                todo += [fields[i][2], fields[i][3]]
        return found


def _uint32s(data: bytes) -> list[int]:
    return list(struct.unpack(f"<{len(data) // 4}I", data[:len(data) // 4 * 4]))
