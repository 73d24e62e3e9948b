#!/usr/bin/env python3
"""Thread benchmarks inside the kernel (--bench=threads, test image): create+join, context switch on
one CPU, wake-up hand-off between two CPUs, mutex. Runs the kernel N times on 2 vCPUs and reports
the median of each line, plus threads and memory after boot (default image, 1 CPU).

Usage: bench/threads.py [--runs N]   (after ./osv build and ./osv build --tests)
"""
import argparse, os, re, statistics, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERNEL = os.path.join(ROOT, "build", "x64", "loader.elf")
TEST_KERNEL = os.path.join(ROOT, "build", "x64-tests", "loader.elf")


def boot(append, kernel=KERNEL, cpus=1):
    command = ["qemu-system-x86_64", "-machine", "q35", "-cpu", "max", "-m", "128M", "-smp", str(cpus), "-kernel", kernel,
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
    for image, command in ((KERNEL, "./osv build"), (TEST_KERNEL, "./osv build --tests")):
        if not os.path.exists(image):
            sys.exit(f"threads: {os.path.relpath(image, ROOT)} is missing: run {command} first")

    samples = {}
    for _ in range(args.runs):
        for name, value in re.findall(r"^bench threads: (.+): (\d+) ns/op", boot("--bench=threads", TEST_KERNEL, cpus=2), re.M):
            samples.setdefault(name, []).append(int(value))
    print(f"runs: {args.runs} (median ns per operation, QEMU TCG, 2 vCPUs)")
    for name, values in samples.items():
        print(f"  {name:45s} {statistics.median(values):8.0f} ns   (min {min(values)}, max {max(values)})")

    verbose = boot("--verbose")
    threads = re.search(r"^threads: (\d+)$", verbose, re.M).group(1)
    memory = re.search(r"^memory: .*$", verbose, re.M).group(0)
    print(f"after boot with 1 CPU: {threads} kernel thread(s); {memory}")


if __name__ == "__main__":
    main()
