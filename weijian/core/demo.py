"""The demo world `load_demo` builds. Each app contributes a loader; later issues add theirs.

Loaders run in order inside one transaction and must be idempotent: running `load_demo` twice
leaves the same data as running it once. Organizations come first (the registry data and the
demo accounts hang on them), then each body's registry data, then the accounts.
"""

from __future__ import annotations

from collections.abc import Callable

# Each loader takes a `say` callback for progress lines and returns nothing.
Loader = Callable[[Callable[[str], None]], None]


def loaders() -> list[Loader]:
    from weijian.accounts.demo import load_accounts
    from weijian.orgs.demo import load_organizations, load_registry
    from weijian.plans.demo import load_plans
    from weijian.reporting.demo import load_reporting
    from weijian.supervision.demo import load_supervision

    return [
        load_organizations,
        load_registry,
        load_plans,
        load_accounts,
        load_reporting,
        load_supervision,
    ]
