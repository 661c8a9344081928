# The README's commands. Everything a fresh clone needs is installed from here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

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
	touch $@

# System packages, where this machine lets us install them: Festival with its natural-sounding
# HTS voice and Flite (more voices), libvorbis and LAME (ogg and fast mp3 encoding), and ffmpeg
# and sox (independent meters the tests use). espeak-ng needs nothing: it comes in a wheel.
# Failure here is not fatal; what is missing is reported, and its tests skip with a reason.
SYSTEM_PACKAGES := festival festvox-us-slt-hts flite libvorbisenc2 libmp3lame0 ffmpeg sox
SYSTEM_PROBES   := text2wave flite ffmpeg sox

system-deps:
	@missing=""; for tool in $(SYSTEM_PROBES); do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	if [ -z "$$missing" ]; then \
		echo "system packages: present"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing $(SYSTEM_PACKAGES)"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			$(SYSTEM_PACKAGES) >/dev/null) || echo "could not install:$$missing"; \
	else \
		echo "missing:$$missing (as root: apt-get install $(SYSTEM_PACKAGES)); continuing"; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
