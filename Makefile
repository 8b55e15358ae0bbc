# The two commands of the README:
#   make demo   set up .venv and build the demo graph of seeds/ into out/
#   make test   set up .venv (with test tools and a headless Chromium) and run the tests
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test setup setup-test chromium clean

$(BIN)/kg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[model]"
	@touch $@

setup: $(BIN)/kg

setup-test: setup
	$(BIN)/pip install --quiet -e ".[model,test]"

# Debian's chromium for the browser tests (Playwright drives it; its own download cannot work here)
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium chromium-driver >/dev/null; fi; }

demo: setup
	$(BIN)/kg build seeds/ --out out/
	@echo "open out/graph.html in a browser; query with: $(BIN)/kg query out/ --name meetings"

test: setup-test chromium
	$(BIN)/python -m pytest -q

clean:
	rm -rf out/ .pytest_cache .hypothesis
