#!/usr/bin/env bash
# CPU per provisioned device of the emulator and of the simulator in the direct-claims flow, at a fixed rate, in
# steady state: both JVMs warmed up first, then one measured step.
#
# Usage (from the repository root): device-simulator/bench/direct-cpu.sh [RATE] [STEP] [WARMUP] [OUT]
#   Starts this checkout's emulator (EC P-256, device-simulator/bench/seed.json, free ports) and one simulator
#   process (`simulate ceiling --source direct --mode CSR --key-type EC_P256`) that provisions WARMUP devices
#   (default 10000, at WARMUP_RATE devices/s, default 100, not counted: the JIT compilers need thousands of devices),
#   then one step of STEP (default 30s) at RATE devices/s (default 100). It reads utime + stime of both JVMs from /proc/<pid>/stat when the step starts and when it ends (the marks
#   `./fleetprov bench` takes) and prints each one's CPU ms per device provisioned in the step. JFR=1 records both
#   JVMs with the profile settings (OUT/emulator.jfr, OUT/simulator.jfr; the whole run, warm-up included: restrict
#   to the step with the printed wall-clock times). SIMULATOR=/other/checkout/fleetprov runs another checkout's
#   simulator. OUT defaults to /tmp/direct-cpu.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rate=${1:-100} step=${2:-30s} warmup=${3:-10000} out=${4:-/tmp/direct-cpu}
simulator=${SIMULATOR:-$ROOT/fleetprov}
rm -rf "$out"
mkdir -p "$out"
cd "$ROOT"
jfr() { [[ "${JFR:-0}" == 1 ]] && echo "-XX:StartFlightRecording=filename=$out/$1.jfr,settings=profile"; return 0; }
# Both JVMs run with the JVM's defaults, as `./fleetprov bench` runs them, unless FLEETPROV_EMULATOR_JAVA_OPTS or
# FLEETPROV_SIMULATOR_JAVA_OPTS say otherwise: the launcher's lean-heap options (the serial collector, for memory per
# connected device) cost CPU at high rates, where the serial collector's VM thread took about 15 % of the
# machine's CPU in a saturated run (perf, 600/s offered).
export FLEETPROV_EMULATOR_JAVA_OPTS="${FLEETPROV_EMULATOR_JAVA_OPTS-}"
export FLEETPROV_SIMULATOR_JAVA_OPTS="${FLEETPROV_SIMULATOR_JAVA_OPTS-}"
JAVA_TOOL_OPTIONS="$(jfr emulator)" ./fleetprov emulator --data-dir "$out/emulator" --key-algorithm EC_P256 \
  --seed device-simulator/bench/seed.json --mqtt-port 0 --http-port 0 > "$out/emulator.log" 2>&1 &
emulator=$! # the launcher execs java: this is the emulator's JVM
trap 'kill "$emulator" 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  [[ -f "$out/emulator/endpoints.json" ]] && break
  kill -0 "$emulator" 2>/dev/null || { cat "$out/emulator.log" >&2; exit 1; }
  sleep 1
done
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
mkfifo "$out/simulator.fifo"
JAVA_TOOL_OPTIONS="$(jfr simulator)" "$simulator" simulate ceiling --emulator-dir "$out/emulator" \
  --template bench-template --source direct --mode CSR --key-type EC_P256 --rate "$rate" --ceiling-max-rate "$rate" \
  --ceiling-step "$step" --ceiling-warmup "$warmup" --ceiling-warmup-rate "${WARMUP_RATE:-100}" --ramp 2s --concurrency 1000 --slo 'errors<=0' --plain \
  --out "$out/run" > "$out/simulator.out" 2> "$out/simulator.fifo" &
sim=$!
: > "$out/marks"
while IFS= read -r line; do
  case "$line" in
    "fleetprov simulate: finding the ceiling"* | "fleetprov simulate: step "*)
      echo "$(date -u +%H:%M:%S) $(ticks "$emulator") $(ticks "$sim")" >> "$out/marks" ;;
  esac
  echo "$line" >> "$out/simulator.log"
  case "$line" in "fleetprov simulate: "*) echo "$line" ;; esac
  case "$line" in
    # One measured step is all this needs: a missed SLO would otherwise start a search downwards.
    "fleetprov simulate: step "*) echo "$line" > "$out/step"; kill "$sim" 2>/dev/null || true ;;
  esac
done < "$out/simulator.fifo"
wait "$sim" || true
python3 - "$out/step" "$out/marks" "$(getconf CLK_TCK)" <<'PY'
import re, sys
marks = [line.split() for line in open(sys.argv[2]) if line.strip()]
step = open(sys.argv[1]).read() if len(marks) >= 2 else ""
m = re.search(r"step ([\d.]+) devices/s: achieved ([\d.]+)/s, (\d+) provisioned, (\d+) failed", step)
if not m:
    sys.exit("direct-cpu: no measured step (see the simulator's log)")
hz = float(sys.argv[3])
(t0, e0, s0), (t1, e1, s1) = marks[0], marks[1]
n = max(int(m.group(3)), 1)
emu = (float(e1) - float(e0)) * 1000 / hz / n
sim = (float(s1) - float(s0)) * 1000 / hz / n
print("direct-cpu: step %s/s offered, %s/s achieved, %s provisioned, %s failed, %s-%s UTC; CPU ms per device: "
      "emulator %.2f, simulator %.2f, both %.2f" % (m.group(1), m.group(2), m.group(3), m.group(4), t0, t1, emu, sim, emu + sim))
PY
