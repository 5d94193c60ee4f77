# A private one-node Slurm cluster in a folder, for tests and benchmarks (source this file; root).
# Its own munge key and socket, slurm.conf (exported as SLURM_CONF, so every Slurm command of
# the caller talks to it), state, logs and ports: nothing of the system's Slurm or munge is used.
# The recipe: docs of the stack, section 10 (proctrack/linuxproc and task/none work in a container).
#   start_private_slurm DIR   returns 1 with the reason on stderr when a daemon does not start
#   stop_private_slurm DIR    cancels every job, stops the daemons by their pids, removes DIR
#                             (KEEP_SLURM_TMP=1 keeps it, for the daemons' logs)

start_private_slurm() {
    local dir="$1" host port
    host="$(hostname -s)"
    chmod 755 "$dir"
    export SLURM_CONF="$dir/slurm.conf"

    mkdir -p "$dir/munge" && chmod 700 "$dir/munge"
    head -c 1024 /dev/urandom >"$dir/munge/munge.key" && chmod 400 "$dir/munge/munge.key"
    munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
        --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed" \
        || { echo "munged did not start: $(cat "$dir/munge/munged.log" 2>/dev/null)" >&2; return 1; }

    port=$((20000 + RANDOM % 20000))
    cat >"$SLURM_CONF" <<CONF
ClusterName=featurecam-private
SlurmctldHost=$host
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
    mkdir -p "$dir/state" "$dir/spool"
    slurmctld || { echo "slurmctld did not start: $(tail -5 "$dir/slurmctld.log" 2>/dev/null)" >&2; return 1; }
    slurmd || { echo "slurmd did not start: $(tail -5 "$dir/slurmd.log" 2>/dev/null)" >&2; return 1; }
    for _ in $(seq 60); do
        [ "$(sinfo --noheader --format=%T 2>/dev/null)" = idle ] && break
        sleep 1
    done
    if [ "$(sinfo --noheader --format=%T 2>/dev/null)" != idle ]; then
        echo "the node did not become idle: $(sinfo 2>&1) $(tail -5 "$dir/slurmctld.log")" >&2
        return 1
    fi
    echo "private Slurm up: $(sinfo --noheader --format='partition %P, %D node, CPUs A/I/O/T %C, %T')"
}

# Waits until the private cluster's queue is empty (it holds the caller's jobs only); 1 after
# `seconds` (default 900).
wait_for_empty_queue() {
    for _ in $(seq "${1:-900}"); do
        [ -z "$(squeue --noheader --format=%i 2>/dev/null)" ] && return 0
        sleep 1
    done
    echo "jobs still queued: $(squeue)" >&2
    return 1
}

stop_private_slurm() {
    local dir="$1" pid
    scancel --user="$(id -un)" >/dev/null 2>&1 || true
    sleep 1
    for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
        [ -f "$pidfile" ] || continue
        pid="$(cat "$pidfile")"
        kill "$pid" 2>/dev/null || continue
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$pid" 2>/dev/null || true
    done
    if [ "${KEEP_SLURM_TMP:-0}" = 1 ]; then echo "kept $dir" >&2; else rm -rf "$dir"; fi
}
