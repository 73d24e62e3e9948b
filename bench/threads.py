#!/usr/bin/env python3
"""Thread benchmarks inside the kernel (--bench=threads): create+join, context switch, mutex.
Runs the kernel N times and reports the median of each line, plus threads and memory after boot.

Usage: bench/threads.py [--runs N]   (after ./osv build)
"""
import argparse, os, re, statistics, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERNEL = os.path.join(ROOT, "build", "x64", "loader.elf")


def boot(append):
    command = ["qemu-system-x86_64", "-machine", "q35", "-cpu", "max", "-m", "128M", "-kernel", KERNEL,
               "-append", append, "-nodefaults", "-display", "none", "-monitor", "none", "-net", "none",
               "-no-reboot", "-serial", "stdio", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    if result.returncode != 1:
        sys.exit(f"threads: kernel exited with QEMU status {result.returncode}:\n{result.stdout}")
    return result.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not os.path.exists(KERNEL):
        sys.exit("threads: build/x64/loader.elf is missing: run ./osv build first")

    samples = {}
    for _ in range(args.runs):
        for name, value in re.findall(r"^bench threads: (.+): (\d+) ns/op", boot("--bench=threads"), re.M):
            samples.setdefault(name, []).append(int(value))
    print(f"runs: {args.runs} (median ns per operation, QEMU TCG, 1 CPU)")
    for name, values in samples.items():
        print(f"  {name:45s} {statistics.median(values):8.0f} ns   (min {min(values)}, max {max(values)})")

    verbose = boot("--verbose")
    threads = re.search(r"^threads: (\d+)$", verbose, re.M).group(1)
    memory = re.search(r"^memory: .*$", verbose, re.M).group(0)
    print(f"after boot with 1 CPU: {threads} kernel thread(s); {memory}")


if __name__ == "__main__":
    main()
