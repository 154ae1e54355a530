#!/usr/bin/env bash
# Forecast benchmark on a machine with a GPU: CPU, then WebGPU, then CUDA where
# onnxruntime-node's CUDA provider libraries are installed. Each run prints the
# execution provider that actually ran. A provider that fails to start falls
# back to the CPU, and the benchmark prints the failure with its reason.
#
#   bench/device-check.sh [extra bench:forecast options]
#
# Short and safe to run once: a small synthetic population (simulated under
# bench/work/, git-ignored), one run per provider, nothing outside the
# repository is written except temporary files, which are removed. The PyTorch
# reference runs only when /usr/bin/python3 has torch and onnx (on the CPU).
set -euo pipefail
cd "$(dirname "$0")/.."

PEOPLE=${PEOPLE:-300}
SAMPLES=${SAMPLES:-64}
THREADS=${THREADS:-$(nproc)}

command -v node >/dev/null || { echo "device-check: node is not installed" >&2; exit 1; }
echo "node $(node --version), $(nproc) CPUs"
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
else
  echo "nvidia-smi not found"
fi

if [ ! -d node_modules/onnxruntime-node ] || [ ! -d node_modules/tsx ]; then
  echo "node_modules missing: running npm ci (needs the npm registry)"
  npm ci --no-audit --no-fund
fi
echo "onnxruntime-node $(node -p "require('./node_modules/onnxruntime-node/package.json').version")"

reference=(--skip-reference)
if /usr/bin/python3 -c 'import torch, onnx' 2>/dev/null; then reference=(); fi

run() {
  local ep=$1
  shift
  echo
  echo "=== bench:forecast --ep $ep ==="
  # One provider's failure must not stop the others.
  npx tsx bench/forecast/run.ts --people "$PEOPLE" --samples "$SAMPLES" --runs 1 \
    --threads "$THREADS" --kv-people 16 --ep "$ep" "$@" || echo "device-check: --ep $ep failed (exit $?)"
}

run cpu "${reference[@]}" "$@"
run webgpu --skip-reference "$@"

bin=node_modules/onnxruntime-node/bin/napi-v6/linux/x64
if [ -e "$bin/libonnxruntime_providers_cuda.so" ] && ldconfig -p | grep -q 'libcudart\.so\.12'; then
  run cuda --skip-reference "$@"
else
  echo
  echo "=== --ep cuda skipped: no CUDA provider libraries in $bin or no CUDA 12 runtime (README: GPU (CUDA) opt-in) ==="
fi
