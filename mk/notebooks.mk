##@ Notebooks (notebooks/*.ipynb on the tslab kernel; notebooks/README.md)

NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))
NOTEBOOK_HTML := build/notebooks
# Input scale of the notebooks (src/notebook/index.ts reads it in the kernel).
ETL_NOTEBOOK_EVENTS ?= 100000
# Seconds a cell may run (notebook 02 runs Spark; on a loaded machine 900 s was not enough).
NOTEBOOK_CELL_TIMEOUT ?= 900
# Jupyter's data (notebook trust signatures, lab workspaces) stays in the project too.
JUPYTER_DATA := $(CURDIR)/.tools/jupyter-data
TS_SOURCES := $(shell find src -name '*.ts' -o -name '*.json' | sort)

# Declarations of src/ for the cells' types: tslab's TypeScript 5.0 cannot compile the sources
# (they import with .ts extensions), so cells `require` the sources and type them from these.
build/types/.stamp: $(TS_SOURCES) notebooks/tsconfig.types.json | $(STAMPS)/npm
	@rm -rf build/types
	$(TSC) -p notebooks/tsconfig.types.json
	@touch $@

.PHONY: notebook-types
notebook-types: build/types/.stamp ## emit src/ declarations into build/types (the notebooks' types)

.PHONY: notebooks
notebooks: install notebook-types ## execute every notebook in place (ETL_NOTEBOOK_EVENTS, default 100000), export HTML to build/notebooks, check it in Chromium
	ETL_NOTEBOOK_EVENTS=$(ETL_NOTEBOOK_EVENTS) $(PY) notebooks/execute.py --timeout $(NOTEBOOK_CELL_TIMEOUT) --html-dir $(NOTEBOOK_HTML) $(NOTEBOOKS)
	JUPYTER_DATA_DIR=$(JUPYTER_DATA) $(PY) -m jupyter trust $(NOTEBOOKS)
	@$(MAKE) notebooks-check

.PHONY: notebooks-check
notebooks-check: install ## headless Chromium opens build/notebooks/*.html: charts drawn, no console errors; screenshots in build/notebooks/screenshots
	node --import tsx src/charts/checkHtmlMain.ts --screenshots $(NOTEBOOK_HTML)/screenshots --min-charts 1 $(NOTEBOOK_HTML)/*.html

.PHONY: jupyter
jupyter: install notebook-types ## JupyterLab on 127.0.0.1 with the tslab kernel (serves the repository, opens notebooks/; runs as root too)
	JUPYTER_DATA_DIR=$(JUPYTER_DATA) $(PY) -m jupyter trust $(NOTEBOOKS)
	JUPYTER_DATA_DIR=$(JUPYTER_DATA) $(PY) -m jupyterlab --ip 127.0.0.1 --no-browser --allow-root \
	  --ServerApp.root_dir=$(CURDIR) --LabApp.default_url=/lab/tree/notebooks
