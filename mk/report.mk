##@ Report (cost model, scaling projections, decision flowchart, deck and report)

REPORT_RESULTS ?= results/reference
REPORT_OUT ?= report/out

.PHONY: report
report: install ## deck (reveal.js) + report (HTML, PDF) from the committed reference results into report/out: quarto when on PATH, else pandoc (REPORT_RESULTS=, REPORT_OUT=)
	node bin/etl.js report --results $(REPORT_RESULTS) --out $(REPORT_OUT)

.PHONY: report-demo
report-demo: install ## the deck alone, with a slide for make demo's own run (results/demo)
	node bin/etl.js report --results $(REPORT_RESULTS) --out $(REPORT_OUT) --deck-only --demo $(DEMO_RESULTS)

.PHONY: report-check
report-check: install ## open the rendered deck and report in headless Chromium (renders them first if absent): charts drawn, no console error, screenshots in build/report-check/
	test -f $(REPORT_OUT)/deck.html -a -f $(REPORT_OUT)/report.html || $(MAKE) report
	node --import tsx src/charts/checkHtmlMain.ts --screenshots build/report-check --min-charts 1 $(REPORT_OUT)/deck.html $(REPORT_OUT)/report.html
