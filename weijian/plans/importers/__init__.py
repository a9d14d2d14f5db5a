"""Pure importers for plans: text in, a ParsedPlan out (no database).

from weijian.plans.importers import parse_plan
plan = parse_plan(read_document(path), title=None, year=None)
plan.to_json()  # {"plan": …, "tasks": […], "units": […], "warnings": […]}
read_plan(path)  # by suffix: .txt / .docx → parse_plan, .xlsx (任务分工表) → parse_sheet
"""

from weijian.plans.importers.deadlines import Deadline, find_deadline, parse_deadline
from weijian.plans.importers.files import UnsupportedFile, read_plan
from weijian.plans.importers.parser import ParsedPlan, ParsedTask, PlanWarning, parse_plan
from weijian.plans.importers.sheet import SheetError, parse_sheet

__all__ = [
    "Deadline",
    "ParsedPlan",
    "ParsedTask",
    "PlanWarning",
    "SheetError",
    "UnsupportedFile",
    "find_deadline",
    "parse_deadline",
    "parse_plan",
    "parse_sheet",
    "read_plan",
]
