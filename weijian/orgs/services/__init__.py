"""Writes to the organisation registry: one function per use case, each checked and audited.

Registry writes accept `actor=None` only from trusted server-side code (the importers run on
the server, the demo loader), which then names itself in `source` for the audit trail."""

from weijian.orgs.services.committees import (
    committee_delete,
    committee_member_delete,
    committee_member_save,
    committee_save,
)
from weijian.orgs.services.hours import office_hours_delete, office_hours_save
from weijian.orgs.services.organizations import (
    organization_create,
    organization_insert,
    organization_move,
    organization_update,
    region_import_apply,
)
from weijian.orgs.services.people import (
    leader_assignment_save,
    person_for,
    post_end,
    post_save,
)
from weijian.orgs.services.structure import (
    department_delete,
    department_save,
    duty_boundary_delete,
    duty_boundary_save,
    duty_delete,
    duty_save,
    organization_details_update,
    staffing_save,
)

__all__ = [
    "committee_delete",
    "committee_member_delete",
    "committee_member_save",
    "committee_save",
    "department_delete",
    "department_save",
    "duty_boundary_delete",
    "duty_boundary_save",
    "duty_delete",
    "duty_save",
    "leader_assignment_save",
    "office_hours_delete",
    "office_hours_save",
    "organization_create",
    "organization_details_update",
    "organization_insert",
    "organization_move",
    "organization_update",
    "person_for",
    "post_end",
    "post_save",
    "region_import_apply",
    "staffing_save",
]
