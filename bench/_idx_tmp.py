import time
from common import setup_django
setup_django()
from django.db import connection
from weijian.reporting import dashboard as f
from weijian.reporting.models import ProgressReport, ReportingCycle
from weijian.reporting.periods import Period
c=ReportingCycle.objects.get(pk=1); p=Period.parse("2025-12")
reports=ProgressReport.objects.filter(cycle=c, organization__path__startswith=c.plan.owner.path)
def t():
    r=[]
    for _ in range(3):
        s=time.perf_counter(); len(f.target_rows(reports, until=p)); r.append(round((time.perf_counter()-s)*1000))
    return r
print("before", t())
with connection.cursor() as cur:
    cur.execute("CREATE INDEX bench_cycle_org_start ON reporting_progressreport (cycle_id, organization_id, period_start)")
    cur.execute("ANALYZE reporting_progressreport")
print("after index", t())
with connection.cursor() as cur:
    cur.execute("DROP INDEX bench_cycle_org_start")
