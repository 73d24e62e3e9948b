#!/usr/bin/env python3
"""Time from QEMU's start to the default application's first line ("Hello from /hello"), and the
kernel's own "Booted up in", for the default image (its bootfs holds /hello). Also the smallest
memory size (in MB) that still runs it.

Usage: bench/hello.py [--runs N] [--machine q35|microvm]   (after ./osv build)
"""
import argparse, os, re, statistics, subprocess, sys, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERNEL = os.path.join(ROOT, "build", "x64", "loader.elf")


def run(machine, memory):
    command = ["qemu-system-x86_64", "-machine", machine, "-cpu", "max", "-m", memory, "-kernel", KERNEL,
               "-append", "/hello", "-nodefaults", "-display", "none", "-monitor", "none", "-net", "none",
               "-no-reboot", "-serial", "stdio", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    start = time.monotonic()
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    killer = threading.Timer(20, process.kill)  # too little memory for the image itself: no output at all
    killer.start()
    first_line = None
    output = []
    for raw in process.stdout:
        line = raw.decode(errors="replace")
        output.append(line)
        if first_line is None and line.startswith("Hello from /hello"):
            first_line = time.monotonic() - start
    process.wait()
    killer.cancel()
    booted = re.search(r"Booted up in ([0-9.]+) ms", "".join(output))
    return first_line, float(booted.group(1)) if booted else None, process.returncode


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--machine", default="q35")
    args = parser.parse_args()
    if not os.path.exists(KERNEL):
        sys.exit("hello: build/x64/loader.elf is missing: run ./osv build first")
    firsts, booted = [], []
    for _ in range(args.runs):
        first, boot, status = run(args.machine, "128M")
        if first is None or status != 1:
            sys.exit(f"hello: no hello line (QEMU status {status})")
        firsts.append(first * 1000)
        booted.append(boot)
    print(f"machine: {args.machine}, runs: {args.runs}, kernel: {os.path.getsize(KERNEL)} bytes")
    print("QEMU start -> first line of /hello (ms): " + ", ".join(f"{value:.0f}" for value in firsts)
          + f"  (median {statistics.median(firsts):.0f})")
    print("Booted up in (ms): " + ", ".join(f"{value:.2f}" for value in booted))
    smallest = None
    for megabytes in (64, 32, 16, 12, 8, 6, 5, 4, 3, 2):
        first, _, status = run(args.machine, f"{megabytes}M")
        if first is None or status != 1:
            break
        smallest = megabytes
    print(f"smallest memory that runs /hello: {smallest} MB")


if __name__ == "__main__":
    main()
