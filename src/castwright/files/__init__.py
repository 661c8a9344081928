"""Files and folders: the library of uploads, transfers and generated audio."""
