"""/api/v1/: the platform's own API (mobile app, partners). OpenAPI at /api/v1/openapi.json."""

from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kotacerdas.accounts.api import router as accounts_router
from kotacerdas.agencies.api import router as agencies_router
from kotacerdas.cases.api import router as cases_router
from kotacerdas.regions.api import router as regions_router
from kotacerdas.services.api import applications_router
from kotacerdas.services.api import router as services_router

api = NinjaAPI(
    title="kotacerdas API",
    version="1",
    description="API platform kota cerdas Kota Blitar / Kota Blitar smart-city platform API.",
    urls_namespace="api-v1",
)
api.add_router("/regions", regions_router)
api.add_router("/agencies", agencies_router)
api.add_router("/", accounts_router)
api.add_router("/cases", cases_router)
api.add_router("/services", services_router)
api.add_router("/applications", applications_router)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError):
    return api.create_response(
        request,
        {"detail": "Data yang dikirim tidak valid / Invalid input.", "errors": exc.errors},
        status=422,
    )


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError):
    return api.create_response(
        request,
        {"detail": "Perlu login: kirim header Authorization: Bearer <token> / Authentication required."},
        status=401,
    )


# Messages django-ninja raises itself, said in both languages like ours.
NINJA_MESSAGES = {
    "Cannot parse request body": "Isi permintaan tidak dapat dibaca: kirim JSON yang valid. / "
                                 "Cannot parse request body: send valid JSON.",
}


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError):
    message = str(exc)
    return api.create_response(
        request, {"detail": NINJA_MESSAGES.get(message, message)}, status=exc.status_code
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404):
    # Someone else's application and a code that does not exist look the same.
    return api.create_response(request, {"detail": "Tidak ditemukan. / Not found."}, status=404)
