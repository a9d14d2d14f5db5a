from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "weijian.orgs"
    label = "orgs"
    verbose_name = "组织机构"
