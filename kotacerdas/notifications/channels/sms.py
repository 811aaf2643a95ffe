from kotacerdas.notifications.channels import gateway


def send(message) -> None:
    gateway.send(message, text=f"{message.subject}\n{message.body}")
