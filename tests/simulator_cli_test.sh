#!/usr/bin/env bash
# netbox-sim as a program: exit status 2 for bad arguments; otherwise exactly one line on stdout,
# `listening on http://127.0.0.1:<port>`, an answer to a request, and exit status 0 on SIGTERM.
# Usage: simulator_cli_test.sh <path to netbox-sim>
set -u
sim="$1"
token=0123456789abcdef0123456789abcdef01234567
work=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "FAIL: $*" >&2
    [ -f "$work/err" ] && sed 's/^/  stderr: /' "$work/err" >&2
    exit 1
}

for bad in "--bogus" "--port" "--port 99999" "--version 3.7" "--break sideways"; do
    # shellcheck disable=SC2086  # the arguments are meant to be split
    "$sim" $bad >/dev/null 2>"$work/err"
    status=$?
    [ "$status" -eq 2 ] || fail "'netbox-sim $bad' exited with $status, expected 2"
done

"$sim" --port 0 --devices 10 >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 300); do
    [ -s "$work/out" ] && break
    kill -0 "$pid" 2>/dev/null || fail "netbox-sim exited before listening"
    sleep 0.1
done
line=$(head -n 1 "$work/out")
case "$line" in
    "listening on http://127.0.0.1:"[0-9]*) ;;
    *) fail "unexpected first line: '$line'" ;;
esac
url=${line#listening on }
port=${url##*:}

if command -v curl >/dev/null; then
    answer=$(curl -s -i -H "Authorization: Token $token" "$url/api/status/") || fail "curl failed"
else
    exec 3<>"/dev/tcp/127.0.0.1/$port" || fail "cannot connect to port $port"
    printf 'GET /api/status/ HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nAuthorization: Token %s\r\nConnection: close\r\n\r\n' \
        "$port" "$token" >&3
    answer=$(cat <&3)
    exec 3<&-
fi
case "$answer" in
    "HTTP/1.1 200 OK"*'"netbox-version":"4.5.'*) ;;
    *) fail "unexpected answer to GET /api/status/: $answer" ;;
esac

kill -TERM "$pid"
wait "$pid"
status=$?
pid=
[ "$status" -eq 0 ] || fail "netbox-sim exited with $status after SIGTERM, expected 0"
[ "$(wc -l <"$work/out")" -eq 1 ] || fail "stdout has more than one line: $(cat "$work/out")"
echo "netbox-sim: one line, one answer, clean exit"
