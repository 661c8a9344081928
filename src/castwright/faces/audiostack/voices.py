"""Voice routes: /speech/voice (list, filters, paging), one voice, parameters, samples."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from castwright.auth.service import Principal
from castwright.errors import Invalid, NotFound
from castwright.faces.audiostack.envelope import envelope
from castwright.faces.audiostack.serializers import voice_object
from castwright.faces.audiostack.wire import parse_bool
from castwright.faces.deps import api_key_from, authenticate, get_runtime
from castwright.runtime import Runtime
from castwright.voices.organisation import organisation_voices
from castwright.voices.samples import voice_sample_wav
from castwright.voices.selection import tone_vocabulary
from castwright.voices.service import VoiceQuery, parameter_values, search_voices

__all__ = ["router"]

router = APIRouter(tags=["Voice"])

_SCALARS = (
    "languageCode",
    "language",
    "gender",
    "accent",
    "ageBracket",
    "provider",
    "timePerformance",
    "type",
    "quality",
)
_LISTS = ("tags", "industryExamples", "purpose", "supportedLanguages")


def _int(value: str | None, default: int | None, field: str) -> int | None:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise Invalid("must be an integer", field=field) from None


def _list(values: list[str]) -> list[str]:
    """Repeated keys (?tags=a&tags=b) and comma-separated values (?tags=a,b), mixed."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


@router.get("/speech/voice", summary="List all available voices")
def list_voices(
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    params = request.query_params
    limit = _int(params.get("limit"), None, "limit")
    # An explicit 0 is passed on (and rejected as out of range), never read as "absent".
    page = _int(params.get("page"), 1, "page")
    page_limit = _int(params.get("pageLimit"), 1000, "pageLimit") if limit is None else limit
    query = VoiceQuery(
        scalars={name: params[name] for name in _SCALARS if params.get(name)},
        lists={name: _list(params.getlist(name)) for name in _LISTS if params.get(name)},
        is_multilingual=(
            parse_bool(params.get("isMultilingual"), False, "isMultilingual")
            if params.get("isMultilingual")
            else None
        ),
        sort=params.get("sort") or "alias",
        page=1 if page is None else page,
        page_limit=1000 if page_limit is None else page_limit,
        offset=_int(params.get("offset"), None, "offset"),
    )
    with runtime.db.session() as session:
        catalogue = organisation_voices(runtime, session, principal.org_id)
    found = search_voices(catalogue, query)
    base = runtime.settings.effective_public_url
    data = {
        "voices": [voice_object(v, base) for v in found.voices],
        "total": found.total,
        "page": found.page,
        "pageLimit": found.page_limit,
    }
    return envelope(request, data, f"{found.total} voices")


@router.get("/speech/voice/parameter", summary="Lists voice parameters")
def voice_parameters(
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.db.session() as session:
        catalogue = organisation_voices(runtime, session, principal.org_id)
    # "tone": what POST /speech/voice/select ranks voices by (spec 11.1).
    data = {**parameter_values(catalogue), "tone": tone_vocabulary(catalogue)}
    return envelope(request, data, "Voice parameters")


@router.get(
    "/speech/voice/{name}/sample.wav", summary="A short sample of a voice", response_class=Response
)
def voice_sample(name: str, request: Request, runtime: Runtime = Depends(get_runtime)) -> Response:
    # Public like a catalogue picture: the sample is the same for everyone and costs one render.
    # An organisation's own (cloned) voice is found only with that organisation's API key.
    voice = runtime.voices.find(name)
    if voice is None and api_key_from(request):
        principal = authenticate(request, runtime)
        with runtime.db.session() as session:
            voice = organisation_voices(runtime, session, principal.org_id).find(name)
    if voice is None:
        raise NotFound(f"Voice {name} not found", errors=[f"name: unknown voice {name!r}"])
    return Response(voice_sample_wav(runtime, voice), media_type="audio/wav")


@router.get("/speech/voice/{name}", summary="Get data for a single voice")
def get_voice(
    request: Request,
    name: str,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.db.session() as session:
        voice = organisation_voices(runtime, session, principal.org_id).find(name)
    if voice is None:
        raise NotFound(f"Voice {name} not found", errors=[f"name: unknown voice {name!r}"])
    return envelope(
        request, voice_object(voice, runtime.settings.effective_public_url), "Voice retrieved"
    )
