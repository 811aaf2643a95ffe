from kotacerdas.notifications.channels import gateway


def send(message) -> None:
    # WhatsApp renders *text* as bold: the subject stands out as a heading.
    gateway.send(message, text=f"*{message.subject}*\n{message.body}")
