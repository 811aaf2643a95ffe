from django.http import HttpRequest

from kotacerdas.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request type of views behind login_required or staff_required."""

    user: User
