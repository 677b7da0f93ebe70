#!/bin/sh
# ConnectCluster's locally built plugin-installer image (scripts/build-images): like the curlimages/curl image, the
# arguments are a command to run, or curl's options when the first starts with "-" or names no command.
if [ $# -eq 0 ] || [ "${1#-}" != "$1" ] || ! command -v "$1" >/dev/null 2>&1; then
  set -- curl "$@"
fi
exec "$@"
