"""The OpenAI face: /v1/audio/speech and its companions, errors in OpenAI's shape."""

from castwright.faces.openai import catalogue, speech
from castwright.faces.openai.errors import PREFIX, openai_error_response

__all__ = ["PREFIX", "ROUTERS", "openai_error_response"]

ROUTERS = (speech.router, catalogue.router)
