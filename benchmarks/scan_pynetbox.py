#!/usr/bin/env python3
"""One pynetbox scan for netbox-bench-scan: list(nb.dcim.devices.all()) against a NetBox (the
harness's simulator), timed here, so the figure leaves out the interpreter's start-up.

    scan_pynetbox.py URL TOKEN {threading|sequential} [LIMIT]

Prints one line of JSON: records, seconds (the list() call alone), import_seconds (import of
pynetbox and requests), vmhwm_kib (peak RSS of this process from /proc/self/status), maxrss_kib
(resource.getrusage), pynetbox (its version). Exit status 3 when pynetbox cannot be imported.
"""
import json
import resource
import sys
import time


def peak_rss_kib():
    # VmHWM is this process's own high-water mark; ru_maxrss also carries the peak of whatever
    # process exec'd it (Linux keeps it across exec), so both are reported.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def main():
    if len(sys.argv) not in (4, 5) or sys.argv[3] not in ("threading", "sequential"):
        print(__doc__, file=sys.stderr)
        return 2
    url, token, mode = sys.argv[1:4]
    limit = int(sys.argv[4]) if len(sys.argv) == 5 else 0

    started = time.perf_counter()
    try:
        import pynetbox
    except ImportError as e:
        print("pynetbox is not installed for %s: %s" % (sys.executable, e), file=sys.stderr)
        return 3
    imported = time.perf_counter()

    nb = pynetbox.api(url, token=token, threading=(mode == "threading"))
    begin = time.perf_counter()
    # limit=0 is pynetbox's default: the server's MAX_PAGE_SIZE.
    devices = list(nb.dcim.devices.all(limit=limit))
    seconds = time.perf_counter() - begin

    print(json.dumps({
        "records": len(devices),
        "distinct_ids": len({d.id for d in devices}),
        "seconds": seconds,
        "import_seconds": imported - started,
        "vmhwm_kib": peak_rss_kib(),
        "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "pynetbox": getattr(pynetbox, "__version__", "?"),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
