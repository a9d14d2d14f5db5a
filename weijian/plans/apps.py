from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "weijian.plans"
    label = "plans"
    verbose_name = "文件与任务"
