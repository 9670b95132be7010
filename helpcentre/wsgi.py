"""WSGI entry point (gunicorn helpcentre.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpcentre.settings")

application = get_wsgi_application()
