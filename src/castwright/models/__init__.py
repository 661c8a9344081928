"""ORM models, one per file. Importing this package registers every table on Base.metadata."""

from castwright.models.api_key import ApiKey
from castwright.models.file import File, FileReference, FileTag
from castwright.models.folder import Folder
from castwright.models.job import Job
from castwright.models.production import Encoding, Production
from castwright.models.render_cache import RenderCacheEntry
from castwright.models.script import Script, ScriptVersion
from castwright.models.sound_template import SoundTemplate, TemplateSegment
from castwright.models.speech import Speech

__all__ = [
    "ApiKey",
    "Encoding",
    "File",
    "FileReference",
    "FileTag",
    "Folder",
    "Job",
    "Production",
    "RenderCacheEntry",
    "Script",
    "ScriptVersion",
    "SoundTemplate",
    "Speech",
    "TemplateSegment",
]
