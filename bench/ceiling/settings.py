"""The ceiling: a bare Django project with one "hello" view, served like the portal.

The benchmark divides the portal's figures by this one's, measured in the same run on
the same machine under the same gunicorn settings, so the ratios survive a slower or
busier machine.
"""

SECRET_KEY = "bench-ceiling-not-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.ceiling.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
USE_TZ = True
WSGI_APPLICATION = "bench.ceiling.wsgi.application"
