// Constant-rate (open-loop) HTTP/1.1 load for scripts/bench --rate: latency at an offered load both servers sustain.
//
// wrk keeps every connection busy (a closed loop), so a slower server also gets fewer requests and its mean latency
// is connections / throughput by arithmetic. Here request k is due at start + k / rate whatever the server does; it
// goes out on an idle keep-alive connection, and its latency runs from its due time to the end of its answer, so a
// stall delays every request due during it (no coordinated omission, as wrk2 measures). One thread, epoll, a
// timerfd set to the next due time; no pipelining.
//
// Usage: rate-load HOST PORT PATH RATE SECONDS CONNECTIONS [-m METHOD] [-H 'Name: value']... [-b BODY]
// Prints one line of key=value figures (latencies in microseconds), read by scripts/bench.

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

enum { BUFFER_SIZE = 65536, MAX_CONNECTIONS = 1024 };

typedef struct {
    int fd;
    int busy;             // a request is out and its answer not complete
    int64_t due;          // the due time of the request in flight (ns)
    int64_t sent;         // when it was written (ns)
    size_t filled;        // bytes of the answer read so far
    char buffer[BUFFER_SIZE];
} Connection;

static int64_t now_ns(void) {
    struct timespec time;
    clock_gettime(CLOCK_MONOTONIC, &time);
    return (int64_t)time.tv_sec * 1000000000 + time.tv_nsec;
}

static int compare(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int open_connection(const char *host, int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (fd < 0 || inet_pton(AF_INET, host, &address.sin_addr) != 1) return -1;
    if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) { close(fd); return -1; }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

// The length of a complete answer at the start of `data`, 0 while incomplete, -1 when unreadable. Sets *status, and
// *closing when the server ends the connection after it (nginx does after keepalive_requests answers).
static long complete_answer(const char *data, size_t length, int *status, int *closing) {
    const char *end = memmem(data, length, "\r\n\r\n", 4);
    if (!end) return 0;
    size_t head = (size_t)(end - data) + 4;
    if (length < 12 || strncmp(data, "HTTP/1.", 7) != 0) return -1;
    *status = atoi(data + 9);
    long complete = (long)head;  // no body (a 204 or a HEAD answer)
    for (const char *line = memchr(data, '\n', head); line && line < end; line = memchr(line + 1, '\n', head - (size_t)(line + 1 - data))) {
        if (strncasecmp(line + 1, "content-length:", 15) == 0) {
            long body = strtol(line + 16, NULL, 10);
            complete = length >= head + (size_t)body ? (long)head + body : 0;
        } else if (strncasecmp(line + 1, "transfer-encoding:", 18) == 0) {
            const char *last = memmem(data + head - 2, length - head + 2, "\r\n0\r\n\r\n", 7);
            complete = last ? (long)(last - data) + 7 : 0;
        } else if (strncasecmp(line + 1, "connection: close", 17) == 0) {
            *closing = 1;
        }
    }
    return complete;
}

int main(int argc, char **argv) {
    if (argc < 7) {
        fprintf(stderr, "usage: %s HOST PORT PATH RATE SECONDS CONNECTIONS [-m METHOD] [-H header]... [-b BODY]\n", argv[0]);
        return 2;
    }
    const char *host = argv[1], *path = argv[3], *method = "GET", *body = NULL;
    int port = atoi(argv[2]), count = atoi(argv[6]);
    double rate = atof(argv[4]), seconds = atof(argv[5]);
    char headers[16384] = "";
    for (int index = 7; index + 1 < argc; index += 2) {
        if (strcmp(argv[index], "-m") == 0) method = argv[index + 1];
        else if (strcmp(argv[index], "-b") == 0) body = argv[index + 1];
        else if (strcmp(argv[index], "-H") == 0 && strlen(headers) + strlen(argv[index + 1]) + 3 < sizeof headers) {
            strcat(headers, argv[index + 1]);
            strcat(headers, "\r\n");
        }
    }
    if (count < 1 || count > MAX_CONNECTIONS || rate <= 0 || seconds <= 0) { fprintf(stderr, "bad arguments\n"); return 2; }
    char request[32768];
    int request_length = body
        ? snprintf(request, sizeof request, "%s %s HTTP/1.1\r\nHost: %s:%d\r\n%sContent-Length: %zu\r\n\r\n%s",
                   method, path, host, port, headers, strlen(body), body)
        : snprintf(request, sizeof request, "%s %s HTTP/1.1\r\nHost: %s:%d\r\n%s\r\n", method, path, host, port, headers);
    if (request_length <= 0 || (size_t)request_length >= sizeof request) { fprintf(stderr, "request too large\n"); return 2; }

    int epoll = epoll_create1(EPOLL_CLOEXEC);
    int timer = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    struct epoll_event event = {.events = EPOLLIN, .data.u64 = UINT64_MAX};
    epoll_ctl(epoll, EPOLL_CTL_ADD, timer, &event);
    Connection *connections = calloc((size_t)count, sizeof(Connection));
    int *idle = malloc(sizeof(int) * (size_t)count), idle_count = 0;
    for (int index = 0; index < count; index++) {
        connections[index].fd = open_connection(host, port);
        if (connections[index].fd < 0) { perror("connect"); return 1; }
        event = (struct epoll_event){.events = EPOLLIN, .data.u64 = (uint64_t)index};
        epoll_ctl(epoll, EPOLL_CTL_ADD, connections[index].fd, &event);
        idle[idle_count++] = index;
    }

    int64_t total = (int64_t)(rate * seconds), interval = (int64_t)(1e9 / rate);
    int64_t *latencies = malloc(sizeof(int64_t) * (size_t)total), *lags = malloc(sizeof(int64_t) * (size_t)total);
    int64_t dispatched = 0, completed = 0, non2xx = 0, errors = 0, lag_count = 0;
    struct rusage usage_before, usage_after;
    getrusage(RUSAGE_SELF, &usage_before);
    int64_t start = now_ns() + 10000000;  // 10 ms to settle
    int64_t deadline = start + (int64_t)(seconds * 1e9) + 5000000000LL;  // answers may take up to 5 s after the last due
    struct epoll_event events[64];
    while (completed + errors < total && now_ns() < deadline) {
        int64_t now = now_ns();
        // Every request due by now goes out on an idle connection; the rest wait for one (their latency keeps growing
        // from their due time).
        while (dispatched < total && start + dispatched * interval <= now && idle_count > 0) {
            Connection *connection = &connections[idle[--idle_count]];
            connection->due = start + dispatched * interval;
            connection->sent = now_ns();
            connection->busy = 1;
            connection->filled = 0;
            if (write(connection->fd, request, (size_t)request_length) != request_length) { errors++; connection->busy = 0; }
            lags[lag_count++] = connection->sent - connection->due;
            dispatched++;
        }
        if (dispatched < total && idle_count > 0) {
            struct itimerspec due = {0};
            int64_t next = start + dispatched * interval;
            due.it_value.tv_sec = next / 1000000000;
            due.it_value.tv_nsec = next % 1000000000;
            timerfd_settime(timer, TFD_TIMER_ABSTIME, &due, NULL);
        }
        int ready = epoll_wait(epoll, events, 64, 100);
        for (int index = 0; index < ready; index++) {
            if (events[index].data.u64 == UINT64_MAX) {
                uint64_t expirations;
                if (read(timer, &expirations, sizeof expirations) < 0 && errno != EAGAIN) perror("timerfd");
                continue;
            }
            int number = (int)events[index].data.u64;
            Connection *connection = &connections[number];
            ssize_t got = read(connection->fd, connection->buffer + connection->filled, BUFFER_SIZE - connection->filled);
            if (got <= 0) { fprintf(stderr, "connection %d closed or failed\n", number); errors++; goto report; }
            connection->filled += (size_t)got;
            int status = 0, closing = 0;
            long length = complete_answer(connection->buffer, connection->filled, &status, &closing);
            if (length < 0 || (length == 0 && connection->filled == BUFFER_SIZE)) { fprintf(stderr, "unreadable answer\n"); errors++; goto report; }
            if (length == 0) continue;
            if (!connection->busy || (size_t)length != connection->filled) { fprintf(stderr, "unexpected bytes\n"); errors++; goto report; }
            latencies[completed++] = now_ns() - connection->due;
            if (status < 200 || status > 399) non2xx++;
            connection->busy = 0;
            if (closing) {
                // The server closes after this answer: a new connection takes its place (its connect is not timed).
                close(connection->fd);
                connection->fd = open_connection(host, port);
                if (connection->fd < 0) { perror("connect"); errors++; goto report; }
                event = (struct epoll_event){.events = EPOLLIN, .data.u64 = (uint64_t)number};
                epoll_ctl(epoll, EPOLL_CTL_ADD, connection->fd, &event);
            }
            idle[idle_count++] = number;
        }
    }
report:
    getrusage(RUSAGE_SELF, &usage_after);
    double elapsed = (double)(now_ns() - start) / 1e9;
    double cpu = (double)(usage_after.ru_utime.tv_sec - usage_before.ru_utime.tv_sec + usage_after.ru_stime.tv_sec
                          - usage_before.ru_stime.tv_sec) * 1e6
                 + (double)(usage_after.ru_utime.tv_usec - usage_before.ru_utime.tv_usec + usage_after.ru_stime.tv_usec
                            - usage_before.ru_stime.tv_usec);
    qsort(latencies, (size_t)completed, sizeof(int64_t), compare);
    qsort(lags, (size_t)lag_count, sizeof(int64_t), compare);
    double sum = 0;
    for (int64_t index = 0; index < completed; index++) sum += (double)latencies[index];
#define AT(array, n, q) ((n) ? (double)(array)[(int64_t)((double)((n) - 1) * (q))] / 1000.0 : 0.0)
    printf("offered=%.0f achieved=%.0f completed=%lld errors=%lld non2xx=%lld mean_us=%.1f p50_us=%.1f p90_us=%.1f "
           "p99_us=%.1f p999_us=%.1f max_us=%.1f send_lag_p99_us=%.1f load_cpu_us_per_request=%.2f\n",
           rate, completed / elapsed, (long long)completed, (long long)errors, (long long)non2xx,
           completed ? sum / (double)completed / 1000.0 : 0.0, AT(latencies, completed, 0.5), AT(latencies, completed, 0.9),
           AT(latencies, completed, 0.99), AT(latencies, completed, 0.999), AT(latencies, completed, 1.0),
           AT(lags, lag_count, 0.99), completed ? cpu / (double)completed : 0.0);
    return errors ? 1 : 0;
}
