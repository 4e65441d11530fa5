#!/usr/bin/env bash
# The emulator's CPU per provisioned device in the direct-claims flow, with a JFR profile of the measured part.
#
# Usage (from the repository root): iot-emulator/bench/cpu-per-device.sh [DEVICES] [RATE] [OUT]
#   Starts this checkout's emulator (EC P-256, device-simulator/bench/seed.json, free ports), provisions 100
#   warm-up devices at 10/s, then DEVICES (400) at RATE (10/s) with the simulator (--source direct --mode CSR
#   --key-type EC_P256), and prints the emulator JVM's utime + stime over the measured run divided by the devices
#   it provisioned. OUT (default /tmp/cpu-per-device) gets the emulator's log, the simulator's reports and
#   emulator.jfr (started after the warm-up). SIMULATOR=/other/checkout/fleetprov runs another checkout's simulator,
#   so that two builds of the emulator can be compared under the same simulator.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
devices=${1:-400} rate=${2:-10} out=${3:-/tmp/cpu-per-device}
simulator=${SIMULATOR:-$ROOT/fleetprov}
rm -rf "$out"
mkdir -p "$out"
cd "$ROOT"
./fleetprov emulator --data-dir "$out/emulator" --key-algorithm EC_P256 --seed device-simulator/bench/seed.json \
  --mqtt-port 0 --http-port 0 > "$out/emulator.log" 2>&1 &
emulator=$! # the script execs java: this is the emulator's JVM
trap 'kill "$emulator" 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  [[ -f "$out/emulator/endpoints.json" ]] && break
  kill -0 "$emulator" 2>/dev/null || { cat "$out/emulator.log" >&2; exit 1; }
  sleep 1
done
simulate() {
  "$simulator" simulate run --emulator-dir "$out/emulator" --template bench-template --source direct --mode CSR \
    --key-type EC_P256 --ramp 2s --plain "$@"
}
simulate --devices 100 --rate 10 --out "$out/warmup" > "$out/warmup.log" 2>&1 || true
ticks() { awk '{print $14 + $15}' "/proc/$emulator/stat"; }
jcmd "$emulator" JFR.start name=cpu-per-device settings=profile filename="$out/emulator.jfr" > /dev/null
before=$(ticks)
simulate --devices "$devices" --rate "$rate" --out "$out/run" > "$out/run.log" 2>&1 || true
after=$(ticks)
jcmd "$emulator" JFR.stop name=cpu-per-device > /dev/null
python3 - "$out/run/summary.json" "$before" "$after" "$(getconf CLK_TCK)" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))
cpu = (float(sys.argv[3]) - float(sys.argv[2])) / float(sys.argv[4])
provisioned = summary["provisioned"]
print("emulator CPU %.1f ms per provisioned device (%d provisioned, %d failed, %.1f s CPU)"
      % (cpu * 1000 / max(provisioned, 1), provisioned, summary["failed"], cpu))
PY
