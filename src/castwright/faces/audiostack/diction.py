"""Diction routes: built-in and custom pronunciation dictionaries (/speech/diction...)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from castwright.auth.service import Principal
from castwright.dictionaries.service import DictionaryService, DictionarySummary, WordEntry
from castwright.faces.audiostack.envelope import envelope
from castwright.faces.audiostack.wire import WireModel
from castwright.faces.deps import authenticate, get_runtime
from castwright.runtime import Runtime
from castwright.voices.organisation import organisation_voices

__all__ = ["router"]

router = APIRouter(tags=["Diction"])


class WordPut(WireModel):
    word: str = ""
    replacement: str = ""
    lang: str | None = None
    specialization: str | None = None
    contentType: str | None = None


def _dictionary(summary: DictionarySummary) -> dict[str, Any]:
    return {
        "lang": summary.lang,
        "words": summary.words,
        "wordCategory": summary.category,
        "content": summary.description,
    }


def _word(entry: WordEntry) -> dict[str, Any]:
    return {
        "lang": entry.lang,
        "word": entry.word,
        "inputs": entry.inputs,
        "replacements": entry.replacements,
    }


@router.get("/speech/diction", summary="List the built-in dictionaries")
def list_builtin(
    request: Request,
    principal: Principal = Depends(authenticate),
) -> JSONResponse:
    found = DictionaryService.builtin_dictionaries()
    data = {"dictionaries": [_dictionary(d) for d in found]}
    return envelope(request, data, f"{len(found)} dictionaries")


@router.get("/speech/diction/custom", summary="List the organisation's dictionaries")
def list_custom(
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.db.session() as session:
        found = DictionaryService(session, principal.org_id).custom_dictionaries()
    data = {"dictionaries": [_dictionary(d) for d in found]}
    return envelope(request, data, f"{len(found)} dictionaries")


@router.get("/speech/diction/custom/items", summary="List the words of a custom dictionary")
def list_words(
    request: Request,
    lang: str | None = None,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.db.session() as session:
        found = DictionaryService(session, principal.org_id).words(lang)
    return envelope(request, {"words": [_word(e) for e in found]}, f"{len(found)} words")


@router.put("/speech/diction/custom/item", summary="Add or replace a word in a dictionary")
def put_word(
    body: WordPut,
    request: Request,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.unit_of_work() as session:
        entry, warnings = DictionaryService(session, principal.org_id).put_word(
            body.word,
            body.replacement,
            body.lang,
            body.specialization,
            body.contentType,
            catalogue=organisation_voices(runtime, session, principal.org_id),
        )
    return envelope(request, _word(entry), "Word saved", warnings=warnings)


@router.delete("/speech/diction/custom/item", summary="Delete a word from a dictionary")
def delete_word(
    request: Request,
    lang: str | None = None,
    word: str | None = None,
    specialization: str | None = None,
    principal: Principal = Depends(authenticate),
    runtime: Runtime = Depends(get_runtime),
) -> JSONResponse:
    with runtime.unit_of_work() as session:
        DictionaryService(session, principal.org_id).delete_word(lang, word or "", specialization)
    return envelope(request, {}, "Word deleted")
