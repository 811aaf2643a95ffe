from django.contrib.auth.backends import ModelBackend

from kotacerdas.accounts.queries import user_by_identifier


class EmailOrPhoneBackend(ModelBackend):
    """Residents log in with whichever they registered: an e-mail address or a phone number."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password:
            return None
        user = user_by_identifier(username)
        if user is None:
            # Hash anyway so a missing account takes as long as a wrong password.
            self.user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
