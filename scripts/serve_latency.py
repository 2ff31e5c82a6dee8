#!/usr/bin/env python3
"""Measures `scimfacts serve`: the time from saving one vendor record to the browser being
told to reload (the SSE `reload` event), and to the new page being served.

    python3 scripts/serve_latency.py SITE_ROOT [EDITS] [BINARY]

SITE_ROOT is a site to edit (use a copy: records are changed). Prints the median and the
worst of EDITS edits (default 20). Uses only the standard library.
"""
import os, socket, statistics, subprocess, sys, time, glob

def main():
    root = sys.argv[1]
    edits = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    binary = sys.argv[3] if len(sys.argv) > 3 else "target/release/scimfacts"
    server = subprocess.Popen([binary, "serve", "--root", root, "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = None
        while url is None:
            line = server.stdout.readline()
            if not line:
                sys.exit("serve exited early")
            if " at http://" in line:
                url = line.split(" at ")[1].split(" ")[0]
        host, port = url[len("http://"):].rstrip("/").rsplit(":", 1)
        events = socket.create_connection((host, int(port)))
        events.sendall(b"GET /__scimfacts/events HTTP/1.1\r\nHost: x\r\n\r\n")
        events.settimeout(30)
        records = sorted(glob.glob(os.path.join(root, "data/vendors/*.yaml")))
        to_event, to_page = [], []
        time.sleep(0.5)
        for i in range(edits):
            record = records[(i * 7919) % len(records)]
            slug = os.path.basename(record)[:-5]
            text = open(record).read().splitlines()
            name_line = next(n for n, l in enumerate(text) if l.startswith("name:"))
            marker = f"Edit{i}x{time.time_ns()}"
            text[name_line] = f"name: {marker}"
            started = time.perf_counter()
            with open(record, "w") as f:
                f.write("\n".join(text) + "\n")
            wait_for_reload(events)
            to_event.append(time.perf_counter() - started)
            body = get(host, port, f"/vendors/{slug}/")
            if marker not in body:
                sys.exit(f"edit {i}: the new page was not served")
            to_page.append(time.perf_counter() - started)
            time.sleep(0.3)
        ms = lambda xs: f"median {statistics.median(xs) * 1000:.0f} ms, worst {max(xs) * 1000:.0f} ms"
        print(f"{len(records)} records, {edits} edits")
        print(f"save -> reload event: {ms(to_event)}")
        print(f"save -> new page served: {ms(to_page)}")
    finally:
        server.terminate()
        server.wait()

def wait_for_reload(sock):
    buffer = b""
    while b"event: reload" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            sys.exit("the event stream closed")
        buffer += chunk

def get(host, port, path):
    with socket.create_connection((host, int(port))) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data.decode("utf-8", "replace")

if __name__ == "__main__":
    main()
