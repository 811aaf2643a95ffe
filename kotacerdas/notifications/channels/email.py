from django.conf import settings
from django.core.mail import EmailMessage


def send(message) -> None:
    mail = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        # The same Message-ID on a retry lets mail servers and clients drop the copy.
        headers={"Message-ID": f"<{message.id}@kotacerdas>"},
    )
    mail.send(fail_silently=False)
