"""Helpers shared by Sluice's benchmark scripts (Python 3 standard library only).

Building the release binaries, installing wrk, starting processes that are always stopped by PID, small HTTP
calls, running wrk and reading its latency percentiles, and reading a process's memory from /proc.
"""

import base64
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def log(message, prefix="bench"):
    print(f"[{prefix}] {message}", file=sys.stderr, flush=True)


def free_port():
    """A loopback port the OS says is free now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_debian_tools(tools):
    """Installs the Debian packages of missing tools: `tools` maps command name to package name."""
    missing = sorted({package for tool, package in tools.items()
                      if shutil.which(tool) is None and not os.path.exists(f"/usr/sbin/{tool}")})
    if missing:
        log(f"installing {' '.join(missing)} from Debian")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env=env)


def build(skip, configuration="release", products=("sluice", "sluice-backend")):
    """Builds the products (one per invocation: swift build keeps only its last --product) and returns the bin path."""
    if not skip:
        for product in products:
            log(f"swift build -c {configuration} --product {product}")
            # The compiler's progress goes to stderr so stdout carries only the results.
            built = subprocess.run(["swift", "build", "-c", configuration, "--product", product], cwd=ROOT,
                                   stdout=sys.stderr)
            if built.returncode != 0:
                raise SystemExit(f"swift build -c {configuration} --product {product} failed (errors above); "
                                 "fix the build or pass --skip-build to use the binaries already built")
    return subprocess.run(["swift", "build", "-c", configuration, "--show-bin-path"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.strip()


class Processes:
    """Every process a benchmark starts, stopped by its PID (SIGTERM, then SIGKILL after a grace period)."""

    def __init__(self):
        self.started = []

    def start(self, args, log_path, env=None):
        handle = open(log_path, "wb")
        process = subprocess.Popen(args, stdout=handle, stderr=subprocess.STDOUT, env=env)
        handle.close()
        self.started.append(process)
        return process

    def stop(self, process, grace=20):
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process in self.started:
            self.started.remove(process)

    def stop_all(self):
        for process in reversed(self.started):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in reversed(self.started):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.started.clear()


def terminate_on_sigterm():
    """Turns SIGTERM into SystemExit so `finally` blocks stop the servers, as they do on Ctrl-C."""
    def handler(signum, frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, handler)


def basic(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def request(method, url, body=None, headers=None, auth=None, form=False, timeout=10):
    """One HTTP call: returns (status, parsed JSON or text). JSON bodies by default, form bodies with form=True."""
    data = None
    headers = dict(headers or {})
    if body is not None:
        if form:
            data = body.encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        else:
            data = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
    if auth:
        headers["Authorization"] = basic(*auth)
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        # A run's own self-signed certificate on loopback (bench --tls): nothing to verify it against.
        context = ssl._create_unverified_context() if url.startswith("https:") else None
        with urllib.request.urlopen(req, timeout=timeout, context=context) as response:
            text = response.read().decode()
            return response.status, (json.loads(text) if text.startswith(("{", "[")) else text)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_for(url, expected=200, timeout=60, headers=None, interval=0.1, process=None):
    """Polls `url` until it answers `expected`; fails early when `process` exits."""
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode} before {url} answered")
        try:
            status, _ = request("GET", url, headers=headers, timeout=5)
            last = status
            if status == expected:
                return
        except OSError as error:
            last = error
        time.sleep(interval)
    raise SystemExit(f"{url} did not answer {expected} within {timeout}s (last: {last})")


LATENCY = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)


def run_wrk(url, threads, connections, duration, warmup=3, headers=None, lua=None, timeout=None):
    """Runs wrk (a warm-up, then the measured run) and returns req/s, p50/p99 in ms, non-2xx count and errors."""
    command = ["wrk", f"-t{min(threads, connections)}", f"-c{connections}", "--latency"]
    if timeout:
        command += ["--timeout", f"{timeout}s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if lua:
        command += ["-s", lua]
    if warmup:
        subprocess.run(command + [f"-d{warmup}s", url], check=True, capture_output=True)
    output = subprocess.run(command + [f"-d{duration}s", url], check=True, capture_output=True, text=True).stdout
    return parse_wrk(output)


def parse_wrk(output):
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    total = re.search(r"(\d+) requests in", output)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:.*", output)
    latencies = {}
    for percentile, value, unit in LATENCY.findall(output):
        latencies[percentile] = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return {"rps": rate, "p50": latencies.get("50"), "p99": latencies.get("99"),
            "requests": int(total.group(1)) if total else 0,
            "non2xx": int(non2xx.group(1)) if non2xx else 0, "errors": errors.group(0) if errors else ""}


def memory_mb(pid, field):
    """A /proc/PID/status field in MB: VmRSS (now) or VmHWM (peak)."""
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def load_average():
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def cpu_seconds(pid):
    """User plus system CPU time a process has used so far (/proc/PID/stat, clock-tick resolution)."""
    counters = process_counters(pid)
    return counters["user"] + counters["system"]


def process_counters(pid):
    """A process's user and system CPU seconds so far (/proc/PID/stat) and its threads' context switches
    (voluntary + involuntary, /proc/PID/task/*/status): how often its event loops went to sleep and were woken,
    the kernel cost that grows per request when a quiet machine lets every request find its loop asleep."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    switches = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/status") as handle:
                for line in handle:
                    if line.startswith(("voluntary_ctxt_switches:", "nonvoluntary_ctxt_switches:")):
                        switches += int(line.split()[1])
        except FileNotFoundError:
            continue  # a thread that ended meanwhile
    return {"user": int(fields[11]) / ticks, "system": int(fields[12]) / ticks, "switches": switches}


ALLOCATION_PROBES = ("malloc", "calloc", "realloc", "posix_memalign")


def ensure_allocation_probes():
    """Adds perf uprobes on glibc's allocation functions (probe_libc:malloc ...) unless they exist (needs root)."""
    listed = subprocess.run(["perf", "probe", "-l"], capture_output=True, text=True).stdout
    libc = next((path for path in ("/lib/x86_64-linux-gnu/libc.so.6", "/lib/aarch64-linux-gnu/libc.so.6")
                 if os.path.exists(path)), None)
    for function in ALLOCATION_PROBES:
        if f"probe_libc:{function} " not in listed and f"probe_libc:{function}\t" not in listed:
            subprocess.run(["perf", "probe", "-q", "-x", libc, "--add", function], check=True)


def under_perf(perf_args, url, headers=None, lua=None, duration=4, connections=20):
    """Runs `perf perf_args...` attached to a process while a short wrk run loads `url`; returns perf's stderr and
    the requests wrk completed."""
    perf = subprocess.Popen(["perf", *perf_args], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    time.sleep(0.5)  # perf attached before the first request
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if lua:
        command += ["-s", lua]
    output = subprocess.run(command + [url], check=True, capture_output=True, text=True).stdout
    perf.send_signal(signal.SIGINT)
    _, report = perf.communicate()
    return report, parse_wrk(output)["requests"]


def allocations_per_request(pid, url, headers=None, lua=None):
    """The process's malloc/calloc/realloc/posix_memalign calls per request (perf uprobes: exact counts, but each
    one traps, so CPU figures taken meanwhile mean nothing) over a short wrk run."""
    events = ",".join(f"probe_libc:{function}" for function in ALLOCATION_PROBES)
    report, requests = under_perf(["stat", "-x,", "-e", events, "-p", str(pid)], url, headers, lua)
    calls = sum(int(line.split(",")[0]) for line in report.splitlines() if line.split(",")[0].isdigit())
    return calls / requests if requests else float("nan")


def syscalls_per_request(pids, url, headers=None, lua=None, connections=20):
    """The system calls the processes make per request over a short wrk run (perf stat on every
    `syscalls:sys_enter_*` tracepoint: exact counts), as {name: calls per request}, most frequent first."""
    report, requests = under_perf(["stat", "-x,", "-e", "syscalls:sys_enter_*", "-p", ",".join(map(str, pids))], url,
                                  headers, lua, connections=connections)
    prefix = "syscalls:sys_enter_"
    counts = {}
    for line in report.splitlines():
        fields = line.split(",")
        if len(fields) > 2 and fields[0].isdigit() and fields[2].startswith(prefix) and int(fields[0]) > 0:
            counts[fields[2][len(prefix):]] = int(fields[0])
    if not requests:
        return {}
    return {name: count / requests for name, count in sorted(counts.items(), key=lambda item: -item[1])}


def with_children(pid):
    """`pid` and its child processes (nginx's workers under its master)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [pid] + [int(child) for child in handle.read().split()]
    except OSError:
        return [pid]


def record_allocation_sites(pid, path, url, headers=None, lua=None):
    """`perf record -g` of the process's allocation calls (the uprobes) over a short wrk run, into `path`: who
    allocates, per call stack (`perf report --no-children -i path`)."""
    events = ",".join(f"probe_libc:{function}" for function in ALLOCATION_PROBES)
    under_perf(["record", "-e", events, "-g", "-o", path, "-p", str(pid)], url, headers, lua, duration=2)


def record_profile(pid, path, url, headers=None, lua=None):
    """`perf record -F 999` of the process (or the list of processes) over a short wrk run, into `path` (read it
    with perf report)."""
    pids = ",".join(map(str, pid)) if isinstance(pid, list) else str(pid)
    under_perf(["record", "-F", "999", "-g", "-o", path, "-p", pids], url, headers, lua, duration=6)


def compile_rate_load(directory):
    """Compiles scripts/rate-load.c (the constant-rate load of `--rate`) into `directory`; returns its path."""
    binary = os.path.join(directory, "rate-load")
    subprocess.run(["cc", "-O2", "-o", binary, os.path.join(ROOT, "scripts", "rate-load.c")], check=True)
    return binary


LUA_FIELD = re.compile(r'^wrk\.(method|body|headers\["([^"]+)"\])\s*=\s*(["\'])(.*)\3\s*$', re.M)


def run_constant_rate(binary, url, rate, duration, connections, headers=None, lua=None):
    """`rate` requests per second, open loop, over `connections` keep-alive connections (after a 2 s warm-up at the
    same rate); the request's method, headers and body also read from a wrk script of the kind the benchmarks write.
    Returns rate-load's figures: latencies in ms from each request's due time, its own CPU per request in µs."""
    parsed = urllib.parse.urlsplit(url)
    options = []
    for name, value in (headers or {}).items():
        options += ["-H", f"{name}: {value}"]
    if lua:
        with open(lua) as handle:
            for field, header, _, value in LUA_FIELD.findall(handle.read()):
                options += (["-H", f"{header}: {value}"] if header else ["-m", value] if field == "method"
                            else ["-b", value])
    target = parsed.path + (f"?{parsed.query}" if parsed.query else "")
    command = [binary, parsed.hostname, str(parsed.port), target, str(rate)]
    subprocess.run(command + ["2", str(connections)] + options, capture_output=True)  # warm-up
    output = subprocess.run(command + [str(duration), str(connections)] + options, capture_output=True, text=True)
    figures = dict(pair.split("=", 1) for pair in output.stdout.split())
    result = {key[:-3] + "_ms" if key.endswith("_us") and not key.startswith("load") else key:
              float(value) / 1000 if key.endswith("_us") and not key.startswith("load") else float(value)
              for key, value in figures.items()}
    result["stderr"] = output.stderr.strip()
    return result
