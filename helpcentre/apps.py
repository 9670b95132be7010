from django.apps import AppConfig


class HelpCentreConfig(AppConfig):
    name = "helpcentre"
    verbose_name = "Seller guide"
