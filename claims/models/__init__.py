"""Claim models, split by concern: the guidance rows admins edit, and claims
with their evidence."""

from .claim import *  # noqa: F403
from .evidence_request import *  # noqa: F403
from .guidance import *  # noqa: F403
from .privacy import *  # noqa: F403
from .reply_check import *  # noqa: F403
from .review import *  # noqa: F403
