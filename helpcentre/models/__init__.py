"""The guide's models, one module per job; import them from here."""

from .feedback import Comment, FollowUp, FollowUpQuerySet, Vote
from .figures import (
    FIGURE_FORMATS,
    FIGURE_MAX_BYTES,
    FIGURE_MAX_PIXELS,
    ArticleImage,
    validate_figure,
)
from .guide import Article, ArticleDraft, ArticleQuerySet, Category
from .search import SYNONYMS_KEY, SearchSynonym, SearchWord, search_synonyms
from .stats import ArticleDay, SearchQueryDay

__all__ = [
    "FIGURE_FORMATS",
    "FIGURE_MAX_BYTES",
    "FIGURE_MAX_PIXELS",
    "SYNONYMS_KEY",
    "Article",
    "ArticleDay",
    "ArticleDraft",
    "ArticleImage",
    "ArticleQuerySet",
    "Category",
    "Comment",
    "FollowUp",
    "FollowUpQuerySet",
    "SearchQueryDay",
    "SearchSynonym",
    "SearchWord",
    "Vote",
    "search_synonyms",
    "validate_figure",
]
