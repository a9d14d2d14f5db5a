"""Plans (方案 / 分工方案): task trees with responsible units and quantitative targets.

`importers` is the pure parser (text in, ParsedPlan out); `models` stores documents, plans,
tasks, assignments and targets; `resolve` maps unit names to organizations; `services` writes
an imported plan in one transaction.
"""
