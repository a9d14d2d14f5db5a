"""The reporting pages: the unit's report for a period and its Excel round trip
(`report`, `report_excel`), the unit's list of reports (`my_reports`); the review and cycle
pages live beside them."""
