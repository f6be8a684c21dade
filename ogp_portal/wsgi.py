import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ogp_portal.settings.production")
# The site's requests: short statement and lock timeouts, a pool per thread (settings.base).
os.environ.setdefault("PROCESS_KIND", "web")

application = get_wsgi_application()

# The Korean analyser's model, loaded before the first request rather than during it.
from ogp_portal.morphemes import analyser_load  # noqa: E402

analyser_load()
