/*
 * Calibration baseline for the relay capacity harness (benchmarks/scripts/relay-bench.sh ... c):
 * the "C relay with recvmmsg/sendmmsg". Same file formats as RelayBenchServer's plain
 * mode (keys.txt, stats.txt), no authentication, crypto, replay window, limits or metrics: it
 * registers HELLO senders, answers them, and forwards each MEDIA datagram's bytes unchanged to
 * the listeners of its room with one sendmmsg per received batch. Single-threaded, blocking
 * recvmmsg(MSG_WAITFORONE); stats are written between batches (at most every 100 ms).
 *
 *   gcc -O2 -o c-relay c-relay.c && ./c-relay SENDERS FANOUT DIR
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 32
#define MAX_OUT 4096
#define SLOT 1500
#define TYPE_MEDIA 1
#define TYPE_HELLO 2
#define TYPE_HELLO_ACK 3
#define CONTROL_DATAGRAM 40

static long long nanos(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void write_file(const char *dir, const char *name, const char *text) {
    char tmp[4096], path[4096];
    snprintf(tmp, sizeof tmp, "%s/%s.tmp", dir, name);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(tmp, "w");
    if (!f) { perror(tmp); exit(1); }
    fputs(text, f);
    fclose(f);
    rename(tmp, path);
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: c-relay SENDERS FANOUT DIR\n"); return 2; }
    int senders = atoi(argv[1]), fanout = atoi(argv[2]);
    const char *dir = argv[3];
    int sessions = senders * (fanout + 1);
    srand((unsigned) nanos(CLOCK_REALTIME));
    int base = rand() % (1 << 20);

    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) { perror("socket"); return 1; }
    int buf = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
    struct sockaddr_in bound = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (bind(fd, (struct sockaddr *) &bound, sizeof bound) != 0) { perror("bind"); return 1; }
    socklen_t blen = sizeof bound;
    getsockname(fd, (struct sockaddr *) &bound, &blen);

    struct sockaddr_in *addresses = calloc(sessions, sizeof *addresses);
    char *keys = malloc((size_t) sessions * 80 + 64);
    int n = sprintf(keys, "relay %d\n", ntohs(bound.sin_port));
    for (int room = 0; room < senders; room++) {
        for (int i = 0; i <= fanout; i++) {
            n += sprintf(keys + n, "%s %d %d ", i == 0 ? "sender" : "listener", room, base + room * (fanout + 1) + i);
            for (int k = 0; k < 16; k++) n += sprintf(keys + n, "%02x", rand() & 0xff);
            keys[n++] = '\n';
        }
    }
    keys[n] = 0;
    write_file(dir, "keys.txt", keys);
    printf("C relay (recvmmsg/sendmmsg, no auth/crypto/limits) on 127.0.0.1:%d, %d rooms x (1 + %d)\n",
           ntohs(bound.sin_port), senders, fanout);
    fflush(stdout);

    static char in[BATCH][SLOT];
    static struct iovec in_iov[BATCH];
    static struct sockaddr_in from[BATCH];
    static struct mmsghdr in_msg[BATCH];
    static struct iovec out_iov[MAX_OUT];
    static struct mmsghdr out_msg[MAX_OUT];
    static char ack[CONTROL_DATAGRAM] = { 1, TYPE_HELLO_ACK };
    for (int i = 0; i < BATCH; i++) {
        in_iov[i] = (struct iovec) { in[i], SLOT };
        in_msg[i].msg_hdr = (struct msghdr) { .msg_name = &from[i], .msg_namelen = sizeof from[i],
                                              .msg_iov = &in_iov[i], .msg_iovlen = 1 };
    }
    struct timeval tick = { 0, 100000 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof tick);
    long long received = 0, forwarded = 0, last = 0;
    for (;;) {
        for (int i = 0; i < BATCH; i++) in_msg[i].msg_hdr.msg_namelen = sizeof from[i];
        int got = recvmmsg(fd, in_msg, BATCH, MSG_WAITFORONE, NULL);
        int out = 0;
        for (int i = 0; i < got; i++) {
            unsigned char *p = (unsigned char *) in[i];
            if (in_msg[i].msg_len < 8) continue;
            received++;
            int key = (int) ntohl(*(uint32_t *) (p + 4)) - base;
            if (key < 0 || key >= sessions) continue;
            if (p[1] == TYPE_HELLO) {
                addresses[key] = from[i];
                out_iov[out] = (struct iovec) { ack, sizeof ack };
                out_msg[out].msg_hdr = (struct msghdr) { .msg_name = &addresses[key], .msg_namelen = sizeof from[i],
                                                         .msg_iov = &out_iov[out], .msg_iovlen = 1 };
                out++;
            } else if (p[1] == TYPE_MEDIA && key % (fanout + 1) == 0) {
                for (int l = 1; l <= fanout && out < MAX_OUT; l++) {
                    struct sockaddr_in *to = &addresses[key + l];
                    if (to->sin_family != AF_INET) continue;
                    out_iov[out] = (struct iovec) { p, in_msg[i].msg_len };
                    out_msg[out].msg_hdr = (struct msghdr) { .msg_name = to, .msg_namelen = sizeof *to,
                                                             .msg_iov = &out_iov[out], .msg_iovlen = 1 };
                    out++;
                    forwarded++;
                }
            }
        }
        for (int sent = 0; sent < out;) {
            int r = sendmmsg(fd, out_msg + sent, out - sent, 0);
            if (r < 0) { if (errno == EINTR) continue; perror("sendmmsg"); break; }
            sent += r;
        }
        long long now = nanos(CLOCK_MONOTONIC);
        if (now - last >= 100000000LL) {
            last = now;
            char line[256];
            snprintf(line, sizeof line, "%lld %lld 0 0 0 %lld %lld {}\n", received, forwarded, forwarded,
                     nanos(CLOCK_PROCESS_CPUTIME_ID));
            write_file(dir, "stats.txt", line);
        }
    }
}
