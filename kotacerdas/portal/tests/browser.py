"""Helpers for browser tests in headless Chromium, shared by every journey test.

Playwright cannot download its own browser on our machines, so the tests drive Debian's
Chromium. CI installs it (.ci/run); without it the browser tests skip and say why.
"""

import re
from pathlib import Path

import pytest
from django.core import mail

CHROMIUM = Path("/usr/bin/chromium")
SKIP_REASON = f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
LAUNCH_ARGS = [
    "--no-sandbox",  # the tests run as root in containers, where the sandbox cannot start
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The smallest common Android screen. Use it without Playwright's is_mobile: mobile
# emulation widens the layout viewport to fit overflowing content, hiding the very
# sideways scroll that horizontal_overflow() looks for.
PHONE = {"width": 360, "height": 640}

# What every journey module marks itself with: `pytestmark = BROWSER`.
BROWSER = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),  # the live server's thread must see the test's rows
    pytest.mark.skipif(not CHROMIUM.exists(), reason=SKIP_REASON),
]

_CODE = re.compile(r"\b(\d{6})\b")


def log_in(page, identifier: str, password: str, *, otp=None) -> None:
    """The login form, then for staff the TOTP step. `otp` is called only when the second
    page is showing, so the code is fresh."""
    if "/akun/masuk/" not in page.url:
        page.goto("/akun/masuk/")
    page.fill("#id_identifier", identifier)
    page.fill("#id_password", password)
    page.get_by_role("main").get_by_role("button", name="Masuk").click()
    if otp is not None:
        page.wait_for_url("**/akun/dua-langkah/**")
        page.fill("#id_otp", otp())
        page.get_by_role("button", name="Verifikasi").click()
    page.wait_for_load_state()


def log_out(page) -> None:
    page.get_by_role("navigation").get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/")


def verification_code_sent_to(address: str) -> str:
    """The latest code e-mailed to an address. Under pytest tasks run at once, and the live
    server's on-commit hook fires when the request's transaction commits, so the e-mail is
    in Django's test outbox before the response reaches the browser."""
    bodies = [str(m.body) for m in mail.outbox if address in m.to]
    assert bodies, f"no e-mail was sent to {address}"
    match = _CODE.search(bodies[-1])
    assert match, bodies[-1]
    return match.group(1)


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the screen; 0 means no sideways scroll."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
