"""Plans (方案 / 分工方案): task trees with responsible units and quantitative targets.

Only the pure importer exists so far (`weijian.plans.importers`); models, services and pages
come later. The app is not in INSTALLED_APPS yet: the importer needs no database.
"""
