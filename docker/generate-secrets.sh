#!/bin/sh
# Prints a fresh set of the secrets docker/compose.yaml requires, one VAR=value a line:
#   sh docker/generate-secrets.sh > docker/.env
# Each is 32 random bytes from /dev/urandom as hex (URL- and shell-safe). Never commit the output.
set -eu
random() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }
for name in POSTGRES_PASSWORD METRICS_TOKEN SERVICE_TOKEN OPS_ADMIN_TOKEN WMS_WEBHOOK_SECRET SANDBOX_ADMIN_TOKEN \
  ERP_CLIENT_SECRET WMS_API_KEY OMS_PASSWORD; do
  printf '%s=%s\n' "$name" "$(random)"
done
