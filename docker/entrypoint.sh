#!/bin/sh
# Runs the app named by $APP from the one image; extra arguments go to the CLI (APP=cli).
set -eu
case "$APP" in
  process-reservations|process-reconciliation|process-allocation|process-returns|experience-storefront|experience-pos|experience-marketplace|system-erp|system-wms|system-oms|ops|sandbox|cli) ;;
  *) echo "APP must be one of process-reservations, process-reconciliation, process-allocation, process-returns, experience-storefront, experience-pos, experience-marketplace, system-erp, system-wms, system-oms, ops, sandbox, cli (got '$APP')" >&2; exit 2 ;;
esac
exec node --enable-source-maps "dist/apps/$APP/src/main.js" "$@"
