"""The request's client IP, made available to actions without passing requests around."""

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)
