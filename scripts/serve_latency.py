#!/usr/bin/env python3
"""Measures `scimfacts serve`: the time from saving one vendor record to the browser being
told to reload that record's page (the SSE `reload` event naming it), to the new page being
served, and to the pages that list every vendor being up to date (the next `reload` event).
Then the time from saving a template (an override of `404.html`: a template change rebuilds
every page) to the whole site being re-served, against a full `scimfacts build` of the same
site timed in the same run.

    python3 scripts/serve_latency.py SITE_ROOT [EDITS] [BINARY]

SITE_ROOT is a site to edit (use a copy: records are changed). Prints the median and the
worst of EDITS record edits (default 20) and of 3 template edits. Uses only the standard
library.
"""
import glob, os, socket, statistics, subprocess, sys, tempfile, time

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
        to_event, to_page, to_lists = [], [], []
        stream = EventStream(events)
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
            stream.wait_for(f'"/vendors/{slug}/"'.encode())
            to_event.append(time.perf_counter() - started)
            body = get(host, port, f"/vendors/{slug}/")
            if marker not in body:
                sys.exit(f"edit {i}: the new page was not served")
            to_page.append(time.perf_counter() - started)
            # The second event names the pages that list vendors; the whole-site JSON is always
            # among them (a page of the index only when the vendor is on it).
            stream.wait_for(b'"/api/vendors.json"')
            to_lists.append(time.perf_counter() - started)
            time.sleep(0.3)
        templates = os.path.join(root, "templates")
        template = os.path.join(templates, "404.html")
        had_templates, had_template = os.path.isdir(templates), os.path.exists(template)
        os.makedirs(templates, exist_ok=True)
        to_site = []
        try:
            for i in range(3):
                marker = f"Template{i}x{time.time_ns()}"
                started = time.perf_counter()
                with open(template, "w") as f:
                    f.write(TEMPLATE.replace("MARKER", marker))
                # A full rebuild is announced with the plain `reload` event.
                stream.wait_for(b"data: reload\n")
                to_site.append(time.perf_counter() - started)
                if marker not in get(host, port, "/404.html"):
                    sys.exit(f"template edit {i}: the new page was not served")
                # The replaced site is removed after browsers are told; an edit that came
                # sooner would wait for that.
                wait_until_tidy(root)
        finally:
            if not had_template:
                os.remove(template)
            if not had_templates:
                os.rmdir(templates)
        ms = lambda xs: f"median {statistics.median(xs) * 1000:.0f} ms, worst {max(xs) * 1000:.0f} ms"
        print(f"{len(records)} records, {edits} edits")
        print(f"save -> reload event: {ms(to_event)}")
        print(f"save -> new page served: {ms(to_page)}")
        print(f"save -> lists of vendors served: {ms(to_lists)}")
        print(f"template saved -> whole site re-served: {ms(to_site)}")
    finally:
        server.terminate()
        server.wait()
    with tempfile.TemporaryDirectory() as output:
        started = time.perf_counter()
        subprocess.run([binary, "build", "--quiet", "--root", root, "--output",
                        os.path.join(output, "site")], check=True)
        print(f"full build of the same site, for comparison: "
              f"{(time.perf_counter() - started) * 1000:.0f} ms")

TEMPLATE = """{% extends "base.html" %}
{% block content %}<h1>Page not found</h1><p>MARKER</p>{% endblock content %}
"""

def wait_until_tidy(root):
    """Waits until no replaced or staged site is left beside the output."""
    while any(".tmp-" in name for name in os.listdir(root)):
        time.sleep(0.05)

class EventStream:
    """The raw event stream; `wait_for` returns once the bytes not yet read hold `needle`."""
    def __init__(self, sock):
        self.sock, self.buffer, self.read = sock, b"", 0

    def wait_for(self, needle):
        while (at := self.buffer.find(needle, self.read)) < 0:
            chunk = self.sock.recv(65536)
            if not chunk:
                sys.exit("the event stream closed")
            self.buffer += chunk
        self.read = at + len(needle)

def get(host, port, path):
    with socket.create_connection((host, int(port))) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data.decode("utf-8", "replace")

if __name__ == "__main__":
    main()
