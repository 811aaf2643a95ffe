import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
django_application = get_wsgi_application()

# Imported after Django is set up. FreeRADIUS's accounting posts skip Django's middleware.
from kotacerdas.wifi.radius.fastpath import AccountingFastPath  # noqa: E402

application = AccountingFastPath(django_application)
