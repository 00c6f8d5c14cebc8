#!/usr/bin/env bash
# Shell helpers shared by compare.sh and extra.sh (sourced, not run). They read the
# callers' globals: QUICK, COUNT_<size>, BASE_PORT, PORT_SEQ, PORT.

log() { echo "$*" >&2; }

thr_count() {
    local size=$1 var="COUNT_$1" def
    case $size in
    1) def=2000000 ;;
    64) def=1000000 ;;
    1024) def=500000 ;;
    65536) def=20000 ;;
    *) def=100000 ;;
    esac
    if [[ $QUICK == 1 ]]; then def=$((def / 10)); fi
    echo "${!var:-$def}"
}

# next_port: sets PORT to the next free loopback port from BASE_PORT + PORT_SEQ on (gives
# up, exiting the script, after 1000 ports in use).
next_port() {
    local port tries
    for ((tries = 0; tries < 1000; tries++)); do
        port=$((BASE_PORT + PORT_SEQ))
        PORT_SEQ=$((PORT_SEQ + 1))
        if ((port > 65535)); then
            BASE_PORT=20000
            PORT_SEQ=0
            continue
        fi
        if [[ -z $(ss -Htan "( sport = :$port )" 2>/dev/null) ]]; then
            PORT=$port
            return
        fi
    done
    log "no free tcp port found from $BASE_PORT on (1000 tried)"
    exit 1
}

# median FORMAT VALUES...: median of the numeric values (n/a ignored), or n/a.
median() {
    local fmt=$1
    shift
    printf '%s\n' "$@" | grep -E '^[0-9.]+$' | sort -g |
        awk -v fmt="$fmt" '{ a[NR] = $1 }
            END {
                if (NR == 0) { print "n/a"; exit }
                m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
                printf fmt "\n", m
            }'
}

# first_line FILE...: the first non-empty line among files (for error reports).
first_line() {
    cat "$@" 2>/dev/null | grep -v '^\s*$' | grep -v '^note: run with' | head -n 2 | tr '\n' ' '
}
