"""The bench's report: rounds merged into one row, the latency tail table and system calls per request.

Kept apart from scripts/bench so the runner stays readable; nothing here starts a process or talks to a server.
"""


def median_result(runs):
    """One row from the rounds of a scenario: the median of each figure (allocations come from the first round)."""
    if len(runs) == 1:
        return runs[0]
    merged = dict(runs[0])
    for key in ("rps", "p50", "p99", "mean", "cpu_us", "system_us", "switches"):
        values = sorted(run[key] for run in runs if run[key] is not None)
        merged[key] = values[len(values) // 2] if values else None
    if all("open" in run for run in runs):
        merged["open"] = {key: sorted(run["open"][key] for run in runs)[len(runs) // 2]
                          for key in runs[0]["open"] if key != "stderr"}
    merged["non2xx"] = sum(run["non2xx"] for run in runs)
    merged["requests"] = sum(run["requests"] for run in runs)
    if merged["transactions"] is not None:
        merged["transactions"] = sum(run["transactions"] for run in runs)
    return merged


def print_tail(results, rate, connections):
    """wrk's closed loop against the constant rate: the tail's shape (p99 / mean) at full load, and the latency when
    every row is offered the same load (ratios to nginx's)."""
    reference = dict(results)["nginx proxy_pass"]
    print(f"\nlatency, closed loop (wrk) and at a constant {rate:.0f} req/s (rate-load, {connections} connections, open "
          f"loop, from each request's due time); ms")
    print(f"{'scenario':<30} {'wrk mean':>8} {'p99':>7} {'p99/mean':>8} | {'achieved':>8} {'mean':>7} {'p50':>7} "
          f"{'p99':>7} {'x nginx':>7} {'p99.9':>7} {'max':>7} {'lag p99':>7} {'load us':>7}")
    for name, result in results:
        open_loop = result.get("open")
        if not open_loop or result.get("mean") is None:
            continue
        ratio = open_loop["p99_ms"] / reference["open"]["p99_ms"] if reference.get("open") else float("nan")
        print(f"{name:<30} {result['mean']:>8.2f} {result['p99']:>7.2f} {result['p99'] / result['mean']:>8.2f} | "
              f"{open_loop['achieved']:>8.0f} {open_loop['mean_ms']:>7.2f} {open_loop['p50_ms']:>7.2f} "
              f"{open_loop['p99_ms']:>7.2f} {ratio:>7.2f} {open_loop['p999_ms']:>7.2f} {open_loop['max_ms']:>7.2f} "
              f"{open_loop['send_lag_p99_ms']:>7.2f} {open_loop['load_cpu_us_per_request']:>7.1f}")
    print("(lag p99: how late rate-load itself sent a request it had an idle connection for; load us: its own CPU "
          "per request)")


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


SYSCALL_GROUPS = (
    ("reads", ("read", "readv", "recvfrom", "recvmsg")),
    ("writes", ("write", "writev", "sendto", "sendmsg", "sendfile64")),
    ("epoll_wait", ("epoll_wait", "epoll_pwait", "epoll_pwait2")),
    ("epoll_ctl", ("epoll_ctl",)),
)


def print_syscalls(results, connections):
    """System calls per request of the rows that counted them, grouped, with the most frequent other calls named."""
    print(f"system calls per request (perf stat on syscalls:sys_enter_*, wrk -t1 -c{connections}; nginx: master "
          "and workers, Sluice rows: the gateway process, backend direct: the backend)")
    print(f"{'scenario':<30} {'total':>7} " + " ".join(f"{group:>10}" for group, _ in SYSCALL_GROUPS) + "  others")
    for name, result in results:
        calls = result.get("syscalls")
        if not calls:
            continue
        grouped = {member for _, members in SYSCALL_GROUPS for member in members}
        others = [(call, count) for call, count in calls.items() if call not in grouped]
        print(f"{name:<30} {sum(calls.values()):>7.2f} "
              + " ".join(f"{sum(calls.get(member, 0) for member in members):>10.2f}" for _, members in SYSCALL_GROUPS)
              + "  " + ", ".join(f"{call} {count:.2f}" for call, count in others[:4]))
