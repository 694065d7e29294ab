#!/usr/bin/env bash
# Runs one small benchmark with BenchmarkDotNet's dry job: proves the benchmarks build and run, measures nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --no-build --project benchmarks/SafetyLayers.Benchmarks -- --list flat
dotnet run -c Release --no-build --project benchmarks/SafetyLayers.Benchmarks -- \
    --filter '*StreamingBenchmarks*' --job Dry --inProcess
