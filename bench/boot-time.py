#!/usr/bin/env python3
"""Boot-time benchmark: wall time of QEMU booting loader.elf to exit, against a no-op PVH kernel
measured in the same run (so the ratio does not depend on the machine's speed that day).

Usage: bench/boot-time.py [--runs N] [--machine q35|microvm]   (after ./osv build)
"""
import argparse, os, re, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERNEL = os.path.join(ROOT, "build", "x64", "loader.elf")


def qemu_command(kernel, machine, append):
    return ["qemu-system-x86_64", "-machine", machine, "-cpu", "max", "-m", "128M", "-kernel", kernel,
            "-append", append, "-nodefaults", "-display", "none", "-monitor", "none", "-net", "none",
            "-no-reboot", "-serial", "stdio", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]


def boot(kernel, machine, append=""):
    start = time.perf_counter()
    result = subprocess.run(qemu_command(kernel, machine, append), stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=60)
    wall = time.perf_counter() - start
    if result.returncode != 1:
        sys.exit(f"boot-time: {kernel} exited with QEMU status {result.returncode}, expected 1 (kernel status 0)")
    match = re.search(r"Booted up in (\d+\.\d+) ms", result.stdout)
    return wall, float(match.group(1)) if match else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--machine", default="q35")
    args = parser.parse_args()
    if not os.path.exists(KERNEL):
        sys.exit("boot-time: build/x64/loader.elf is missing: run ./osv build first")

    with tempfile.TemporaryDirectory() as work:
        noop_object = os.path.join(work, "noop.o")
        noop = os.path.join(work, "noop.elf")
        subprocess.run(["nasm", "-f", "elf64", "-o", noop_object, os.path.join(ROOT, "bench", "noop-pvh.asm")], check=True)
        subprocess.run(["ld", "-n", "-static", "-nostdlib", "-Ttext=0x200000", "-e", "start", "-o", noop, noop_object], check=True)

        baseline, ours, reported = [], [], []
        for _ in range(args.runs):  # interleaved, so drift affects both alike
            baseline.append(boot(noop, args.machine)[0])
            wall, kernel_ms = boot(KERNEL, args.machine)
            ours.append(wall)
            reported.append(kernel_ms)

    size = os.path.getsize(KERNEL)
    print(f"machine: {args.machine}, runs: {args.runs}, kernel: {size} bytes ({size / 1024:.0f} KiB)")
    print(f"no-op PVH kernel   wall  median {statistics.median(baseline) * 1000:7.1f} ms")
    print(f"osv loader.elf     wall  median {statistics.median(ours) * 1000:7.1f} ms   (min {min(ours) * 1000:.1f}, max {max(ours) * 1000:.1f})")
    print(f"osv 'Booted up in'       median {statistics.median(reported):7.2f} ms")
    print(f"ratio osv / no-op (wall): {statistics.median(ours) / statistics.median(baseline):.2f}")


if __name__ == "__main__":
    main()
