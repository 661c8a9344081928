"""create_app(settings): lifespan, middleware, error handlers and the faces."""

from __future__ import annotations

import inspect
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from castwright import __version__
from castwright.config import Settings
from castwright.errors import CastwrightError, Invalid, NotFound
from castwright.faces import assets, uploads
from castwright.faces.audiostack import (
    delivery,
    files_legacy,
    files_v4,
    production,
    scripts,
    tts,
    voices,
)
from castwright.faces.audiostack.envelope import error_response
from castwright.faces.lowcodeapi import PREFIX, OldFormatRewriter, discovery_router
from castwright.faces.middleware import RequestContext
from castwright.files.service import UPLOAD_PREFIX
from castwright.production.builtin_templates import install_builtin_templates
from castwright.runtime import Runtime, build_runtime

__all__ = ["create_app"]

log = logging.getLogger("castwright")

AUDIOSTACK_ROUTERS = (
    scripts.router,
    voices.router,
    tts.router,
    files_legacy.router,
    files_v4.router,
    production.router,
    delivery.router,
)


def _field_path(location: tuple[Any, ...]) -> str:
    parts = [str(p) for p in location if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or str(location[-1] if location else "body")


def _lenient_json() -> dict[str, Any]:
    """A JSON body sent without a Content-Type is still JSON (spec 2.3). FastAPI releases with
    strict content types refuse it unless told so; older releases parse it and lack the option."""
    if "strict_content_type" in inspect.signature(FastAPI.__init__).parameters:
        return {"strict_content_type": False}
    return {}


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(CastwrightError)
    async def castwright_error(request: Request, error: CastwrightError) -> JSONResponse:
        return error_response(request, error)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = error.errors()
        if any(p.get("type") == "json_invalid" for p in problems):
            invalid = CastwrightError(
                "Request body is not valid JSON", errors=["body: not valid JSON"]
            )
            return error_response(request, invalid)
        errors = [
            f"{_field_path(tuple(p.get('loc', ())))}: {p.get('msg', 'invalid')}" for p in problems
        ]
        return error_response(request, Invalid("Validation failed", errors=errors))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        if error.status_code == 404:
            return error_response(
                request,
                NotFound(
                    f"No route {request.url.path}",
                    errors=[f"path: {request.url.path} does not exist"],
                ),
            )
        wrapped = CastwrightError(str(error.detail), errors=[str(error.detail)])
        wrapped.status = error.status_code
        return error_response(request, wrapped)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(
            {"message": "Internal server error", "errors": ["internal error"]}, status_code=500
        )


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    settings = settings or Settings()
    runtime = runtime or build_runtime(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from castwright.db.migrate import upgrade

        upgrade(runtime.settings)
        with runtime.db.session() as session:
            install_builtin_templates(session)
        runtime.warm_up()
        if runtime.queue is not None:
            runtime.queue.start()
        try:
            yield
        finally:
            runtime.close()

    app = FastAPI(
        title="Castwright",
        version=__version__,
        lifespan=lifespan,
        redirect_slashes=False,
        **_lenient_json(),
    )
    app.state.runtime = runtime
    _install_error_handlers(app)
    for router in AUDIOSTACK_ROUTERS:
        app.include_router(router)
    for router in AUDIOSTACK_ROUTERS:
        app.include_router(router, prefix=PREFIX)
    app.include_router(discovery_router(AUDIOSTACK_ROUTERS))
    app.include_router(assets.router)
    app.include_router(uploads.router)

    @app.get("/healthz", include_in_schema=False)
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    app.add_middleware(OldFormatRewriter, routers=AUDIOSTACK_ROUTERS)
    app.add_middleware(
        RequestContext,
        max_body_bytes=settings.max_body_bytes,
        unbounded_prefixes=(UPLOAD_PREFIX + "/",),  # uploads enforce max_upload_bytes
    )
    return app
