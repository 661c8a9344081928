"""create_app(settings): lifespan, middleware, error handlers and the faces."""

from __future__ import annotations

import inspect
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from castwright import __version__
from castwright.carrierx.tasks import LifecycleScheduler
from castwright.config import Settings
from castwright.errors import CastwrightError, Invalid, NotFound
from castwright.faces import assets, marytts, ops, studio, uploads
from castwright.faces import carrierx as carrierx_face
from castwright.faces import openai as openai_face
from castwright.faces.audiostack import (
    analysis,
    cloning,
    content,
    delivery,
    diction,
    files_legacy,
    files_v4,
    predict,
    production,
    scripts,
    speech_editing,
    tts,
    voice_selection,
    voices,
)
from castwright.faces.audiostack.envelope import error_response as audiostack_error_response
from castwright.faces.lowcodeapi import PREFIX, OldFormatRewriter, discovery_router
from castwright.faces.middleware import RequestContext, RouteTemplate
from castwright.faces.wyoming import start_wyoming
from castwright.files.service import UPLOAD_PREFIX
from castwright.production.builtin_templates import install_builtin_templates
from castwright.runtime import Runtime, build_runtime

__all__ = ["create_app"]

log = logging.getLogger("castwright")

AUDIOSTACK_ROUTERS = (
    scripts.router,
    voice_selection.router,  # POST /speech/voice/select and /query: literal paths
    voices.router,
    speech_editing.router,  # POST /speech/tts/reduce and /remove_padding: literal paths
    tts.router,
    diction.router,
    predict.router,
    files_legacy.router,
    files_v4.router,
    analysis.router,
    production.router,
    delivery.router,
    content.router,
    cloning.router,
)


# Faces with an error body of their own, by path ("/v1/": every path under it); every other
# path answers in AudioStack's shape.
FACE_ERROR_RENDERERS: dict[str, Callable[[Request, CastwrightError], Response]] = {
    openai_face.PREFIX + "/": openai_face.openai_error_response,
    carrierx_face.PREFIX + "/": carrierx_face.carrierx_error_response,
    **dict.fromkeys(marytts.PATHS, marytts.marytts_error_response),
}


def _face_renderer(path: str) -> Callable[[Request, CastwrightError], Response] | None:
    for key, render in FACE_ERROR_RENDERERS.items():
        if path == key or (key.endswith("/") and path.startswith(key)):
            return render
    return None


def error_response(request: Request, error: CastwrightError) -> Response:
    render = _face_renderer(request.url.path)
    return render(request, error) if render else audiostack_error_response(request, error)


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
    async def castwright_error(request: Request, error: CastwrightError) -> Response:
        return error_response(request, error)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        problems = error.errors()
        if any(p.get("type") == "json_invalid" for p in problems):
            invalid = CastwrightError(
                "Request body is not valid JSON", errors=["body: not valid JSON"]
            )
            return error_response(request, invalid)
        errors = [
            f"{_field_path(tuple(p.get('loc', ())))}: {p.get('msg', 'invalid')}" for p in problems
        ]
        invalid = Invalid("Validation failed", errors=errors)
        invalid.field = _field_path(tuple(problems[0].get("loc", ()))) if problems else None
        return error_response(request, invalid)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
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
    async def unexpected(request: Request, error: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        if _face_renderer(request.url.path):
            internal = CastwrightError("Internal server error", errors=["internal error"])
            internal.status, internal.code = 500, "internal_error"
            return error_response(request, internal)
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
        lifecycle = LifecycleScheduler(runtime)  # CarrierX files whose TTL runs out
        lifecycle.start()
        wyoming = runtime.settings.wyoming
        speech_service = (
            await start_wyoming(runtime, wyoming.host or runtime.settings.host, wyoming.port)
            if wyoming.port
            else None
        )
        try:
            yield
        finally:
            if speech_service is not None:
                speech_service.close()
            lifecycle.stop()
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
    for router in openai_face.ROUTERS:
        app.include_router(router)
    app.include_router(marytts.router)
    for router in carrierx_face.ROUTERS:
        app.include_router(router)

    @app.get("/healthz", include_in_schema=False)
    def health() -> dict[str, object]:
        # Live streams in progress and sentences synthesised: what load balancers and the
        # streaming tests read to see synthesis start and stop.
        streams = runtime.streams.stats()
        return {"status": "ok", "version": __version__, "streams": vars(streams)}

    app.include_router(ops.router)  # /readyz, /metrics
    app.include_router(studio.router)  # the Studio page at /
    app.add_middleware(RouteTemplate)  # innermost: the matched route, for the metrics
    app.add_middleware(OldFormatRewriter, routers=AUDIOSTACK_ROUTERS)
    app.add_middleware(carrierx_face.CarrierXCors)  # /core/v2 and /f/ only
    app.add_middleware(
        RequestContext,
        max_body_bytes=settings.max_body_bytes,
        render_error=error_response,
        # uploads enforce max_upload_bytes
        unbounded_prefixes=(UPLOAD_PREFIX + "/", *carrierx_face.UNBOUNDED_PREFIXES),
    )
    return app
