from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "weijian.reporting"
    label = "reporting"
    verbose_name = "进展填报"
