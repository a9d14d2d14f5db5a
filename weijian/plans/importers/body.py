"""The body of a plan document, fed to the numbering tree (tree.py) segment by segment.

The body ends at the attachments (附件…), a web-page footer, another notice, a signing date on a
line of its own (2021年6月8日), or the imprint at the foot of a 公文 (抄送：…, "X办公室
2024年3月15日印发"); the signing unit on the line before the date is dropped. Along the way:

- a note (注：…, 注1：…) is no task's text: it is kept in `notes` and reported;
- text after a table closed its tasks and before the next numbered item belongs to no task: it
  is reported line by line, so that nothing is lost without a word;
- a document cut off in mid-sentence is reported.
"""

from __future__ import annotations

import re

from weijian.core.text.lines import is_boilerplate
from weijian.plans.importers.assemble import Assembler, display_text
from weijian.plans.importers.header import NOTICE, SIGNED
from weijian.plans.importers.markers import find_markers, is_key_line
from weijian.plans.importers.parsed import ParsedTask, PlanWarning
from weijian.plans.importers.table_rows import TABLE_END
from weijian.plans.importers.tree import TreeBuilder

_ATTACHMENT = re.compile(r"^附件\s*(?:\d+|[:：]|$)")
_FOOTER = re.compile(r"版权所有|版权声明|copyright|ICP备|网站地图|关闭窗口|打印此文|【字体", re.I)
_IMPRINT = re.compile(
    r"^(?:抄送|抄报)\s*[:：]|(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年[^年]{1,4}月[^月]{1,4}日\s*印发$"
)
_NOTE = re.compile(r"^(?:注|附注)\s*\d{0,2}\s*[:：]")
_SIGNER = re.compile(r"(?:委员会|人民政府|政府|办公室|办公厅|委|局|厅|院|中心|办|部|会)$")
_ENDS_CLEANLY = re.compile(r"[。.!?！？)）”」》;；]$")
SHOWN = 60  # characters of a line quoted in a warning


class Reading:
    """The tree read from the segments from `start` on, with the warnings and notes met."""

    def __init__(self, segs: list[tuple[int, str]], start: int, table_lines: set[int]) -> None:
        self.warnings: list[PlanWarning] = []
        self.notes: list[tuple[int, str]] = []
        self.builder = TreeBuilder(self.warn)
        self.first_line = segs[start][0] if start < len(segs) else 0
        self.end = self._feed(segs, start)
        if self.end < len(segs) and (SIGNED.match(segs[self.end][1]) or _imprint(segs[self.end])):
            _drop_signer(self.builder)
        elif self.end == len(segs) and self.builder.started and segs[-1][0] not in table_lines:
            self._check_last_line(segs[-1])
        for line, text in self.builder.unplaced:
            self.warn(line, f"第{line}行“{_shown(text)}”不属于任何任务，未导入，请核对")
        for line, text in self.notes:
            self.warn(line, f"第{line}行是注释，未并入任务：“{_shown(text)}”")
        self._tasks: list[ParsedTask] | None = None

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(PlanWarning(line, message))

    def tasks(self, doc_year: int | None) -> list[ParsedTask]:
        if self._tasks is None:
            self._tasks = Assembler(self.warn, doc_year).tasks(self.builder.roots, parent_path="")
        return self._tasks

    def _feed(self, segs: list[tuple[int, str]], start: int) -> int:
        """Feed the body to the tree; the index of the segment that ends it (len(segs) at the
        end)."""
        builder = self.builder
        for index in range(start, len(segs)):
            line, seg = segs[index]
            if builder.started and _ends_body(segs[index]):
                return index
            if seg == TABLE_END:
                builder.close()
            elif builder.started and _NOTE.match(seg):
                self.notes.append((line, display_text(seg)))
            elif is_key_line(seg) or not is_boilerplate(seg):
                builder.feed(line, seg)
        return len(segs)

    def _check_last_line(self, last: tuple[int, str]) -> None:
        """A document cut off in mid-sentence (a truncated download) is worth a warning."""
        line, seg = last
        if len(seg) <= 20 or _ENDS_CLEANLY.search(seg) or is_key_line(seg):
            return
        markers = find_markers(seg)
        if markers and markers[-1].end >= len(seg) and not markers[-1].problems:
            return  # …。责任单位：A（牵头），B: a marker without brackets ends the line
        self.warn(line, f"第{line}行在句子中间结束，文件可能不完整，请核对原文")


def _ends_body(segment: tuple[int, str]) -> bool:
    _, seg = segment
    return bool(
        _ATTACHMENT.match(seg)
        or _FOOTER.search(seg)
        or NOTICE.search(seg)
        or SIGNED.match(seg)
        or _imprint(segment)
    )


def _imprint(segment: tuple[int, str]) -> bool:
    return bool(_IMPRINT.search(segment[1]))


def _drop_signer(builder: TreeBuilder) -> None:
    """The signing unit(s) on the line before the date are not part of the last task, nor text
    left after a table."""
    if builder.unplaced:
        if _signer(builder.unplaced[-1][1]):
            builder.unplaced.pop()
        return
    if not builder.stack or len(builder.stack[-1].chunks) < 2:
        return
    if _signer(builder.stack[-1].chunks[-1][1]):
        builder.stack[-1].chunks.pop()


def _signer(chunk: str) -> bool:
    names = chunk.split()
    return len(chunk) <= 60 and not re.search(r"[。,;:]", chunk) and all(map(_SIGNER.search, names))


def _shown(text: str) -> str:
    text = display_text(text)
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"
