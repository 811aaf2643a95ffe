from functools import wraps

from django.shortcuts import redirect
from django.urls import reverse


def staff_required(view):
    """Officers only, and only after a second factor (TOTP) in this session."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        if not user.is_officer:
            return redirect("portal:home")
        if not user.is_verified():
            return redirect(f"{reverse('accounts:two_factor')}?next={request.path}")
        return view(request, *args, **kwargs)

    return wrapper
