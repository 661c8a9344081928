# The README's commands. Everything a fresh clone needs is installed from here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test check bench install voices clean

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
	@$(MAKE) --no-print-directory voices
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# Festival (with the natural-sounding HTS voice) and Flite, where this machine lets us install
# them. espeak-ng needs nothing: it comes in a Python wheel. Failure here is not fatal.
voices:
	@if command -v text2wave >/dev/null && command -v flite >/dev/null; then \
		echo "festival and flite: present"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing festival, festvox-us-slt-hts and flite"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			festival festvox-us-slt-hts flite >/dev/null) \
			|| echo "could not install festival/flite; espeak-ng voices only"; \
	else \
		echo "festival/flite not installed (needs root: apt-get install festival festvox-us-slt-hts flite); espeak-ng voices only"; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
