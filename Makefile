# Every target that needs the project sets up .venv first, so a fresh clone needs only `make`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup test lint demo render bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check digicons tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

demo: $(STAMP)
	mkdir -p demo
	$(BIN)/digicons measure data/sample/ --period 2024Q3 -o demo/tables.xlsx --json demo/result.json --rejects demo/rejects.csv
	$(BIN)/digicons company 9111011762588741X6 --in data/sample/ --period 2024Q3
	$(BIN)/digicons measure data/series/beijing_2024Q1.csv -p 2024Q1 -o demo/2024Q1.xlsx --json demo/2024Q1.json >/dev/null
	$(BIN)/digicons measure data/series/beijing_2024Q2.csv -p 2024Q2 -o demo/2024Q2.xlsx --json demo/2024Q2.json >/dev/null
	$(BIN)/digicons series demo/2024Q1.json demo/2024Q2.json demo/result.json -o demo/series.xlsx --json demo/series.json

# The demo workbook as a printer sees it: LibreOffice prints it to PDF, poppler turns the pages
# into PNG images. Needs: apt-get install -y libreoffice-calc fonts-noto-cjk poppler-utils
render: demo
	@command -v soffice >/dev/null && command -v pdftoppm >/dev/null || { \
		echo "make render needs LibreOffice and poppler:"; \
		echo "  apt-get install -y libreoffice-calc fonts-noto-cjk poppler-utils"; exit 2; }
	rm -rf demo/render && mkdir -p demo/render
	soffice --headless --convert-to pdf --outdir demo/render demo/tables.xlsx >/dev/null
	pdftoppm -r 100 -png demo/render/tables.pdf demo/render/page
	@echo "demo/render/tables.pdf: $$(pdfinfo demo/render/tables.pdf | awk '/^Pages/ {print $$2}') pages; PNG pages in demo/render/"

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) demo build dist .pytest_cache .mypy_cache .ruff_cache
