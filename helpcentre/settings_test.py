"""Settings for the test suite: the production ones, as the test client needs them.

pytest-django loads this module (pyproject.toml). Everything else is what
helpcentre/settings.py makes of the environment, so the tests exercise the
settings production runs with.
"""

from helpcentre.settings import *  # noqa: F403

# The test client speaks plain HTTP, and production's HTTPS protections would
# answer every request with a redirect or drop its cookies: Django's defaults,
# as with DJANGO_HTTPS=0. tests/hostile/test_security_headers.py checks the
# production values in a process of their own.
HTTPS = False
SECURE_SSL_REDIRECT = False
SECURE_PROXY_SSL_HEADER = None
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
