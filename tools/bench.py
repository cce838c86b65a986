#!/usr/bin/env python3
"""`make bench`: the release server on a national-scale dataset, driven by wrk on loopback.

  bench.py BIN [sqlite] [postgres]

For each backend: cold start with migrations on an empty database, `trellis seed-bench`, idle RSS,
then wrk (2 threads, 64 connections) on a bare handler (an unknown /api/ path: no database, no
auth), an authenticated single-object read, a list page, a cohort's progress, a register write,
the trust progress feed (a page of 200 of the demo trust's 10,000 enrolments) and its summary
(every one evaluated), and sign-in (argon2, at 2 connections), each with req/s, p50, p99 and the
ratio to the bare handler; RSS under load; the raw SQL behind the single read, the cohort progress
and the trust progress page (`trellis bench-sql`) against the endpoint's own time at one
connection, the last against issue 13's targets (< 100 ms, ≤ 3× its SQL); a 5,000-staff roster sync (created,
then unchanged, then a dry run) against issue 13's 2 s target; the SPA's first visit and each part's size (frontend/dist/sizes.json). Numbers
are ratios within one run on one machine, never pass/fail timings. Results also go to
target/bench/<backend>.md.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

DURATION = os.environ.get("BENCH_DURATION", "8s")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def http(base, method, path, token=None, body=None, timeout=30):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=timeout) as r:
        raw = r.read()
        return json.loads(raw) if raw else None


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def wait_healthy(base, proc, timeout=60):
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}")
        try:
            http(base, "GET", "/api/v1/health")
            return time.monotonic() - start
        except OSError:
            time.sleep(0.01)
    raise SystemExit("the server did not become healthy")


def lua(method, body=None, token=None, paths=None):
    lines = [f'wrk.method = "{method}"', 'wrk.headers["Content-Type"] = "application/json"']
    if token:
        lines.append(f'wrk.headers["Authorization"] = "Bearer {token}"')
    if body is not None:
        lines.append("wrk.body = [[" + json.dumps(body) + "]]")
    if paths:
        # Each request takes the next path in turn (per wrk thread).
        lines.append("paths = {" + ", ".join(f'"{p}"' for p in paths) + "}")
        lines.append("n = 0")
        lines.append("request = function() n = n % #paths + 1; return wrk.format(nil, paths[n]) end")
    f = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    f.write("\n".join(lines) + "\n")
    f.close()
    return f.name


def wrk(url, script, connections=64, threads=2, duration=DURATION, sample_pid=None):
    # A slow endpoint is measured, not cut off at wrk's default 2 s (whose timeouts it does not
    # count as failures, and whose latency table is then empty).
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}", "--timeout", "30s", "--latency", "-s", script, url]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    peak = 0.0
    while proc.poll() is None:
        if sample_pid:
            peak = max(peak, rss_mb(sample_pid))
        time.sleep(0.2)
    out = proc.stdout.read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(p):
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    timeouts = re.search(r"Socket errors:.*timeout (\d+)", out)
    mean = re.search(r"Latency\s+([\d.]+)(us|ms|s)", out)
    mean_ms = float(mean.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[mean.group(2)]
    failed = (int(errors.group(1)) if errors else 0) + (int(timeouts.group(1)) if timeouts else 0)
    return {"rps": rps, "p50": pct(50), "p99": pct(99), "non2xx": failed,
            "mean_ms": mean_ms, "peak_rss": peak}


def roster_sync(base, token, schools, staff=5000):
    """A 5,000-staff roster over ten of the trust's schools (one transaction each): the first sync
    creates everyone, the same roster again changes nothing, a dry run of it writes nothing. Each is
    one request, timed end to end; the target is 2 s on SQLite."""
    schools = schools[:10]
    orgs = [{"sourcedId": f"org-{s['urn']}", "type": "school", "identifier": s["urn"], "name": s["name"]} for s in schools]
    users = [{"sourcedId": f"BENCH-{i:05d}", "givenName": f"Given{i}", "familyName": f"Family{i}",
              "email": f"bench.staff.{i}@bench.sch.uk",
              "roles": [{"roleType": "primary", "role": "teacher", "org": {"sourcedId": orgs[i % len(orgs)]["sourcedId"]}}]}
             for i in range(staff)]
    body = {"orgs": orgs, "users": users}
    out = {}
    for name, path in [("first sync (all created)", "/api/v1/roster/sync"), ("same roster again (all unchanged)", "/api/v1/roster/sync"),
                       ("dry run of it", "/api/v1/roster/sync?dry_run=true")]:
        start = time.perf_counter()
        result = http(base, "POST", path, token, body, timeout=120)
        out[name] = (time.perf_counter() - start, result["summary"])
    return out


def run(bin_path, backend):
    work = tempfile.mkdtemp(prefix=f"trellis-bench-{backend}-")
    env = dict(os.environ, TRELLIS_DATA_DIR=work, TRELLIS_STATIC_DIR=os.path.join(ROOT, "frontend", "dist"))
    env.pop("DATABASE_URL", None)
    # High enough that no row meets the limit: the client row measures the counters' cost, not 429s.
    env["TRELLIS_CLIENT_RATE_LIMIT"] = "10000000"
    pg = None
    if backend == "postgres":
        admin = os.environ.get("TRELLIS_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
        pg = (admin, f"trellis_bench_{os.getpid()}")
        subprocess.run(["psql", "-q", admin, "-c", f"CREATE DATABASE {pg[1]}"], check=True)
        env["DATABASE_URL"] = admin.rsplit("/", 1)[0] + "/" + pg[1]
    port = free_port()
    env["TRELLIS_BIND"] = f"127.0.0.1:{port}"
    base = f"http://127.0.0.1:{port}"
    log = open(os.path.join(work, "server.log"), "w")
    server = None
    try:
        # Cold start on an empty database: process start, migrations, bind, first answer.
        server = subprocess.Popen([bin_path, "serve"], env=env, stdout=log, stderr=log)
        cold = wait_healthy(base, server)
        server.terminate()
        server.wait()
        seeded = subprocess.run([bin_path, "seed-bench"], env=env, capture_output=True, text=True, check=True)
        seed_line = seeded.stdout.strip().splitlines()[-1]
        server = subprocess.Popen([bin_path, "serve"], env=env, stdout=log, stderr=log)
        wait_healthy(base, server)
        time.sleep(1)
        idle = rss_mb(server.pid)

        login = lambda who: http(base, "POST", "/api/v1/auth/login", body={"email": f"{who}@trellis.test", "password": "trellis-demo"})["access_token"]
        trust, fac = login("trust"), login("facilitator")
        cohorts = http(base, "GET", "/api/v1/cohorts?limit=200", fac)["items"]
        by_name = {c["name"]: c["id"] for c in cohorts}
        big, small = by_name["Bench cohort 000"], by_name["Bench cohort 120"]
        enrolment = http(base, "GET", f"/api/v1/cohorts/{big}/enrolments?limit=1", trust)["items"][0]["id"]
        big_size = len(http(base, "GET", f"/api/v1/cohorts/{big}/progress", fac)["items"])
        sessions = http(base, "GET", f"/api/v1/cohorts/{small}/sessions?limit=200", fac)["items"]
        held = [s["id"] for s in sessions if s["starts_at"] < time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())]
        session = held[0]
        members = http(base, "GET", f"/api/v1/cohorts/{small}/enrolments?limit=200", fac)["items"]
        register = {"entries": [{"enrolment_id": e["id"], "status": "present"} for e in members]}

        trust_id = http(base, "GET", "/api/v1/me", trust)["organisation_id"]
        trust_size = http(base, "GET", "/api/v1/progress/summary", trust)["totals"]["enrolments"]
        raw = subprocess.run([bin_path, "bench-sql", enrolment, big, trust_id], env=env, capture_output=True, text=True, check=True)
        sql = {k: float(v) for k, v in (line.split() for line in raw.stdout.strip().splitlines())}

        form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": "demo-mis", "client_secret": "trellis-demo-secret"}).encode()
        req = urllib.request.Request(base + "/api/v1/auth/token", data=form, method="POST")
        req.add_header("content-type", "application/x-www-form-urlencoded")
        with urllib.request.urlopen(req, timeout=30) as r:
            mis = json.loads(r.read())["access_token"]
        school_a_enrolment = http(base, "GET", "/api/v1/progress?limit=1", mis)["items"][0]["enrolment_id"]

        get_trust, get_fac = lua("GET", token=trust), lua("GET", token=fac)
        rows = [
            ("bare handler (unknown /api/ path: no DB, no auth)", wrk(base + "/api/v1/bench-nothing-here", lua("GET"))),
            ("GET /enrolments/{id} (trust admin)", wrk(f"{base}/api/v1/enrolments/{enrolment}", get_trust, sample_pid=server.pid)),
            ("GET /cohorts/{id}/enrolments?limit=50", wrk(f"{base}/api/v1/cohorts/{big}/enrolments?limit=50", get_trust)),
            (f"GET /cohorts/{{id}}/progress ({big_size} enrolments)", wrk(f"{base}/api/v1/cohorts/{big}/progress", get_fac, sample_pid=server.pid)),
            ("GET /enrolments/{id} (a school A enrolment, trust admin)", wrk(f"{base}/api/v1/enrolments/{school_a_enrolment}", get_trust)),
            ("GET /enrolments/{id} (the same, MIS client token: + rate-limit counters)", wrk(f"{base}/api/v1/enrolments/{school_a_enrolment}", lua("GET", token=mis))),
            (f"GET /progress?limit=200 (trust admin; {trust_size:,} enrolments in the trust)", wrk(f"{base}/api/v1/progress?limit=200", get_trust, sample_pid=server.pid)),
            # A dashboard's grid is opened, not hammered: four at once.
            (f"GET /progress/summary (trust admin; every one of {trust_size:,} evaluated; 4 connections)",
             wrk(f"{base}/api/v1/progress/summary", get_trust, connections=4, sample_pid=server.pid)),
            (f"PUT /sessions/{{id}}/attendance ({len(members)} marks, one session: contended)", wrk(f"{base}/api/v1/sessions/{session}/attendance", lua("PUT", register, fac))),
            (f"PUT /sessions/{{id}}/attendance ({len(members)} marks, {len(held)} sessions in turn)",
             wrk(f"{base}/api/v1/sessions/{session}/attendance", lua("PUT", register, fac, [f"/api/v1/sessions/{h}/attendance" for h in held]))),
            ("POST /auth/login (argon2; 2 connections)", wrk(base + "/api/v1/auth/login", lua("POST", {"email": "facilitator@trellis.test", "password": "trellis-demo"}), connections=2, threads=1)),
        ]
        single_1 = wrk(f"{base}/api/v1/enrolments/{enrolment}", get_trust, connections=1, threads=1, duration="3s")
        progress_1 = wrk(f"{base}/api/v1/cohorts/{big}/progress", get_fac, connections=1, threads=1, duration="3s")
        trust_1 = wrk(f"{base}/api/v1/progress?limit=200", get_trust, connections=1, threads=1, duration="3s")
        schools = http(base, "GET", "/api/v1/schools?limit=200", trust)["items"]
        roster = roster_sync(base, trust, schools)
        peak = max(r[1]["peak_rss"] for r in rows)
        bare = rows[0][1]["rps"]

        try:
            sizes = json.load(open(os.path.join(ROOT, "frontend/dist/sizes.json")))
            spa = f"first visit {sizes['first_visit']:,} B, parts " + ", ".join(
                f"{name} {p['brotli']:,} B" for name, p in sorted(sizes["parts"].items()))
        except (OSError, KeyError, ValueError):
            spa = None
        out = [f"## {backend}", "", f"- data: {seed_line}", f"- cold start with migrations (empty database, to first answer): {cold * 1000:.0f} ms",
               f"- RSS idle: {idle:.1f} MB; under load (peak): {peak:.1f} MB",
               f"- SPA transfer (brotli, as served): {spa}" if spa else "- SPA transfer: frontend/dist not built", "",
               "| request | req/s | p50 ms | p99 ms | ratio to bare | non-2xx or timed out |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for name, r in rows:
            out.append(f"| {name} | {r['rps']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {100 * r['rps'] / bare:.1f} % | {r['non2xx']} |")
        out += ["", "| raw SQL vs endpoint (1 connection) | SQL µs | endpoint mean µs | endpoint ÷ SQL |", "| --- | ---: | ---: | ---: |",
                f"| single-object read | {sql['single_object_us']:.0f} | {single_1['mean_ms'] * 1000:.0f} | {single_1['mean_ms'] * 1000 / sql['single_object_us']:.1f}× |",
                f"| cohort progress | {sql['cohort_progress_us']:.0f} | {progress_1['mean_ms'] * 1000:.0f} | {progress_1['mean_ms'] * 1000 / sql['cohort_progress_us']:.1f}× |",
                f"| trust progress, a page of 200 of {trust_size:,} | {sql['trust_progress_page_us']:.0f} | {trust_1['mean_ms'] * 1000:.0f} | {trust_1['mean_ms'] * 1000 / sql['trust_progress_page_us']:.1f}× |", ""]
        trust_ratio = trust_1["mean_ms"] * 1000 / sql["trust_progress_page_us"]
        out += [f"- trust progress page at {trust_size:,} enrolments: {trust_1['mean_ms']:.1f} ms (target < 100 ms: {'met' if trust_1['mean_ms'] < 100 else 'MISSED'}), "
                f"{trust_ratio:.1f}× its raw SQL (target ≤ 3×: {'met' if trust_ratio <= 3 else 'MISSED'})", ""]
        out += ["| roster sync, 5,000 staff over 10 schools (one request each) | ms | ÷ unchanged | target 2,000 ms |", "| --- | ---: | ---: | --- |"]
        unchanged = roster["same roster again (all unchanged)"][0]
        for name, (secs, summary) in roster.items():
            counts = ", ".join(f"{k} {v}" for k, v in summary.items() if v)
            out.append(f"| {name}: {counts} | {secs * 1000:.0f} | {secs / unchanged:.2f}× | {'met' if secs < 2 else 'MISSED'} |")
        out.append("")
        bad = [name for name, r in rows[1:] if r["non2xx"]]
        if bad:
            out.append(f"**Failed requests in: {', '.join(bad)}** (see {work}/server.log)")
        text = "\n".join(out)
        print(text, flush=True)
        os.makedirs(os.path.join(ROOT, "target", "bench"), exist_ok=True)
        with open(os.path.join(ROOT, "target", "bench", f"{backend}.md"), "w") as f:
            f.write(text + "\n")
        return not bad
    finally:
        if server and server.poll() is None:
            server.terminate()
            server.wait()
        log.close()
        if pg:
            subprocess.run(["psql", "-q", pg[0], "-c", f"DROP DATABASE IF EXISTS {pg[1]} WITH (FORCE)"], check=False)
        if os.environ.get("BENCH_KEEP") is None:
            shutil.rmtree(work, ignore_errors=True)


def main():
    bin_path = sys.argv[1]
    backends = sys.argv[2:] or ["sqlite", "postgres"]
    print(f"# Trellis bench — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, wrk {DURATION} per row\n")
    ok = all([run(bin_path, b) for b in backends])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
