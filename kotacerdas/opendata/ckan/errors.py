"""CKAN's action errors, each with the HTTP status and error `__type` CKAN answers with
(ckan/views/api.py `action()`, reference/ckan.md §1.3).

Clients such as ckanapi map only `__type` and the "Not found: " / "Access denied: "
prefixes back to exceptions, so those stay in English exactly as CKAN writes them; what
follows a prefix is for the person reading it, in Indonesian and English.
"""

from typing import Any


class ActionError(Exception):
    status = 500
    type = "Internal Server Error"

    def __init__(self, message: str = ""):
        super().__init__(message)
        self.message = message

    def error(self) -> dict[str, Any]:
        return {"__type": self.type, "message": self.message}


class NotFound(ActionError):
    status = 404
    type = "Not Found Error"

    def error(self) -> dict[str, Any]:
        return {"__type": self.type, "message": f"Not found: {self.message}" if self.message else "Not found"}


class NotAuthorized(ActionError):
    status = 403
    type = "Authorization Error"

    def error(self) -> dict[str, Any]:
        return {"__type": self.type, "message": f"Access denied: {self.message}"}


class ValidationError(ActionError):
    """The field errors themselves are the error object, lists of messages, no `message`."""

    status = 409
    type = "Validation Error"

    def __init__(self, errors: dict[str, Any]):
        super().__init__(str(errors))
        self.errors = errors

    def error(self) -> dict[str, Any]:
        return {**self.errors, "__type": self.type}


class SearchQueryError(ActionError):
    status = 400
    type = "Search Query Error"

    def error(self) -> dict[str, Any]:
        # CKAN formats the exception's args tuple with %r.
        return {"__type": self.type, "message": f"Search Query is invalid: {(self.message,)!r}"}


class BadRequest(Exception):
    """Answered with a bare JSON string, not an envelope (unknown action, bad JSON, GET on a
    write action), as CKAN 2.10/2.11 do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = f"Bad request - {message}"


def missing(field: str) -> ValidationError:
    return ValidationError({field: ["Missing value"]})
