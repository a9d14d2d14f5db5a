"""Pure importers for plans: text in, a ParsedPlan out (no database).

from weijian.plans.importers import parse_plan
plan = parse_plan(read_document(path), title=None, year=None)
plan.to_json()  # {"plan": …, "tasks": […], "units": […], "warnings": […]}
"""

from weijian.plans.importers.parser import ParsedPlan, ParsedTask, PlanWarning, parse_plan

__all__ = ["ParsedPlan", "ParsedTask", "PlanWarning", "parse_plan"]
