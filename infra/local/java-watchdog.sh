#!/bin/sh
# Runs DynamoDB Local (java "$@") and ends it when the Node.js process that started it goes away, even if that
# process is killed outright: its end closes our stdin, `read` returns, and java is stopped.
java "$@" &
child=$!
trap 'kill "$child" 2>/dev/null' EXIT INT TERM
read -r _ignored
kill "$child" 2>/dev/null
wait "$child" 2>/dev/null
