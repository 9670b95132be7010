from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


def _drop_category_nav(**kwargs):
    from helpcentre.category_nav import category_nav_invalidate

    category_nav_invalidate()


def _drop_synonyms(**kwargs):
    from helpcentre.services import search_synonyms_invalidate

    search_synonyms_invalidate()


class HelpCentreConfig(AppConfig):
    name = "helpcentre"
    verbose_name = "Seller guide"

    def ready(self):
        # Imported for what importing does: tallies flushes on a signal, and
        # settings_checks registers the deployment checks.
        from helpcentre import login_guard, settings_checks, tallies  # noqa: F401
        from helpcentre.models import Article, Category, SearchSynonym

        login_guard.connect_signals()

        # Any edit made anywhere (admin, shell, revision restore) refreshes the
        # cached category list with its article counts.
        for model in (Article, Category):
            post_save.connect(_drop_category_nav, sender=model, dispatch_uid=f"nav-save-{model}")
            post_delete.connect(_drop_category_nav, sender=model, dispatch_uid=f"nav-del-{model}")
        m2m_changed.connect(
            _drop_category_nav, sender=Article.related.through, dispatch_uid="nav-m2m"
        )
        for signal in (post_save, post_delete):
            signal.connect(_drop_synonyms, sender=SearchSynonym, dispatch_uid=f"syn-{signal}")
