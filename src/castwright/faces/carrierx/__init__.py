"""The CarrierX face (/core/v2): TTS, storage containers and files, OAuth tokens; and the
public ``/f/`` route that serves published files. Thin routers over ``castwright.carrierx``."""

from castwright.faces.carrierx import containers, files, oauth, publish, tts
from castwright.faces.carrierx.cors import CarrierXCors
from castwright.faces.carrierx.errors import PREFIX, carrierx_error_response

__all__ = ["PREFIX", "ROUTERS", "UNBOUNDED_PREFIXES", "CarrierXCors", "carrierx_error_response"]

ROUTERS = (oauth.router, tts.router, containers.router, files.router, publish.router)
# Uploads bound their own bodies (storage.max_upload_bytes), not the server's max_body_bytes.
UNBOUNDED_PREFIXES = (files.FILES_PATH,)
