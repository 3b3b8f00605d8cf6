"""The issue record (data-contract.md §8): one problem found in a file, a report or the stored data."""
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
