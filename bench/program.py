#!/usr/bin/env python3
"""Time from QEMU's start to a program's first output line and to the VM's exit, for a program on a
disk image (the rofs usr.img that `./osv build --manifest FILE` writes), and the smallest memory
size (in MB) that still runs it to the same exit status. Used for the real programs of the README's
Measured table (Debian's lua5.4 and its script).

Usage: bench/program.py --disk build/x64/usr.img --command "/usr/bin/lua5.4 /compute.lua" \
                        --expect "^fibonacci:" [--status 0] [--runs 3] [--machine q35|microvm]
"""
import argparse, os, re, statistics, subprocess, sys, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERNEL = os.path.join(ROOT, "build", "x64", "loader.elf")


def run(machine, memory, disk, command_line, expect):
    command = ["qemu-system-x86_64", "-machine", machine, "-cpu", "max", "-m", memory, "-kernel", KERNEL,
               "-append", command_line, "-nodefaults", "-display", "none", "-monitor", "none", "-net", "none",
               "-no-reboot", "-serial", "stdio", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
               "-drive", f"file={disk},if=none,id=disk0,format=raw,readonly=on",
               "-device", "virtio-blk-pci,drive=disk0"]
    start = time.monotonic()
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    killer = threading.Timer(60, process.kill)
    killer.start()
    first_line = None
    output = []
    for raw in process.stdout:
        line = raw.decode(errors="replace").rstrip("\r\n")
        output.append(line)
        if first_line is None and re.search(expect, line):
            first_line = time.monotonic() - start
    process.wait()
    ended = time.monotonic() - start
    killer.cancel()
    status = process.returncode >> 1 if process.returncode & 1 else None  # isa-debug-exit: (status << 1) | 1
    reported = re.search(r"^Exit status: (\d+)$", "\n".join(output), re.M)
    if reported:
        status = int(reported.group(1))
    return first_line, ended, status


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--disk", required=True)
    parser.add_argument("--command", required=True)
    parser.add_argument("--expect", required=True, help="regular expression of the first line to time")
    parser.add_argument("--status", type=int, default=0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--machine", default="q35")
    args = parser.parse_args()
    for path in (KERNEL, args.disk):
        if not os.path.exists(path):
            sys.exit(f"program: {path} is missing: run ./osv build (--manifest FILE) first")
    firsts, ends = [], []
    for _ in range(args.runs):
        first, ended, status = run(args.machine, "128M", args.disk, args.command, args.expect)
        if first is None or status != args.status:
            sys.exit(f"program: no line matching {args.expect!r} or status {status} instead of {args.status}")
        firsts.append(first * 1000)
        ends.append(ended * 1000)
    print(f"machine: {args.machine}, runs: {args.runs}, kernel: {os.path.getsize(KERNEL)} bytes, command: {args.command}")
    print("QEMU start -> first matching line (ms): " + ", ".join(f"{v:.0f}" for v in firsts) + f"  (median {statistics.median(firsts):.0f})")
    print("QEMU start -> VM exit (ms): " + ", ".join(f"{v:.0f}" for v in ends) + f"  (median {statistics.median(ends):.0f})")
    smallest = None
    for megabytes in (64, 32, 16, 12, 10, 8, 6, 5, 4, 3):
        first, _, status = run(args.machine, f"{megabytes}M", args.disk, args.command, args.expect)
        if first is None or status != args.status:
            break
        smallest = megabytes
    print(f"smallest memory that runs it: {smallest} MB")


if __name__ == "__main__":
    main()
