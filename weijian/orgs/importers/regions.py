"""Reading a division code table (CSV) and comparing it with what the system holds.

Pure functions, no database: `parse_regions` validates the rows, `plan_regions` says what an
import would change. The management command feeds them and `services.region_import_apply`
writes the plan.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from weijian.orgs.regions import is_valid_code, normalize_code, region_level, region_parent_code

CODE_HEADERS = frozenset({"code", "代码", "区划代码"})
NAME_HEADERS = frozenset({"name", "名称"})


@dataclass(frozen=True)
class RegionRow:
    line: int
    code: str
    name: str


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"第{self.line}行：{self.message}"


@dataclass
class RegionImport:
    """The parsed file: the rows that passed and the errors found. Any error rejects the file."""

    rows: list[RegionRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    villages_skipped: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (what Excel saves on a Chinese Windows)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ValueError("无法识别文件编码，请保存为 UTF-8 或 GB18030 编码的 CSV 文件") from None


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(decode(data), newline="")))


def _header_index(header: Sequence[str], names: frozenset[str]) -> int | None:
    for index, cell in enumerate(header):
        if cell.replace("\ufeff", "").strip().lower() in names:
            return index
    return None


def _cell(row: Sequence[str], index: int) -> str:
    return row[index].strip() if index < len(row) else ""


def parse_regions(
    rows: Iterable[Sequence[str]], *, known_codes: Collection[str] = frozenset()
) -> RegionImport:
    """Validate a table whose first row is the header. `known_codes` are the codes already in
    the system, where a row's parent may also be found. Line numbers count the header as 1."""
    result = RegionImport()
    numbered = enumerate(rows, start=1)
    first = next(numbered, None)
    if first is None:
        result.errors.append(RowError(1, "文件为空"))
        return result
    _, header = first
    code_at = _header_index(header, CODE_HEADERS)
    name_at = _header_index(header, NAME_HEADERS)
    if code_at is None or name_at is None:
        result.errors.append(
            RowError(1, "表头应包含区划代码列（code、代码或区划代码）和名称列（name 或名称）")
        )
        return result

    first_line: dict[str, int] = {}
    for line, row in numbered:
        if not any(cell.strip() for cell in row):
            continue
        code, name = _cell(row, code_at), _cell(row, name_at)
        normal = normalize_code(code) if is_valid_code(code) else code
        if normal is None:
            result.villages_skipped += 1
            continue
        code, row_ok = normal, True
        if not is_valid_code(code):
            result.errors.append(RowError(line, f"区划代码“{code}”应为6位、9位或12位数字"))
            row_ok = False
        elif code in first_line:
            result.errors.append(RowError(line, f"区划代码“{code}”与第{first_line[code]}行重复"))
            row_ok = False
        else:
            first_line[code] = line
        name_problem = _name_problem(name)
        if name_problem:
            result.errors.append(RowError(line, name_problem))
            row_ok = False
        if row_ok:
            result.rows.append(RegionRow(line, code, name))

    _check_parents(result, known=set(first_line) | set(known_codes))
    result.errors.sort(key=lambda error: error.line)
    return result


NAME_MAX_LENGTH = 100


def _name_problem(name: str) -> str:
    if not name:
        return "名称不能为空"
    if len(name) > NAME_MAX_LENGTH:
        return f"名称过长（{len(name)}个字符），不能超过{NAME_MAX_LENGTH}个字符"
    if any(not character.isprintable() for character in name):
        return "名称含有换行符或其他控制字符"
    return ""


def _check_parents(result: RegionImport, *, known: set[str]) -> None:
    for row in result.rows:
        parent = region_parent_code(row.code, known)
        if parent is not None and parent not in known:
            result.errors.append(RowError(row.line, f"上级区划“{parent}”在文件和系统中都不存在"))


@dataclass(frozen=True)
class RegionChange:
    """One region the import creates or changes. `old_*` are None for a new region."""

    code: str
    name: str
    level: int
    parent_code: str | None
    old_name: str | None = None
    old_parent_code: str | None = None
    is_new: bool = False

    @property
    def is_renamed(self) -> bool:
        return not self.is_new and self.old_name != self.name

    @property
    def is_reparented(self) -> bool:
        return not self.is_new and self.old_parent_code != self.parent_code

    def describe(self) -> str:
        if self.is_new:
            parent = f"，上级 {self.parent_code}" if self.parent_code else ""
            return f"新增 {self.code} {self.name}{parent}"
        parts = []
        if self.is_renamed:
            parts.append(f"更名 {self.code} {self.old_name} → {self.name}")
        if self.is_reparented:
            parts.append(
                f"调整上级 {self.code} {self.name}：{self.old_parent_code or '无'} → "
                f"{self.parent_code or '无'}"
            )
        return "；".join(parts)


@dataclass
class RegionImportPlan:
    new: list[RegionChange] = field(default_factory=list)
    updated: list[RegionChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def renamed(self) -> int:
        return sum(1 for change in self.updated if change.is_renamed)

    @property
    def reparented(self) -> int:
        return sum(1 for change in self.updated if change.is_reparented)

    @property
    def change_count(self) -> int:
        return len(self.new) + len(self.updated)

    @property
    def changes(self) -> list[RegionChange]:
        return sorted(self.new + self.updated, key=lambda change: change.code)

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.new),
            "renamed": self.renamed,
            "reparented": self.reparented,
            "unchanged": self.unchanged,
        }

    def summary(self) -> str:
        return (
            f"新增{len(self.new)}个，更名{self.renamed}个，"
            f"调整上级{self.reparented}个，未变化{self.unchanged}个"
        )


def plan_regions(
    rows: Sequence[RegionRow], existing: Mapping[str, tuple[str, str | None]]
) -> RegionImportPlan:
    """Compare valid rows with `existing` ({code: (name, parent code)}). Regions the file does
    not list are left alone: they may be referenced, and a partial file is a valid update."""
    known = set(existing) | {row.code for row in rows}
    plan = RegionImportPlan()
    for row in sorted(rows, key=lambda row: row.code):
        level = int(region_level(row.code))
        parent = region_parent_code(row.code, known)
        if row.code not in existing:
            plan.new.append(RegionChange(row.code, row.name, level, parent, is_new=True))
            continue
        old_name, old_parent = existing[row.code]
        if (old_name, old_parent) == (row.name, parent):
            plan.unchanged += 1
        else:
            plan.updated.append(
                RegionChange(row.code, row.name, level, parent, old_name, old_parent)
            )
    return plan
