"""The issue record (data-contract.md §8): one problem found in a file, a report or the stored data; and the one
refusal every layer raises, carrying such records. With config.py it is the base every layer may import."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

ERROR = "error"
WARNING = "warning"


@dataclass
class Issue:
    code: str  # stable slug: not-a-number, r1-balance, ...
    severity: str  # ERROR or WARNING
    message: str  # one Chinese sentence naming the cell and the numbers
    rule: str = ""  # R1 … T1, or empty
    file: str = ""
    row: int | None = None  # line in the file, header = 1; None for documents and stored data
    column: str = ""  # the header as written
    value: str = ""  # the offending text as written
    agency: str = ""
    year: int | None = None
    cells: dict[str, float] = field(default_factory=dict)
    suggestion: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def to_dict(self) -> dict:
        return asdict(self)

    def location(self) -> str:
        """FILE:ROW:COLUMN, the prefix the command line prints."""
        return f"{self.file}:{'' if self.row is None else self.row}:{self.column}"


class Refusal(Exception):
    """What the app will not do, and why, in Chinese: one or more issue records (file, row, column, value, message).
    Every layer raises it — or a subclass that names the kind, caught where that kind is expected — and the pages
    (ui.refused) and the command line show it the same way, message by message."""

    code = "refused"

    def __init__(self, what: str | list[Issue], *, file: str = "", row: int | None = None, column: str = "",
                 value: str = ""):
        self.issues = what if isinstance(what, list) else [
            Issue(code=self.code, severity=ERROR, message=what, file=file, row=row, column=column, value=value)]
        super().__init__("\n".join(i.message for i in self.issues))
