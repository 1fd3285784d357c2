#!/bin/bash
# Start Odoo with secrets taken from the environment and written only to a
# private runtime config (mode 600, inside the container), never to argv or
# to a committed file.
set -euo pipefail
: "${PASSWORD:?PASSWORD (database password) must be set}"
: "${ODOO_ADMIN_PASSWORD:?ODOO_ADMIN_PASSWORD must be set}"
runtime=/var/lib/odoo/.odoo-runtime.conf
umask 077
{
  cat /etc/odoo/odoo.conf
  echo "db_host = ${HOST:-db}"
  echo "db_port = ${PORT:-5432}"
  echo "db_user = ${USER:-odoo}"
  echo "db_password = ${PASSWORD}"
  echo "admin_passwd = ${ODOO_ADMIN_PASSWORD}"
} > "$runtime"
unset PASSWORD ODOO_ADMIN_PASSWORD
exec odoo -c "$runtime" "$@"
