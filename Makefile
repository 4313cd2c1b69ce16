# Two commands on a fresh machine: `make demo` and `make test`. Both install everything they need.
#   make demo   a development environment (.venv, editable install) and the demo study in reports/demo
#   make test   builds the sdist and wheel, installs the wheel (not editable) into fresh environments and runs the
#               whole suite there: newest dependency releases with the optional suggestion model, then every
#               dependency at its declared lower bound, then the irrCAC comparisons in an environment of their own
#               (see scripts/test_installed.sh)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSTEM_STAMP := build/.system-packages

.PHONY: setup system dist demo test test-newest test-oldest test-reference test-dev bench clean

# Debian packages: Chromium draws static chart images (kaleido) and drives the browser tests; strace is how the
# tests prove that drawing them reaches no network. Installed where we are root with apt-get; elsewhere reports say
# where each image would be (see README) and the tests say what is missing.
DEBIAN_PACKAGES := chromium strace

$(SYSTEM_STAMP):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "npt-coder needs Python 3.11 or newer")'
	@mkdir -p build
	@missing=""; for c in chromium strace; do command -v $$c >/dev/null 2>&1 || missing="$$missing $$c"; done; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBIAN_PACKAGES) >/dev/null; \
	    else echo "note: missing$$missing (Debian packages: $(DEBIAN_PACKAGES)); see README"; fi; \
	  fi
	@touch $@

system: $(SYSTEM_STAMP)

# PyTorch for the optional suggestion model (extra "assist"): the CPU build, pinned, installed before the extra so
# that pip does not choose a GPU build of several GB for it. Override with TORCH=... where another build is wanted.
TORCH ?= torch==2.13.0

$(STAMP): pyproject.toml $(SYSTEM_STAMP)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip build
	$(BIN)/python -m pip install --quiet "$(TORCH)"
	$(BIN)/python -m pip install --quiet -e ".[test,assist]"
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/npt-coder demo --out reports/demo

# The sdist and the wheel built from it: a file missing from the sdist fails here, not on a user's machine.
dist: setup
	rm -rf dist
	$(BIN)/python -m build --outdir dist . >build/dist.log 2>&1 || { cat build/dist.log; exit 1; }
	@ls dist

test: dist
	PYTHON=$(PYTHON) TORCH="$(TORCH)" bash scripts/test_installed.sh newest
	PYTHON=$(PYTHON) bash scripts/test_installed.sh oldest
	PYTHON=$(PYTHON) bash scripts/test_installed.sh reference

test-newest test-oldest test-reference: dist
	PYTHON=$(PYTHON) TORCH="$(TORCH)" bash scripts/test_installed.sh $(@:test-%=%)

# Quick runs while developing: the editable install in .venv (irrCAC comparisons need `make test-reference`).
test-dev: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python benchmarks/ingest.py 200

clean:
	rm -rf $(VENV) build dist reports/demo .pytest_cache
