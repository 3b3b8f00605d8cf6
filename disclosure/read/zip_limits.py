"""Zip packages (.xlsx, .docx, .ods) measured from their central directory before any part is inflated, and parts
read through a stream that stops at its cap whatever the directory claims."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from disclosure import config
from disclosure.issues import Refusal

# A real workbook or report has tens to a few hundred parts and inflates to tens of MB.
MAX_ENTRIES = 10_000
MAX_TOTAL = 1024 * 1024 * 1024  # all parts together, uncompressed, as declared
MAX_RATIO = 100  # one part's uncompressed size over its compressed size; beyond it, a zip bomb
RATIO_FROM = 1024 * 1024  # a small part may compress well without harm
MAX_PART = 32 * 1024 * 1024  # a part read whole into a tree (styles, workbook, relationships); readers allow their
# big parts (sheets, the document body) more
_CHUNK = 1 << 20


class Refused(Refusal):
    """The package is too large or looks like a zip bomb; the message is one Chinese sentence naming the file."""

    code = "zip-limit"


def open_checked(file: str, data: bytes, what: str, cap: Callable[[str], int | None],
                 labels: dict[str, str] | None = None) -> zipfile.ZipFile:
    """The package, its directory checked; `cap(name)` is the most a part may inflate to when it is to be read, None
    for a part never inflated (it counts only towards the number of parts and the total). Raises Refused, or
    zipfile.BadZipFile (and the like) for bytes that are no zip at all."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    try:
        check(file, zf, what, cap, labels)
    except Refused:
        zf.close()
        raise
    return zf


def check(file: str, zf: zipfile.ZipFile, what: str, cap: Callable[[str], int | None],
          labels: dict[str, str] | None = None) -> None:
    """`what` names the kind of file in the message ("Excel 工作簿", "Word 文档", "ODS 表格"); `labels` names a part
    as people know it ({"content.xml": "表格内容"})."""
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise Refused(f"文件 {file} 含有 {len(infos)} 个压缩部件，超过上限 {MAX_ENTRIES} 个，不像是正常的 {what}，未读取")
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL:
        raise Refused(f"文件 {file} 解压后共有 {config.megabytes(total)}，超过上限 {config.megabytes(MAX_TOTAL)}，"
                      f"不像是正常的 {what}，未读取")
    for info in infos:
        limit = cap(info.filename)
        if limit is None:
            continue
        if info.file_size > limit:
            label = (labels or {}).get(info.filename) or f"部件 {info.filename} "
            raise Refused(f"文件 {file} 解压后的{label}有 {config.megabytes(info.file_size)}，超过上限 "
                          f"{config.megabytes(limit)}，未读取；请删去多余的内容或拆分成几个文件后再上传")
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > RATIO_FROM and ratio > MAX_RATIO:
            raise Refused(f"文件 {file} 的压缩比异常（{info.filename} 为 {ratio}:1，上限 {MAX_RATIO}:1），"
                          f"不像是正常的 {what}，未读取；请在原程序中打开后重新保存再上传")


class _Capped(io.RawIOBase):
    """A part's bytes that end in Refused once more than `cap` come out: the declared size is not trusted."""

    def __init__(self, src, file: str, name: str, cap: int):
        self._src, self._file, self._name, self._cap, self._seen = src, file, name, cap, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self._src.read(min(len(buffer), _CHUNK))
        self._seen += len(chunk)
        if self._seen > self._cap:
            raise Refused(f"文件 {self._file} 中的 {self._name} 解压后超过 {config.megabytes(self._cap)} 的上限，"
                          "与压缩包目录记录的大小不符，未读取；请在原程序中打开后重新保存再上传")
        buffer[:len(chunk)] = chunk
        return len(chunk)

    def close(self) -> None:
        self._src.close()
        super().close()


def open_part(zf: zipfile.ZipFile, name: str, file: str, cap: int) -> io.BufferedReader:
    """A part as a stream that never yields more than `cap` bytes (Refused past it)."""
    return io.BufferedReader(_Capped(zf.open(name), file, name, cap), _CHUNK)


def read_part(zf: zipfile.ZipFile, name: str, file: str, cap: int) -> bytes:
    with open_part(zf, name, file, cap) as src:
        return src.read()
